"""Who is named where: the index of people and organisations that attribution rules look up by offset."""
from __future__ import annotations

import bisect

from ..context import ReleaseContext
from ..detectors.special import ORGANISATION_NAME
from ..model import Finding
from ..subjects import UNNAMED

#: A mention: (start, end, role, person key); the key is None for an organisation.
Mention = tuple[int, int, str, "str | None"]
PERSONAL_GENDER = {"her": "f", "his": "m", "she": "f", "he": "m"}
PLURAL = frozenset({"they", "their", "them"})


class Mentions:
    """People and organisations named in a document, in order, for lookups by offset."""

    def __init__(self, context: ReleaseContext) -> None:
        spans = [(f.start, f.end, context.people[f.person].role, f.person)
                 for f in context.findings if f.kind == "person" and f.person in context.people]
        spans += [(e.start_char, e.end_char, "professional", None)
                  for e in context.nlp_doc.ents if e.label_ in ("ORG", "FAC") and ORGANISATION_NAME.search(e.text)
                  and not any(s < e.end_char and e.start_char < t for s, t, _, _ in spans)]
        self.spans = sorted(spans, key=lambda s: (s[0], s[1]))
        self.starts = [s[0] for s in self.spans]

    def before(self, offset: int, floor: int) -> list[Mention]:
        """Mentions ending at or before `offset` and starting at or after `floor`, nearest first."""
        index = bisect.bisect_left(self.starts, offset)
        return [m for m in reversed(self.spans[:index]) if m[1] <= offset and m[0] >= floor]

    def after(self, offset: int, ceiling: int) -> list[Mention]:
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


def role_of(context: ReleaseContext, key: str | None) -> str | None:
    """The role of the person `key` names; someone named only by relationship is a third party."""
    if key and key.startswith(UNNAMED):
        return "third_party"
    person = context.people.get(key or "")
    return person.role if person else None


def register_match(finding: Finding, context: ReleaseContext) -> bool:
    """Whether the finding overlaps something the client register says is the client's."""
    if "register_spans" not in context.scratch:
        context.scratch["register_spans"] = [(f.start, f.end) for f in context.findings
                                             if f.rule.startswith("client_register:")]
    return any(start < finding.end and finding.start < end for start, end in context.scratch["register_spans"])


def fitting_person(context: ReleaseContext, mentions: Mentions, before: int, gender: str | None,
                   plural: bool = False, known: bool = False) -> Mention | None:
    """The nearest person named before `before` whose gender fits a pronoun (is known to, with
    `known`). A professional whose gender is unknown comes last: "Tiana ... SO met her. She is
    happy for updates to go to her mobile" is Tiana's, not her worker's. "They" and "their"
    stand for others than the client."""
    candidates = [m for m in mentions.before(before, max(0, before - 600))
                  if m[3] in context.people and not (plural and m[3] == "client")]
    fitting = [m for m in candidates
               if gender is None or context.people[m[3]].gender in ((gender,) if known else (None, gender))]
    unsure = [m for m in fitting if gender is not None and context.people[m[3]].gender is None
              and context.people[m[3]].role == "professional"]
    return next((m for m in fitting if m not in unsure), unsure[0] if unsure else None)


def fits_client(context: ReleaseContext, gender: str | None) -> bool:
    """Whether a pronoun of this gender could stand for the client."""
    client = context.people.get("client")
    return gender is None or client is None or client.gender in (None, gender)
