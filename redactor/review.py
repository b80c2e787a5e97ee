"""Reviewing a job: the redaction diff, approval with release, rejection.

These functions are the review interface: the command line calls them, and
the browser page (a later issue) must call the same ones, so every rule
(only a manager decides, verification runs again before anything leaves,
release is atomic and audited) holds whichever way a reviewer comes in.

Removed text is shown only in `show`'s diff, for the reviewer; it is never
written to a file outside the job's private store folder, nor logged. What
verification needs at approval is recomputed from the original and the
report's offsets rather than stored.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import jobs, store, users
from .errors import DocumentHeld, UsageError
from .formats.text import apply_replacements
from .model import Replacement
from .outbox import RETURNED
from .pipeline import Pipeline
from .workspace import Workspace

#: The reason shown for text removed only because it matched a removed finding elsewhere.
PROPAGATED = "the same text as a finding removed elsewhere in the document"


@dataclass
class Change:
    """One replacement: the text removed, what replaced it, and why."""

    start: int
    end: int
    removed: str
    label: str
    reasons: list[dict[str, Any]]


@dataclass
class Hunk:
    """The original lines holding some changes, before and after."""

    first_line: int
    before: str
    after: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ReviewView:
    """Everything a reviewer sees for one job."""

    job: jobs.Job
    report: dict[str, Any]
    hunks: list[Hunk]

    @property
    def kept(self) -> list[dict[str, Any]]:
        return self.report.get("kept", [])


def report(workspace: Workspace, job: jobs.Job) -> dict[str, Any]:
    """The job's redaction report (offsets and reasons, never removed text)."""
    path = store.redacted(workspace, job)
    report_path = path.with_name(path.name + ".report.json")
    if not report_path.is_file():
        raise UsageError(f"job {job.id} has no redaction report (it is {job.state})")
    data: dict[str, Any] = json.loads(report_path.read_text(encoding="utf-8"))
    return data


def _why(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry.get(key) for key in ("kind", "category", "rule", "reason", "attribution", "segment")}


def _hunks(text: str, report_data: dict[str, Any]) -> list[Hunk]:
    """Group the applied replacements by the original lines they touch."""
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line_of(offset: int) -> int:
        low, high = 0, len(line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if line_starts[middle] <= offset else (low, middle - 1)
        return low

    hunks: list[tuple[int, int, list[dict[str, Any]]]] = []
    for applied in sorted(report_data["applied"], key=lambda a: a["start"]):
        first, last = line_of(applied["start"]), line_of(max(applied["start"], applied["end"] - 1))
        if hunks and first <= hunks[-1][1]:
            hunks[-1] = (hunks[-1][0], max(last, hunks[-1][1]), [*hunks[-1][2], applied])
        else:
            hunks.append((first, last, [applied]))
    result = []
    for first, last, applied_list in hunks:
        start = line_starts[first]
        end = line_starts[last + 1] - 1 if last + 1 < len(line_starts) else len(text)
        shifted = [Replacement(a["start"] - start, a["end"] - start, a["label"]) for a in applied_list]
        changes = [Change(a["start"], a["end"], text[a["start"]:a["end"]], a["label"],
                          [_why(r) for r in report_data["redactions"]
                           if r["start"] < a["end"] and a["start"] < r["end"]] or [{"reason": PROPAGATED}])
                   for a in applied_list]
        result.append(Hunk(first + 1, text[start:end], apply_replacements(text[start:end], shifted), changes))
    return result


def show(workspace: Workspace, conn: sqlite3.Connection, job_id: int, pipeline: Pipeline | None = None
         ) -> ReviewView:
    """The reviewer's view of a job: each change in its lines, with its reasons."""
    job = jobs.get_job(conn, job_id)
    data = report(workspace, job)
    pipeline = pipeline or Pipeline(workspace)
    document = pipeline.read(store.original(workspace, job), {})
    return ReviewView(job, data, _hunks(document.text, data))


def render(view: ReviewView) -> str:
    """The view as a plain-text diff for a terminal."""
    job, data = view.job, view.report
    lines = [f"job {job.id}: {job.file}  client {job.client} -> {job.recipient}  [{job.state}]"]
    if job.note:
        lines.append(f"note from the worker: {job.note}")
    lines += [f"notice {n['code']}: {n['message']}" for n in data.get("notices", [])]
    lines += [f"statement added: {s}" for s in data.get("statements", [])]
    lines.append(f"{len(data['applied'])} change(s), {len(view.kept)} finding(s) kept")
    for hunk in view.hunks:
        lines.append(f"@@ line {hunk.first_line} @@")
        lines += [f"- {line}" for line in hunk.before.split("\n")]
        lines += [f"+ {line}" for line in hunk.after.split("\n")]
        for change in hunk.changes:
            why = "; ".join(dict.fromkeys(" ".join(f"{r.get('category') or ''} {r.get('reason') or ''}".split())
                                          + (f" ({r['rule']})" if r.get("rule") else "") for r in change.reasons))
            lines.append(f"    {change.label} <- {change.removed!r}: {why}")
    for kept in view.kept:
        lines.append(f"kept at {kept['start']}-{kept['end']}: {kept['category']} {kept['reason']}")
    return "\n".join(lines)


def _verify(workspace: Workspace, job: jobs.Job, pipeline: Pipeline) -> None:
    """Re-check a job's output independently before it leaves: unchanged since
    redaction, and none of the removed strings readable in it."""
    output = store.redacted(workspace, job)
    if not output.is_file() or store.sha256_file(output) != job.output_sha256:
        raise DocumentHeld(f"job {job.id}: the redacted output changed or vanished since it was redacted")
    data = report(workspace, job)
    document = pipeline.read(store.original(workspace, job), {})
    forbidden = sorted({document.text[a["start"]:a["end"]].strip() for a in data["applied"]} - {""})
    survivors = pipeline.pm.hook.redactor_verify_output(path=output, document_format=document.format,
                                                        forbidden=forbidden)
    if survivors is None or survivors:
        raise DocumentHeld(f"job {job.id}: verification before release failed "
                           f"({'no verifier' if survivors is None else f'{len(survivors)} removed string(s) found'})")


def _release_name(workspace: Workspace, conn: sqlite3.Connection, job: jobs.Job) -> str:
    """The released file name: the original's, unless another release already has it."""
    taken = {r["released_as"] for r in conn.execute(
        "SELECT released_as FROM jobs WHERE recipient = ? AND released_as IS NOT NULL", (job.recipient,))}
    name = job.file
    if name in taken or (workspace.root / "released" / str(job.recipient) / name).exists():
        path = Path(name)
        name = f"{path.stem} (job {job.id}){path.suffix}"
    return name


def _release(workspace: Workspace, conn: sqlite3.Connection, job: jobs.Job) -> jobs.Job:
    dest = workspace.root / "released" / str(job.recipient) / str(job.released_as)
    store.publish(store.redacted(workspace, job), dest)
    moved = jobs.transition(conn, job.id, jobs.RELEASED, job.reviewer or jobs.SYSTEM, "released",
                            from_states=[jobs.APPROVED],
                            detail={"output_sha256": job.output_sha256,
                                    "path": str(dest.relative_to(workspace.root))})
    return moved or jobs.get_job(conn, job.id)


def _hold(conn: sqlite3.Connection, job: jobs.Job, error: DocumentHeld) -> None:
    jobs.transition(conn, job.id, jobs.HELD, jobs.SYSTEM, "verification_failed",
                    from_states=[jobs.AWAITING_REVIEW, jobs.APPROVED], reason=str(error))


def approve(workspace: Workspace, conn: sqlite3.Connection, job_id: int, by: str,
            pipeline: Pipeline | None = None) -> jobs.Job:
    """A manager approves a job: verify again, record it, release it atomically.

    Refused while a reviewer's un-redaction that breaches confidentiality
    awaits authorisation (see `redactor.decisions`); the output released is
    the one regenerated with the reviewers' decisions."""
    from . import decisions

    users.require_role(conn, by, "manager", "approve")
    job = jobs.get_job(conn, job_id)
    if job.state != jobs.AWAITING_REVIEW:
        raise UsageError(f"job {job_id} is {job.state}, not awaiting review")
    refusal = decisions.releasable(conn, job_id)
    if refusal:
        raise UsageError(f"job {job_id} cannot be approved: {refusal}")
    pipeline = pipeline or Pipeline(workspace)
    job = decisions.ensure_current(workspace, conn, job, pipeline, by)
    try:
        _verify(workspace, job, pipeline)
    except DocumentHeld as error:
        _hold(conn, job, error)
        raise
    approved = jobs.transition(conn, job_id, jobs.APPROVED, by, "approved", from_states=[jobs.AWAITING_REVIEW],
                               updates={"reviewer": by, "released_as": _release_name(workspace, conn, job)},
                               detail={"output_sha256": job.output_sha256})
    if approved is None:
        raise UsageError(f"job {job_id} changed state while it was being approved")
    return _release(workspace, conn, approved)


def finish_releases(workspace: Workspace, conn: sqlite3.Connection, pipeline: Pipeline | None = None
                    ) -> list[jobs.Job]:
    """Release jobs approved before a crash stopped their release (verifying again)."""
    done = []
    for job in jobs.list_jobs(conn, [jobs.APPROVED]):
        pipeline = pipeline or Pipeline(workspace)
        try:
            _verify(workspace, job, pipeline)
        except DocumentHeld as error:
            _hold(conn, job, error)
            continue
        done.append(_release(workspace, conn, job))
    return done


def reject(workspace: Workspace, conn: sqlite3.Connection, job_id: int, by: str, reason: str) -> jobs.Job:
    """A manager rejects a job; its report goes back to ``outbox/returned/`` with the reason."""
    users.require_role(conn, by, "manager", "reject")
    if not reason.strip():
        raise UsageError("a rejection needs a reason (--reason TEXT)")
    job = jobs.get_job(conn, job_id)
    rejected = jobs.transition(conn, job_id, jobs.REJECTED, by, "rejected", reason=reason.strip(),
                               from_states=[jobs.AWAITING_REVIEW, jobs.HELD, jobs.FAILED], updates={"reviewer": by})
    if rejected is None:
        raise UsageError(f"job {job_id} is {job.state}; only a job awaiting review, held or failed can be rejected")
    returned = workspace.root / "outbox" / RETURNED
    returned.mkdir(exist_ok=True)
    base = f"{job.file} (job {job.id})"
    review = {"decision": "rejected", "by": by, "at": rejected.updated, "reason": rejected.reason}
    try:
        data = {**report(workspace, job), "review": review}
        (returned / f"{base}.report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
    except UsageError:
        pass  # held or failed before redaction: there is no report, only the reason
    (returned / f"{base}.reason.txt").write_text(f"rejected by {by} on {rejected.updated}: {rejected.reason}\n",
                                                 encoding="utf-8")
    return rejected
