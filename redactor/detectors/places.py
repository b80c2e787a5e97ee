"""Places where a person can be found: schools, care homes, workplaces, home areas.

A named school, workplace or the district someone's home is in locates
them as surely as an address does; whose it is, and so whether it may go,
is attribution's call.
"""
from __future__ import annotations

import re

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding

PLACE_NAME = r"[A-Z][\w'’&.-]*(?:[ \t]+(?:[A-Z][\w'’&.-]*|of|on|and|&))*"
IN_TOWN = r"(?:[ \t]+in[ \t]+[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)?"
INSTITUTION = re.compile(
    r"\b(?:[A-Z][\w'’&.-]*[ \t]+){1,5}(?:Primary School|Infant School|Junior School|High School|Secondary School|"
    r"Grammar School|School|Nursery|Pre-School|Preschool|Academy|College|Sixth Form|Children's Centre|"
    r"Care Home|Nursing Home|Residential Home|Day Centre|Hospice|[Dd]ay [Ss]ervice|[Dd]ay [Cc]entre)\b" + IN_TOWN)
WORKPLACE = re.compile(
    r"\b(?:works|working|worked|employed|job|shifts?)\b(?:[ \t]+(?:as[ \t]+an?[ \t]+[\w-]+|nights|days|evenings|"
    r"weekends|part-time|full-time|shifts))?[ \t]+(?:at|for|in|by)[ \t]+(?:the[ \t]+)?(?P<place>"
    + PLACE_NAME + IN_TOWN + ")")
HOME_AREA = re.compile(
    r"\b(?:(?:route|way|walk|journey|drive|bus)[ \t]+home[ \t]+(?:to|through|via|from)|home[ \t]+(?:in|at|near))"
    r"[ \t]+(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})")


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    text, findings = context.text, []
    for match in INSTITUTION.finditer(text):
        findings.append(Finding(match.start(), match.end(), "school", rule="places:institution"))
    for match in WORKPLACE.finditer(text):
        findings.append(Finding(*match.span("place"), "workplace", rule="places:workplace"))
    for match in HOME_AREA.finditer(text):
        findings.append(Finding(*match.span("place"), "home_area", rule="places:home_area"))
    return findings
