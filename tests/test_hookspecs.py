"""Every hook is documented, and every hook is exercised by a test.

A hook is the contract with organisation plugins written outside this
project: an undocumented hook, or one no test calls, is a contract nobody
checks. The behavioural tests live in test_plugin_hooks.py.
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from redactor import hookspecs

HOOKS = {name: fn for name, fn in vars(hookspecs).items() if name.startswith("redactor_") and callable(fn)}
TESTS = Path(__file__).resolve().parent


def test_hooks_are_found():
    assert len(HOOKS) >= 12
    for fn in HOOKS.values():
        assert hasattr(fn, "redactor_spec"), f"{fn.__name__} is not marked with @hookspec"


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_docstring_documenting_its_arguments(name):
    doc = inspect.getdoc(HOOKS[name]) or ""
    assert len(doc.split()) >= 15, f"{name} needs a docstring saying what it is for and what it returns"
    undocumented = [param for param in inspect.signature(HOOKS[name]).parameters
                    if not re.search(rf"`{re.escape(param)}(?:`|\.|\[)", doc)]
    assert not undocumented, f"{name}'s docstring does not document {undocumented} (write them as `name`)"


def test_every_hook_is_exercised_by_a_test():
    sources = {path.name: path.read_text(encoding="utf-8") for path in TESTS.glob("test_*.py")
               if path.name != Path(__file__).name}
    unexercised = [name for name in HOOKS
                   if not any(re.search(rf"\b{name}\b", source) for source in sources.values())]
    assert not unexercised, f"hooks no test exercises by name: {unexercised}"

