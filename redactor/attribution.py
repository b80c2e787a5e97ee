"""Default attribution: whose is each finding, and so which policy category.

- A name belongs to the person it names.
- A contact detail or identifier belongs to whoever the sentence ties it
  to: "my personal mobile" is staff's, "contact me at Day-Mer on..." and a
  letterhead are professional, otherwise the nearest person named before
  it in its sentence (or the person a "her"/"his" points back to).
- A special-category sentence is about its grammatical subject.

Anything that cannot be tied to anyone is treated as a third party's, which
the base policy never releases: not knowing whose a phone number is must
never be a reason to let it go.
"""
from __future__ import annotations

import bisect
import re

from . import hookimpl
from .context import ReleaseContext
from .model import Attribution, Finding

CONTACT_KINDS = frozenset({"phone", "email", "address", "postcode", "social_handle", "school", "workplace"})
IDENTIFIER_KINDS = frozenset({"dob", "nhs_number", "ni_number"})
STAFF_OWN = re.compile(r"\b(?:my|our\s+worker['’]s|(?:staff|worker|colleague|volunteer)['’]s?)\s+"
                       r"(?:own|personal|private|home)\b|\bmy\s+(?:home|mobile|number)", re.IGNORECASE)
PROFESSIONAL_CUE = re.compile(
    r"\b(?:contact\s+(?:me|us)|call\s+(?:me|us)|reach\s+(?:me|us)|office|switchboard|duty\s+line|helpline|"
    r"reception|main\s+line|our\s+(?:number|address)|PO\s+Box|To:|based\s+at)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:her|his|their|she|he|they)\b", re.IGNORECASE)
ROLE_CATEGORY = {"client": "client.identity", "third_party": "third_party.identity",
                 "professional": "professional", "staff": "professional"}
PRONOUNS = frozenset({"she", "he", "they", "her", "his", "their", "him", "them", "hers", "theirs"})


class Mentions:
    """People and organisations named in a document, in order, for lookups by offset."""

    def __init__(self, context: ReleaseContext) -> None:
        spans = [(f.start, f.end, context.people[f.person].role, f.person)
                 for f in context.findings if f.kind == "person" and f.person in context.people]
        spans += [(e.start_char, e.end_char, "professional", None)
                  for e in context.nlp_doc.ents if e.label_ in ("ORG", "FAC")]
        self.spans = sorted(spans)
        self.starts = [s[0] for s in self.spans]

    def before(self, offset: int, floor: int) -> list[tuple[int, int, str, str | None]]:
        """Mentions ending at or before `offset` and starting at or after `floor`, nearest first."""
        index = bisect.bisect_left(self.starts, offset)
        return [m for m in reversed(self.spans[:index]) if m[1] <= offset and m[0] >= floor]

    def after(self, offset: int, ceiling: int) -> list[tuple[int, int, str, str | None]]:
        index = bisect.bisect_left(self.starts, offset)
        return [m for m in self.spans[index:] if m[1] <= ceiling]

    def first_person_start(self) -> int:
        return next((s for s, _, role, key in self.spans if key is not None), 1 << 60)


def mentions_of(context: ReleaseContext) -> Mentions:
    """The mention index of a context, built once per document."""
    if "mentions" not in context.scratch:
        context.scratch["mentions"] = Mentions(context)
    return context.scratch["mentions"]


def sentence_of(context: ReleaseContext, offset: int) -> tuple[int, int]:
    starts = [s for s, _ in context.sentences]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < context.sentences[index][1]:
        return context.sentences[index]
    return offset, offset


def _owner_of_detail(finding: Finding, context: ReleaseContext) -> tuple[str, str | None, str]:
    """(role, person, reason) for a contact detail or identifier."""
    if finding.person == "client":
        return "client", "client", "matches the client register"
    text = context.text
    sent_start, sent_end = sentence_of(context, finding.start)
    line_start = text.rfind("\n", 0, finding.start) + 1
    lead = text[max(sent_start, finding.start - 80):finding.start]
    if STAFF_OWN.search(lead):
        return "staff", None, "a member of staff's own contact detail"
    mentions = mentions_of(context)
    nearest = mentions.before(finding.start, min(sent_start, line_start))
    if PROFESSIONAL_CUE.search(text[max(line_start, sent_start):finding.start]):
        if not nearest or nearest[0][2] in ("professional", "staff"):
            return "professional", None, "a work contact detail"
    if nearest:
        _, _, role, key = nearest[0]
        return role, key, "nearest person named before it"
    if finding.start < mentions.first_person_start():
        return "professional", None, "letterhead, before anyone is named"
    following = mentions.after(finding.end, sent_end)
    if following and following[0][3] is not None:
        return following[0][2], following[0][3], "the person its sentence names"
    if PRONOUN.search(text[sent_start:finding.start]):
        earlier = mentions.before(sent_start, max(0, sent_start - 600))
        people = [m for m in earlier if m[3] is not None]
        if people:
            return people[0][2], people[0][3], "the person a pronoun before it refers to"
    return "third_party", None, "no owner found: treated as a third party's"


def _subject_role(context: ReleaseContext, start: int, end: int) -> tuple[str, str | None]:
    """The role of a sentence's grammatical subject (a pronoun looks back)."""
    doc = context.nlp_doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return "client", "client"
    people = [(f.start, f.end, f.person) for f in context.findings if f.kind == "person" and start <= f.start < end]

    def person_at(token) -> str | None:
        return next((p for s, e, p in people if s <= token.idx < e), None)

    subjects = [t for t in span if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"] or \
               [t for t in span if t.dep_ in ("nsubj", "nsubjpass")]
    for subject in subjects[:1]:
        key = person_at(subject) or next((person_at(c) for c in subject.children if c.dep_ == "poss"
                                          and person_at(c)), None)
        if key:
            return context.people[key].role, key
        pronoun = subject if subject.lower_ in PRONOUNS else next(
            (c for c in subject.children if c.dep_ == "poss" and c.lower_ in PRONOUNS), None)
        if pronoun is not None:
            earlier = [m for m in mentions_of(context).before(start, max(0, start - 400)) if m[3] is not None]
            if earlier and earlier[0][2] == "third_party" and pronoun.lower_ in ("he", "him", "his") \
                    and _client_is_female(context):
                return "third_party", earlier[0][3]
            return "client", "client"
    if people:
        key = people[0][2]
        return context.people[key].role, key
    return "client", "client"


def _client_is_female(context: ReleaseContext) -> bool:
    names = " ".join([context.client.name, *context.client.aliases])
    return bool(re.search(r"\b(?:Ms|Mrs|Miss)\b", names))


@hookimpl
def redactor_attribute(finding: Finding, context: ReleaseContext) -> Attribution | None:
    if finding.kind == "term":
        return Attribution("manual", reason="named by the person releasing it")
    if finding.kind == "person":
        person = context.people.get(finding.person or "")
        role = person.role if person else "third_party"
        return Attribution(ROLE_CATEGORY[role], finding.person, f"a name of a {role.replace('_', ' ')}")
    if finding.kind in CONTACT_KINDS or finding.kind in IDENTIFIER_KINDS:
        role, key, reason = _owner_of_detail(finding, context)
        if role == "professional":
            return Attribution("professional", key, reason)
        if role == "staff":
            return Attribution("staff.personal", key, reason)
        if role == "client":
            if finding.kind == "school":
                return Attribution("special.location", key, reason)
            return Attribution("client.identifiers" if finding.kind in IDENTIFIER_KINDS else "client.contact",
                               key, reason)
        return Attribution("third_party.contact", key, reason)
    if finding.kind.startswith("special."):
        role, key = _subject_role(context, finding.start, finding.end)
        if role == "third_party":
            return Attribution("third_party.special", key, "the sentence is about a third party")
        return Attribution(finding.kind, key, "the sentence is about the client")
    return None
