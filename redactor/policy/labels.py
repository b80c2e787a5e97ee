"""Default labels: say what kind of thing went, never what it was.

Third parties get a consistent role label within a document ("[Partner]",
"[Child 1]", "[Child 2]"); everything else a neutral one. No label names a
special category: "[HIV status removed]" would itself disclose.
"""
from __future__ import annotations

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding

KIND_LABELS = {
    "phone": "[Phone number]",
    "email": "[E-mail]",
    "address": "[Address]",
    "postcode": "[Address]",
    "social_handle": "[Social media]",
    "school": "[Place]",
    "workplace": "[Place]",
    "home_area": "[Place]",
    "place": "[Place]",
    "dob": "[Date]",
    "nhs_number": "[Reference]",
    "ni_number": "[Reference]",
    "case_reference": "[Reference]",
}
RELATIONSHIP_LABELS = {"partner": "Partner", "ex-partner": "Ex-partner", "child": "Child", "relative": "Relative",
                       "friend": "Friend", "neighbour": "Neighbour", "other client": "Other person",
                       "associate": "Other person", "person": "Other person"}
#: Labels never numbered when only one person holds them.
SINGULAR = {"Partner", "Ex-partner"}


def person_labels(context: ReleaseContext) -> dict[str, str]:
    """A label for every person, numbered in order of first mention."""
    if "person_labels" in context.scratch:
        return context.scratch["person_labels"]
    first_seen: dict[str, int] = {}
    for finding in context.findings:
        if finding.kind == "person" and finding.person:
            first_seen.setdefault(finding.person, finding.start)
    by_label: dict[str, list[str]] = {}
    for key in sorted(first_seen, key=first_seen.get):
        person = context.people.get(key)
        if person is None or person.role in ("client", "professional", "staff"):
            continue
        by_label.setdefault(RELATIONSHIP_LABELS.get(person.relationship or "person", "Other person"), []).append(key)
    labels = {}
    for label, keys in by_label.items():
        for number, key in enumerate(keys, 1):
            labels[key] = f"[{label}]" if len(keys) == 1 and label in SINGULAR else f"[{label} {number}]"
    context.scratch["person_labels"] = labels
    return labels


@hookimpl
def redactor_label(finding: Finding, context: ReleaseContext) -> str:
    if finding.kind == "person":
        if finding.category == "client.identity":
            return "[Client]"
        return person_labels(context).get(finding.person or "", "[Name]")
    return KIND_LABELS.get(finding.kind, "[Redacted]")
