"""Places where a person can be found: schools, nurseries and workplaces.

A named school or workplace locates a child or an adult as surely as an
address does; whose it is, and so whether it may go, is attribution's call.
"""
from __future__ import annotations

import re

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding

INSTITUTION = re.compile(
    r"\b(?:[A-Z][\w'’&.-]*\s+){1,5}(?:Primary School|Infant School|Junior School|High School|Secondary School|"
    r"Grammar School|School|Nursery|Pre-School|Preschool|Academy|College|Sixth Form|Children's Centre)\b")
WORKPLACE = re.compile(r"\b(?:works|working|worked|employed|job|shifts?)\s+(?:at|for|in)\s+(?P<place>(?:the\s+)?"
                       r"(?:[A-Z][\w'’&.-]*)(?:\s+(?:[A-Z][\w'’&.-]*|of|on|in|and|&))*)")


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    text, findings = context.text, []
    for match in INSTITUTION.finditer(text):
        findings.append(Finding(match.start(), match.end(), "school", rule="places:institution"))
    for match in WORKPLACE.finditer(text):
        start, end = match.span("place")
        findings.append(Finding(start, end, "workplace", rule="places:workplace"))
    return findings
