"""Every way a release can stop, each with the exit code the command line uses.

The pipeline fails closed: anything it cannot do safely raises one of these,
and the command line turns it into a one-line message and a non-zero exit,
having written nothing.
"""
from __future__ import annotations


class RedactorError(Exception):
    """Base class: a clear, one-line reason a user can act on."""

    exit_code = 1


class UsageError(RedactorError):
    """Bad input from the user: unknown client, recipient, scope, malformed file."""

    exit_code = 2


class ReleaseRefused(RedactorError):
    """The organisation's policy forbids this release altogether."""

    exit_code = 3


class DocumentHeld(RedactorError):
    """The document cannot be released safely and is held for a person to look at.

    Raised for unreadable pages, content that cannot be redacted in place, or a
    verification that found removed text in the output.
    """

    exit_code = 4


class UnsupportedFormat(UsageError):
    """No format plugin reads this file."""


class InputFileError(UsageError):
    """The input file is corrupt, encrypted, macro-enabled or too large."""
