"""What the pages show, computed from the same report the writer applied.

`segments` splits the original text into plain runs and the spans the
writer replaced (the report's ``applied`` list), so the page's redacted
column is exactly `apply_replacements(text, applied)` with each label
highlighted; `explain` pairs each applied span with the findings behind it.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .. import audit, decisions, jobs
from ..review import PROPAGATED


@dataclass
class Segment:
    original: str
    redacted: str
    change: int | None = None     # index into the changes list, None for untouched text


@dataclass
class Change:
    number: int
    label: str
    removed: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    start: int = 0
    end: int = 0


def segments(text: str, report: dict[str, Any]) -> tuple[list[Segment], list[Change]]:
    result, changes, at = [], [], 0
    for number, applied in enumerate(sorted(report["applied"], key=lambda a: a["start"]), start=1):
        start, end = applied["start"], applied["end"]
        if start > at:
            result.append(Segment(text[at:start], text[at:start]))
        findings = [r for r in report.get("redactions", []) if r["start"] < end and start < r["end"]]
        changes.append(Change(number, applied["label"], text[start:end],
                              findings or [{"reason": PROPAGATED}], start, end))
        result.append(Segment(text[start:end], applied["label"], len(changes) - 1))
        at = max(at, end)
    if at < len(text):
        result.append(Segment(text[at:], text[at:]))
    return result, changes


def counts(report: dict[str, Any]) -> Counter[str]:
    """Redactions by category (findings behind the applied changes)."""
    return Counter(r.get("category") or r.get("kind") or "other" for r in report.get("redactions", []))


def submitter(conn: sqlite3.Connection, job_id: int) -> str | None:
    row = conn.execute("SELECT actor FROM audit WHERE job = ? AND action = 'received' ORDER BY id LIMIT 1",
                       (job_id,)).fetchone()
    return row["actor"] if row else None


def submitted_by(actor: str | None, name: str) -> bool:
    """Whether a job received from `actor` (``os:<login>`` from the outbox) was dropped by web user `name`."""
    return actor in (name, f"os:{name}")


def waiting(since: str) -> str:
    seconds = max(0, int((datetime.now(timezone.utc) - datetime.fromisoformat(since)).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def history(conn: sqlite3.Connection, job: jobs.Job) -> list[audit.AuditEntry]:
    return audit.history(conn, job.id)


@dataclass
class DecisionView:
    decision: decisions.ReviewDecision
    text: str            # the text un-redacted, or the term added
    step: int            # the next authorisation step (from 0), while awaiting


def decision_views(decided: list[decisions.ReviewDecision], text: str) -> list[DecisionView]:
    views = []
    for d in decided:
        shown = text[int(d.start or 0):int(d.end or 0)] if d.kind == decisions.UNREDACT else str(d.term)
        views.append(DecisionView(d, shown, len(d.signatures)))
    return views
