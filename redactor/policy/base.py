"""The base policy table: what each category needs before it may be kept.

A finding is removed unless its category's rule keeps it. A keep that
rests on consent names the consent record, so a reviewer can see why.
"""
from __future__ import annotations

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Decision, Finding

ALWAYS = "always"
NEVER = "never"

#: category -> the consent scope that keeps it (or ALWAYS / NEVER), and
#: whether a subject access request (recipient "client") keeps it.
TABLE: dict[str, tuple[str, bool]] = {
    "client.identity": (ALWAYS, True),
    "client.contact": ("contact", True),
    "client.identifiers": ("identifiers", True),
    "client.circumstances": (ALWAYS, True),
    "third_party.identity": ("third_party", False),
    "third_party.contact": (NEVER, False),
    "third_party.special": (NEVER, False),
    "staff.personal": (NEVER, False),
    "professional": (ALWAYS, True),
    "special.hiv": ("hiv", True),
    "special.sexual_violence": ("sexual_violence", True),
    "special.health": ("health", True),
    "special.substance_use": ("substance_use", True),
    "special.location": ("location", True),
    "special.counselling": ("counselling", True),
    "special.other": ("special", True),
    "manual": (NEVER, False),
}

SUBJECT_ACCESS = "client"


def base_decision(category: str, context: ReleaseContext) -> Decision:
    """The base table's decision for a category, for this recipient and consent."""
    rule, own_file = TABLE.get(category, (NEVER, False))
    if rule == ALWAYS:
        return Decision("keep", f"{category} is always kept")
    if rule == NEVER:
        return Decision("remove", f"{category} is never released")
    if context.recipient == SUBJECT_ACCESS:
        if own_file:
            return Decision("keep", "the client's own information, in a subject access request")
        return Decision("remove", "other people's information is never in a subject access release")
    record = context.consent_for(rule)
    if record is None:
        return Decision("remove", f"no consent in force for {rule!r} to {context.recipient}")
    return Decision("keep", f"consent for {rule!r} to {context.recipient}", consent=record)


@hookimpl
def redactor_decide(finding: Finding, context: ReleaseContext) -> Decision:
    return base_decision(finding.category or "", context)
