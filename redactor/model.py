"""The data that flows through the pipeline, in the order it flows.

    file -> Document (text with source anchors) -> Finding -> Attribution
         -> Decision -> Replacement (native rewrite) -> verification -> report

Detection and policy only ever see `Document.text`; only the format plugin
that made a Document knows what its anchors mean (an offset for plain text,
a run and character for Word, a glyph for PDF). That is what lets one set of
detectors and one policy serve every format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Sequence

#: The categories of the base policy table (see README, "Policy").
CATEGORIES = (
    "client.identity",
    "client.contact",
    "client.identifiers",
    "client.circumstances",
    "third_party.identity",
    "third_party.contact",
    "third_party.special",
    "staff.personal",
    "professional",
    "special.hiv",
    "special.sexual_violence",
    "special.health",
    "special.substance_use",
    "special.location",
    "special.counselling",
    "special.other",
    "manual",
)

#: The finding kind of someone's private circumstances (debts, an eviction): not a special
#: category, but a third party's are theirs to keep private ("client.circumstances" when hers).
CIRCUMSTANCES = "circumstances"
#: The finding kind of the writer's own life told in passing ("my own son is in the same class"):
#: always a member of staff's personal detail.
STAFF_LIFE = "staff_life"

#: Consent scopes a client can give for a recipient.
SCOPES = (
    "contact",
    "identifiers",
    "third_party",
    "hiv",
    "sexual_violence",
    "health",
    "substance_use",
    "location",
    "counselling",
    "special",
)

#: "staff_family": the writer's own relatives ("my husband, Khalid"), personal details of staff.
Role = Literal["client", "third_party", "professional", "staff", "staff_family"]


@dataclass
class Segment:
    """A named region of a document's text: the body, a header, a comment...

    Segments never overlap; the reader puts a blank line between them so a
    sentence never runs from one into the next.
    """

    name: str
    start: int
    end: int


@dataclass
class Document:
    """A file turned into text, with an anchor back to the source for every character.

    `anchors[i]` locates `text[i]` in the file; it is None for characters the
    reader added itself (separators between segments), which therefore can
    never be redacted in the file and never need to be.
    """

    source: Path
    format: str
    text: str
    anchors: Sequence[Any]
    segments: list[Segment] = field(default_factory=list)
    native: Any = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.anchors) != len(self.text):
            raise ValueError("a Document needs exactly one anchor per character of text")

    def segment_at(self, offset: int) -> str:
        """The name of the segment holding `offset` ("body" when there are none)."""
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.name
        return "body"


@dataclass
class Person:
    """Someone the document talks about, with every place they are named."""

    key: str
    role: Role
    relationship: str | None = None  # "partner", "child", "mother"... for labels
    names: set[str] = field(default_factory=set)
    gender: Literal["f", "m"] | None = None  # for resolving "she" and "his"; None when unknown


@dataclass
class Finding:
    """A span of `Document.text` that a detector thinks may need to come out.

    `kind` says what it is (a phone number, a person's name, a sentence about
    health); attribution later says whose it is, which fixes its `category`.
    """

    start: int
    end: int
    kind: str
    rule: str
    score: float = 1.0
    category: str | None = None
    person: str | None = None

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Attribution:
    """Whose a finding is, and so which policy category it falls in."""

    category: str
    person: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class ConsentRecord:
    """One client's consent to share some scopes with one recipient."""

    id: int
    client: str
    recipient: str
    scopes: tuple[str, ...]
    given: date
    expires: date | None
    evidence: str
    withdrawn: date | None = None

    def in_force(self, on: date) -> bool:
        """Whether this record counts on `on`: given, not expired, not withdrawn."""
        if self.given > on:
            return False
        if self.expires is not None and self.expires < on:
            return False
        return self.withdrawn is None or self.withdrawn > on


@dataclass(frozen=True)
class Decision:
    """Keep or remove one finding, with the reason and the consent behind a keep."""

    action: Literal["keep", "remove"]
    reason: str
    consent: ConsentRecord | None = None


@dataclass(frozen=True)
class Replacement:
    """What a writer applies: replace text[start:end] with `label`."""

    start: int
    end: int
    label: str


@dataclass
class Notice:
    """Something the organisation's policy requires a person to know or do."""

    code: str
    message: str


@dataclass
class Client:
    """A client as held in the workspace register."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    dob: date | None = None
    address: str | None = None
