"""The release report: every redaction and keep, by position and reason.

The report travels with the released file to the reviewer, so it must never
hold removed text: it records offsets, categories, rules, reasons and the
consent behind each keep, and nothing of what was taken out.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .context import ReleaseContext
from .model import ConsentRecord, Notice, Replacement

if TYPE_CHECKING:
    from .pipeline import Redaction


def _consent(record: ConsentRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"id": record.id, "recipient": record.recipient, "scopes": list(record.scopes),
            "given": record.given.isoformat(), "expires": record.expires.isoformat() if record.expires else None,
            "evidence": record.evidence}


def build_report(context: ReleaseContext, redactions: "list[Redaction]", replacements: list[Replacement],
                 notices: list[Notice], statements: list[str], notes: list[str], *,
                 input_sha256: str, output_sha256: str, forbidden_count: int) -> dict[str, Any]:
    document = context.document
    assert document is not None

    def entry(r: "Redaction") -> dict[str, Any]:
        f = r.finding
        return {"start": f.start, "end": f.end, "segment": document.segment_at(f.start), "kind": f.kind,
                "category": f.category, "rule": f.rule, "confidence": round(f.score, 2),
                "attribution": r.reason, "decision": r.decision.action, "reason": r.decision.reason,
                "label": r.label if r.decision.action == "remove" else None,
                "consent": _consent(r.decision.consent)}

    ordered = sorted(redactions, key=lambda r: (r.finding.start, r.finding.end))
    return {
        "input": document.source.name, "format": document.format, "org": context.org,
        "client": context.client.id, "recipient": context.recipient, "date": context.today.isoformat(),
        "input_sha256": input_sha256, "output_sha256": output_sha256,
        "redactions": [entry(r) for r in ordered if r.decision.action == "remove"],
        "kept": [entry(r) for r in ordered if r.decision.action == "keep"],
        "applied": [{"start": r.start, "end": r.end, "label": r.label} for r in replacements],
        "notices": [asdict(n) for n in notices],
        "statements": statements,
        "notes": notes,
        "verification": {"result": "clean", "strings_checked": forbidden_count},
    }


def write_report(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
