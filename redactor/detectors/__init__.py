"""Detectors: each module a default plugin answering `redactor_detect`."""
