"""The redaction pipeline, one visible step per stage of the data flow:

    read -> parse -> detect -> attribute -> label -> decide -> replacements
         -> write (to a temporary file) -> verify -> move into place -> report

Every stage is a hook call, so plugins can change any of them. The pipeline
fails closed: any error leaves nothing in the output folder, and the input
is only ever read.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from . import nlp
from .context import ReleaseContext
from .detectors.special import compile_vocabulary
from .errors import DocumentHeld, ReleaseRefused, UnsupportedFormat, UsageError
from .model import Decision, Finding, Notice, Replacement
from .plugins import make_manager
from .register import get_client, list_consents
from .report import build_report, write_report
from .verify import surviving
from .workspace import Workspace

#: A removed name or detail is removed wherever the same string appears;
#: shorter strings are too likely to be parts of other words.
PROPAGATE_MIN = 3


@dataclass
class Outcome:
    """What happened to one input file."""

    source: Path
    output: Path | None = None
    report: dict[str, Any] = field(default_factory=dict)
    error: Exception | None = None


@dataclass
class Redaction:
    """A finding with whose it is and what was decided, ready for the report."""

    finding: Finding
    decision: Decision
    label: str
    reason: str


@dataclass(frozen=True)
class Keep:
    """A reviewer's un-redaction: the span `start`-`end` of the original text
    is released, and so is every other occurrence of the same text (a string
    removed in one place and readable in another would fail verification).
    Findings it covers are decided ``keep`` with `reason`. A reviewer's
    added terms (category ``manual``) are never overridden by a Keep."""

    start: int
    end: int
    reason: str


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class Pipeline:
    """Redacts documents for one workspace; the model loads once per instance."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.config = workspace.config
        self.pm = make_manager(self.config)
        self._analyzer: Any = None
        self.vocabulary = compile_vocabulary(self._vocabulary())
        self._checked_labels: set[str] = set()  # labels already shown to name no special category

    def _vocabulary(self) -> dict[str, list[str]]:
        merged: dict[str, list[str]] = {}
        for answer in self.pm.hook.redactor_special_vocabulary(config=self.config):
            for kind, patterns in (answer or {}).items():
                merged.setdefault(kind, []).extend(patterns)
        return merged

    @property
    def analyzer(self) -> Any:
        if self._analyzer is None:
            recognizers = [r for answer in self.pm.hook.redactor_add_recognizers(config=self.config)
                           for r in answer or []]
            self._analyzer = nlp.build_analyzer(recognizers)
        return self._analyzer

    # --- checks before any file is read -----------------------------------

    def context_for(self, client_id: str, recipient: str, terms: list[str], today: date | None = None
                    ) -> ReleaseContext:
        """A context for this client and recipient; refuses unknowns and forbidden releases."""
        recipients = self.workspace.recipients
        if recipient not in recipients:
            raise UsageError(f"unknown recipient {recipient!r} (known: {', '.join(recipients)})")
        with self.workspace.connect() as conn:
            client = get_client(conn, client_id)
            consents = list_consents(conn, client=client_id, recipient=recipient)
        context = ReleaseContext(org=self.workspace.org, config=self.config, client=client, recipient=recipient,
                                 consents=consents, today=today or date.today(), terms=list(terms),
                                 vocabulary=self.vocabulary)
        refusal = self.pm.hook.redactor_check_release(context=context)
        if refusal:
            raise ReleaseRefused(f"release to {recipient} refused: {refusal}")
        return context

    # --- the flow -----------------------------------------------------------

    def read(self, path: Path, options: dict[str, Any]) -> Any:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        document = self.pm.hook.redactor_read_document(path=path, options=options)
        if document is None:
            raise UnsupportedFormat(f"{path.name}: unsupported format {path.suffix or '(none)'} "
                                    "(supported: .txt, .docx, .pdf)")
        return document

    def analyse(self, context: ReleaseContext) -> list[Redaction]:
        """Detect, attribute, label and decide: every finding with its decision."""
        context.analyzer = self.analyzer
        context.nlp_doc = nlp.parse(context.text)
        context.sentences = nlp.sentence_spans(context.nlp_doc)
        context.findings = [f for answer in self.pm.hook.redactor_detect(context=context) for f in answer or []]
        redactions = []
        for finding in context.findings:
            attribution = self.pm.hook.redactor_attribute(finding=finding, context=context)
            if attribution is None:
                raise DocumentHeld(f"no plugin could say whose a {finding.kind} finding is")
            finding.category, finding.person = attribution.category, attribution.person or finding.person
            redactions.append(Redaction(finding, Decision("remove", "undecided"), "", attribution.reason))
        for redaction in redactions:
            redaction.decision = self.pm.hook.redactor_decide(finding=redaction.finding, context=context)
            redaction.label = self._safe_label(self.pm.hook.redactor_label(finding=redaction.finding,
                                                                           context=context))
        return redactions

    @staticmethod
    def apply_keeps(text: str, redactions: list[Redaction], keep: Sequence[Keep]) -> None:
        """A reviewer's un-redactions: each removed finding they cover (by
        position or by the same text) is decided ``keep`` with their reason.
        Reviewer-added terms (category ``manual``) stay removed."""
        for redaction in redactions:
            finding = redaction.finding
            if (redaction.decision.action == "remove" and finding.category != "manual"
                    and _kept(text, finding.start, finding.end, keep)):
                reason = next(k.reason for k in keep if _covers(text, k, finding.start, finding.end))
                redaction.decision = Decision("keep", reason)

    def _safe_label(self, label: str | None) -> str:
        label = label or "[Redacted]"
        if label not in self._checked_labels:
            for kind, pattern in self.vocabulary.items():
                if pattern.search(label):
                    raise DocumentHeld(f"a redaction label would reveal a special category ({kind})")
            self._checked_labels.add(label)
        return label

    def replacements(self, text: str, redactions: list[Redaction], keep: Sequence[Keep] = ()
                     ) -> list[Replacement]:
        """Non-overlapping replacements: removed spans merged, each removed
        string removed wherever else it appears, except where a reviewer's
        `keep` releases it (see `Keep`; apply `apply_keeps` to the decisions first)."""
        removed = [(r.finding.start, r.finding.end, r.label) for r in redactions if r.decision.action == "remove"]
        manual = {(r.finding.start, r.finding.end) for r in redactions
                  if r.decision.action == "remove" and r.finding.category == "manual"}
        occurrences = _occurrences(text, [text[start:end].strip() for start, end, _ in removed])
        for start, end, label in list(removed):
            found = [(s, e, label) for s, e in occurrences.get(_key(text[start:end]), [])]
            if (start, end) in manual:
                manual |= {(s, e) for s, e, _ in found}
            removed += found
        if keep:
            removed = [r for r in removed if (r[0], r[1]) in manual or not _kept(text, r[0], r[1], keep)]
        merged: list[list[Any]] = []
        for start, end, label in sorted(removed, key=lambda r: (r[0], -r[1])):
            if merged and start < merged[-1][1]:
                last = merged[-1]
                if end - start > last[1] - last[0]:
                    last[2] = label
                last[1] = max(last[1], end)
            else:
                merged.append([start, end, label])
        return [Replacement(s, e, label) for s, e, label in merged]

    def redact_file(self, path: Path, context: ReleaseContext, out_dir: Path, options: dict[str, Any],
                    keep: Sequence[Keep] = ()) -> Outcome:
        """Redact one file into `out_dir`, verified, with its report beside it.

        `keep` holds a reviewer's un-redactions (the review page re-runs a job
        with them; reviewer-added redactions come in as `context.terms`)."""
        document = self.read(path, options)
        context.document = document
        context.scratch.clear()
        redactions = self.analyse(context)
        if keep:
            self.apply_keeps(document.text, redactions, keep)
        replacements = self.replacements(document.text, redactions, keep)
        notices: list[Notice] = [n for answer in self.pm.hook.redactor_notices(context=context) for n in answer or []]
        statements = list(dict.fromkeys(s for answer in self.pm.hook.redactor_release_statements(context=context)
                                        for s in answer or []))
        forbidden = sorted({document.text[r.start:r.end].strip() for r in replacements} | set(context.terms))
        out_dir.mkdir(parents=True, exist_ok=True)
        final = out_dir / path.name
        handle, temporary = tempfile.mkstemp(prefix=".redacting-", suffix=path.suffix, dir=out_dir)
        os.close(handle)
        temp_path = Path(temporary)
        try:
            # The organisation's own fixed wording may repeat a removed word ("Worcester" in "Worcester
            # Muslim Welfare Association"): then a copy without the statements must verify clean on
            # everything, and the release itself on everything the statements do not contain.
            in_statements = surviving("\n".join(statements), forbidden)
            if in_statements:
                self._write_and_verify(path, document, replacements, [], temp_path, options, forbidden)
            notes = self._write_and_verify(path, document, replacements, statements, temp_path, options,
                                           [f for f in forbidden if f not in in_statements])
            report = build_report(context, redactions, replacements, notices, statements, notes,
                                  input_sha256=_sha256(path), output_sha256=_sha256(temp_path),
                                  forbidden_count=len(forbidden))
            os.replace(temp_path, final)
        finally:
            temp_path.unlink(missing_ok=True)
        write_report(final.with_name(final.name + ".report.json"), report)
        return Outcome(source=path, output=final, report=report)

    def _write_and_verify(self, path: Path, document: Any, replacements: list[Replacement], statements: list[str],
                          out_path: Path, options: dict[str, Any], forbidden: list[str]) -> Any:
        """Write the document to `out_path` and re-read it; hold it if any of `forbidden` survives."""
        notes = self.pm.hook.redactor_write_document(document=document, replacements=replacements,
                                                     statements=statements, out_path=out_path, options=options)
        if notes is None:
            raise UnsupportedFormat(f"{path.name}: no plugin writes the {document.format} format")
        survivors = self.pm.hook.redactor_verify_output(path=out_path, document_format=document.format,
                                                        forbidden=forbidden)
        if survivors is None:
            raise DocumentHeld(f"{path.name}: no plugin can verify a {document.format} output")
        if survivors:
            raise DocumentHeld(f"{path.name}: {len(survivors)} removed string(s) survived in the output; "
                               "held for manual review")
        return notes

    def redact(self, inputs: list[Path], client_id: str, recipient: str, out_dir: Path,
               terms: list[str] = (), options: dict[str, Any] | None = None, progress: bool = False
               ) -> list[Outcome]:
        """Redact each input for one client and recipient; a failure holds only its own file."""
        options = options or {}
        context = self.context_for(client_id, recipient, list(terms))
        outcomes = []
        for number, path in enumerate(inputs, 1):
            if progress and len(inputs) > 1:
                print(f"[{number}/{len(inputs)}] {path.name}", file=sys.stderr)
            try:
                outcomes.append(self.redact_file(path, context, out_dir, options))
            except (UsageError, DocumentHeld) as error:
                outcomes.append(Outcome(source=path, error=error))
            except Exception as error:  # fail closed: an unexpected error holds the file
                held = DocumentHeld(f"{path.name}: held, it could not be processed ({type(error).__name__})")
                held.__cause__ = error
                outcomes.append(Outcome(source=path, error=held))
        return outcomes


def _key(needle: str) -> str:
    return " ".join(needle.split()).casefold()


def _occurrences(text: str, needles: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Every occurrence of each needle (by `_key`), in one pass over the text: a lookahead at
    each word start finds overlapping occurrences too ("John Smith" and "Smith Road" in "John
    Smith Road"). Short needles and long phrases are not propagated."""
    wanted = {_key(n): n for n in needles if len(n) >= PROPAGATE_MIN and len(n.split()) <= 6}
    if not wanted:
        return {}
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+")
                            for n in sorted(wanted.values(), key=len, reverse=True))
    found: dict[str, list[tuple[int, int]]] = {}
    for match in re.finditer(rf"(?<![\w-])(?=({alternatives})(?![\w-]))", text, re.IGNORECASE):
        found.setdefault(_key(match.group(1)), []).append(match.span(1))
    return found


def _covers(text: str, keep: Keep, start: int, end: int) -> bool:
    """Whether span `start`-`end` lies in `keep`'s span or is the same text."""
    if start < keep.end and keep.start < end:
        return True
    wanted = _norm(text[keep.start:keep.end])
    return bool(wanted) and _norm(text[start:end]) == wanted


def _kept(text: str, start: int, end: int, keep: Sequence[Keep]) -> bool:
    return any(_covers(text, k, start, end) for k in keep)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
