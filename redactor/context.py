"""What every hook sees about the release in hand."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import Client, ConsentRecord, Document, Finding, Person


@dataclass
class ReleaseContext:
    """One document on its way to one recipient about one client.

    Built by the pipeline and filled as the data flows: the reader gives
    `document`, the NLP step `nlp_doc` (a spaCy Doc over `document.text`), the
    people detector `people`; `analyzer` is the process's Presidio engine,
    `vocabulary` the compiled special-category patterns by kind, `sentences`
    the (start, end) of every sentence, never crossing a line break (every person named, keyed), detection the
    `findings`.
    """

    org: str
    config: dict[str, Any]
    client: Client
    recipient: str
    consents: list[ConsentRecord]
    today: date
    terms: list[str] = field(default_factory=list)
    document: Document | None = None
    analyzer: Any = None
    vocabulary: dict[str, Any] = field(default_factory=dict)
    nlp_doc: Any = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: Indexes a plugin builds once per document and reuses across hook calls.
    scratch: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    def consent_for(self, scope: str) -> ConsentRecord | None:
        """The consent record in force today that covers `scope`, if any."""
        for record in self.consents:
            if scope in record.scopes and record.in_force(self.today):
                return record
        return None
