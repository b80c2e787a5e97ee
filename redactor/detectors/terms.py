"""Manual redactions: every occurrence of each `--term`, whatever it is."""
from __future__ import annotations

import re

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding


def term_pattern(term: str) -> re.Pattern[str]:
    """A term matched case-insensitively, across any run of white space and
    either kind of apostrophe, so a term typed on one line finds one that
    the document breaks over two."""
    parts = ["".join("['’]" if ch in "'’" else re.escape(ch) for ch in part) for part in term.split()]
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    findings = []
    for term in context.terms:
        for match in term_pattern(term).finditer(context.text):
            findings.append(Finding(match.start(), match.end(), "term", rule="manual:--term", category="manual"))
    return findings
