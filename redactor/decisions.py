"""A reviewer's decisions on a job, and the two-person rule for a breach of confidentiality.

A manager may, before approving a job:

- **un-redact** a replaced span, with a written justification. The span's
  text is released wherever it appears (a string removed in one place and
  readable in another would fail verification);
- **add** a redaction: a term removed at every occurrence (a selection on
  the page becomes a term too, for the same reason);
- **withdraw** an earlier decision.

Decisions are stored per job (``review_decisions``) and the job is redacted
again from its stored original with every decision in force applied (terms
through the pipeline's ``terms``, un-redactions through
`Pipeline.redact_file`'s ``keep``), regenerating the stored output and its
report, verification included. The page renders from that report and
approval releases that output, so the page and the released file are made by
the same writer from the same decisions.

**Breach of confidentiality.** Un-redacting anything the policy removed (any
finding that is not a reviewer's own added term) releases something the
client has not consented to share with that recipient. Such a decision needs
a justification and then the organisation's authorisation procedure
(``breach_procedure`` in its config: a list of steps, each naming the
capacities any one of which may sign it; by default one step, any
authoriser). Every step is signed by a user with the authoriser role who is
neither the person who asked nor anyone who signed an earlier step, stating
the capacity they sign in and their written notes. Until every step is
signed the job cannot be approved (`releasable`); an authoriser may instead
refuse, and the text is redacted again.

Every decision, signature, refusal and withdrawal goes to the audit log in
the same transaction as the change it records.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable

from . import audit, jobs, store, users
from .db import now, transaction
from .errors import RedactorError, UsageError
from .pipeline import Keep, Pipeline, _norm
from .report import write_report
from .workspace import Workspace

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER,
    "end" INTEGER,
    term TEXT,
    justification TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    breach INTEGER NOT NULL DEFAULT 0,
    closed_by TEXT,
    closed_at TEXT,
    closed_reason TEXT
);
CREATE INDEX IF NOT EXISTS review_decisions_job ON review_decisions(job);
CREATE TABLE IF NOT EXISTS breach_signatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    decision INTEGER NOT NULL,
    step INTEGER NOT NULL,
    capacity TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    notes TEXT NOT NULL
);
"""

UNREDACT, ADD = "unredact", "add"
#: Decision states. `APPLIED` ones are in the output the page shows.
ACTIVE, AWAITING, AUTHORISED = "active", "awaiting_authorisation", "authorised"
REFUSED, WITHDRAWN = "refused", "withdrawn"
APPLIED = (ACTIVE, AWAITING, AUTHORISED)
#: The default authorisation procedure: one step, any authoriser.
DEFAULT_PROCEDURE = [["Authoriser"]]
MIN_TERM = 2


@dataclass
class Signature:
    step: int
    capacity: str
    by: str
    at: str
    notes: str


@dataclass
class ReviewDecision:
    id: int
    job: int
    kind: str
    start: int | None
    end: int | None
    term: str | None
    justification: str
    by: str
    at: str
    state: str
    breach: bool
    closed_by: str | None
    closed_at: str | None
    closed_reason: str | None
    signatures: list[Signature] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return self.state in APPLIED


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def procedure(config: dict[str, Any]) -> list[list[str]]:
    """The steps of a breach authorisation, each the capacities any one of which signs it."""
    steps = config.get("breach_procedure") or DEFAULT_PROCEDURE
    return [[str(c) for c in (step if isinstance(step, list) else [step])] for step in steps]


def _decision(conn: sqlite3.Connection, row: sqlite3.Row) -> ReviewDecision:
    signed = [Signature(r["step"], r["capacity"], r["by"], r["at"], r["notes"]) for r in conn.execute(
        "SELECT * FROM breach_signatures WHERE decision = ? ORDER BY step", (row["id"],))]
    return ReviewDecision(row["id"], row["job"], row["kind"], row["start"], row["end"], row["term"],
                          row["justification"], row["by"], row["at"], row["state"], bool(row["breach"]),
                          row["closed_by"], row["closed_at"], row["closed_reason"], signed)


def list_decisions(conn: sqlite3.Connection, job_id: int) -> list[ReviewDecision]:
    ensure_schema(conn)
    return [_decision(conn, r) for r in conn.execute(
        "SELECT * FROM review_decisions WHERE job = ? ORDER BY id", (job_id,))]


def get_decision(conn: sqlite3.Connection, decision_id: int) -> ReviewDecision:
    ensure_schema(conn)
    row = conn.execute("SELECT * FROM review_decisions WHERE id = ?", (decision_id,)).fetchone()
    if row is None:
        raise UsageError(f"no decision {decision_id}")
    return _decision(conn, row)


def releasable(conn: sqlite3.Connection, job_id: int) -> str | None:
    """Why the job cannot be released yet (a breach awaiting authorisation), or None."""
    waiting = [d for d in list_decisions(conn, job_id) if d.state == AWAITING]
    if waiting:
        numbers = ", ".join(f"#{d.id}" for d in waiting)
        return (f"un-redaction {numbers} would breach confidentiality and is awaiting authorisation; "
                "it cannot be released until an authoriser other than the person who asked signs it")
    return None


# --- applying decisions -------------------------------------------------------

def _keeps(decisions: list[ReviewDecision]) -> list[Keep]:
    return [Keep(int(d.start or 0), int(d.end or 0), f"un-redacted by {d.by} (decision #{d.id}): {d.justification}")
            for d in decisions if d.kind == UNREDACT and d.applied]


def _terms(decisions: list[ReviewDecision]) -> list[str]:
    return list(dict.fromkeys(str(d.term) for d in decisions if d.kind == ADD and d.applied))


def fingerprint(decisions: list[ReviewDecision]) -> list[int]:
    """What the output must reflect: the ids of the decisions applied to it."""
    return sorted(d.id for d in decisions if d.applied)


def _redact(workspace: Workspace, job: jobs.Job, pipeline: Pipeline, decisions: list[ReviewDecision],
            ids: list[int]) -> dict[str, Any]:
    """Redact the job again into its work folder with `decisions` applied; the report records `ids`."""
    work = store.work_dir(workspace, job)
    shutil.rmtree(work, ignore_errors=True)
    store.private_dir(work)
    try:
        context = pipeline.context_for(job.client or "", job.recipient or "", _terms(decisions))
        outcome = pipeline.redact_file(store.original(workspace, job), context, work, {}, keep=_keeps(decisions))
    except RedactorError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise UsageError(f"that decision cannot be applied: {error}") from error
    except Exception as error:  # fail closed: nothing changes
        shutil.rmtree(work, ignore_errors=True)
        raise UsageError(f"that decision cannot be applied: the redactor failed ({type(error).__name__})") from error
    report = {**outcome.report, "review_decisions": ids}
    assert outcome.output is not None
    write_report(outcome.output.with_name(outcome.output.name + ".report.json"), report)
    store.private(work)
    return report


def _install(workspace: Workspace, job: jobs.Job) -> None:
    """Put the work folder in place of the job's redacted folder."""
    work, final = store.work_dir(workspace, job), store.redacted(workspace, job).parent
    old = final.with_name("redacted.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(work, final)
    shutil.rmtree(old, ignore_errors=True)


def _record_output(conn: sqlite3.Connection, job: jobs.Job, actor: str, report: dict[str, Any]) -> None:
    """Inside a transaction: the job's new output hash, and its audit entry."""
    conn.execute("UPDATE jobs SET output_sha256 = ?, updated = ? WHERE id = ?",
                 (report["output_sha256"], now(), job.id))
    audit.append(conn, actor, "redacted_again", job.id, sha256=job.sha256, input_sha256=report["input_sha256"],
                 output_sha256=report["output_sha256"], redactions=len(report["applied"]),
                 kept=len(report["kept"]), decisions=report["review_decisions"])


def _awaiting_job(conn: sqlite3.Connection, job_id: int) -> jobs.Job:
    job = jobs.get_job(conn, job_id)
    if job.state != jobs.AWAITING_REVIEW:
        raise UsageError(f"job {job_id} is {job.state}; decisions are made only while it awaits review")
    return job


def _change(workspace: Workspace, conn: sqlite3.Connection, job: jobs.Job, pipeline: Pipeline, actor: str,
            decisions: list[ReviewDecision], record: Callable[[sqlite3.Connection], None]) -> None:
    """Redact again with `decisions` (the job's decisions as they will be once
    `record` has run), then record the change and the new output in one
    transaction, then put the output in place. A failure changes nothing."""
    report = _redact(workspace, job, pipeline, decisions, fingerprint(decisions))
    try:
        with transaction(conn):
            if jobs.get_job(conn, job.id).state != jobs.AWAITING_REVIEW:
                raise UsageError(f"job {job.id} changed state meanwhile; nothing was changed")
            record(conn)
            _record_output(conn, job, actor, report)
    except BaseException:
        shutil.rmtree(store.work_dir(workspace, job), ignore_errors=True)
        raise
    _install(workspace, job)


def _next_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'review_decisions'").fetchone()
    return int(row["seq"]) + 1 if row else 1


def _new(conn: sqlite3.Connection, job: jobs.Job, kind: str, by: str, justification: str, *,
         start: int | None = None, end: int | None = None, term: str | None = None,
         breach: bool = False) -> ReviewDecision:
    """A decision about to be recorded, with the id it will get (checked when it is inserted)."""
    return ReviewDecision(_next_id(conn), job.id, kind, start, end, term, justification, by, now(),
                          AWAITING if breach else ACTIVE, breach, None, None, None)


def _insert(conn: sqlite3.Connection, d: ReviewDecision, job: jobs.Job) -> None:
    cursor = conn.execute(
        'INSERT INTO review_decisions (job, kind, start, "end", term, justification, by, at, state, breach) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.job, d.kind, d.start, d.end, d.term, d.justification, d.by, d.at, d.state, int(d.breach)))
    decision_id = int(cursor.lastrowid or 0)
    if decision_id != d.id:   # another process recorded a decision meanwhile: the output names the wrong id
        raise UsageError("another decision was recorded at the same moment; nothing was changed, try again")
    if d.kind == UNREDACT:
        audit.append(conn, d.by, "unredaction_requested", job.id, sha256=job.sha256, decision=decision_id,
                     start=d.start, end=d.end, breach=d.breach, justification=d.justification,
                     state=d.state)
    else:
        audit.append(conn, d.by, "redaction_added", job.id, sha256=job.sha256, decision=decision_id,
                     term_sha256=hashlib.sha256(str(d.term).encode("utf-8")).hexdigest(),
                     justification=d.justification)


def _current_report(workspace: Workspace, job: jobs.Job) -> dict[str, Any]:
    from .review import report
    return report(workspace, job)


def breach_findings(text: str, report: dict[str, Any], start: int, end: int) -> list[dict[str, Any]]:
    """The findings the policy removed that un-redacting `start`-`end` would release
    (those in the span, and those with the same text elsewhere)."""
    wanted = _norm(text[start:end])
    return [r for r in report.get("redactions", []) if r.get("category") != "manual"
            and ((r["start"] < end and start < r["end"]) or _norm(text[r["start"]:r["end"]]) == wanted)]


def unredact(workspace: Workspace, conn: sqlite3.Connection, job_id: int, by: str, start: int, end: int,
             justification: str, pipeline: Pipeline) -> ReviewDecision:
    """A manager un-redacts a replaced span (and its text wherever it appears), with a justification.

    Releasing anything the policy removed is a breach of confidentiality:
    the decision then awaits authorisation and the job cannot be approved
    until it is authorised."""
    ensure_schema(conn)
    users.require_role(conn, by, "manager", "un-redact")
    justification = justification.strip()
    if not justification:
        raise UsageError("an un-redaction needs a written justification")
    job = _awaiting_job(conn, job_id)
    report = _current_report(workspace, job)
    if not any(a["start"] == start and a["end"] == end for a in report["applied"]):
        raise UsageError(f"job {job_id} has no redaction at {start}-{end} (the page may be out of date; reload)")
    text = pipeline.read(store.original(workspace, job), {}).text
    findings = breach_findings(text, report, start, end)
    if not findings:
        raise UsageError("that text was removed by a reviewer's added redaction; withdraw that decision instead")
    decisions = list_decisions(conn, job_id)
    new = _new(conn, job, UNREDACT, by, justification, start=start, end=end, breach=bool(findings))
    _change(workspace, conn, job, pipeline, by, [*decisions, new], lambda c: _insert(c, new, job))
    return get_decision(conn, new.id)


def add_term(workspace: Workspace, conn: sqlite3.Connection, job_id: int, by: str, term: str,
             justification: str, pipeline: Pipeline) -> ReviewDecision:
    """A manager adds a redaction: `term`, removed at every occurrence."""
    ensure_schema(conn)
    users.require_role(conn, by, "manager", "add a redaction")
    term = " ".join(term.split())
    if len(term) < MIN_TERM:
        raise UsageError(f"a redaction needs at least {MIN_TERM} characters of text")
    job = _awaiting_job(conn, job_id)
    text = pipeline.read(store.original(workspace, job), {}).text
    from .detectors.terms import term_pattern
    if not term_pattern(term).search(text):
        raise UsageError("that text does not appear in the report")
    decisions = list_decisions(conn, job_id)
    new = _new(conn, job, ADD, by, justification.strip() or "(no note)", term=term)
    _change(workspace, conn, job, pipeline, by, [*decisions, new], lambda c: _insert(c, new, job))
    return get_decision(conn, new.id)


def withdraw(workspace: Workspace, conn: sqlite3.Connection, decision_id: int, by: str, reason: str,
             pipeline: Pipeline) -> ReviewDecision:
    """A manager withdraws a decision still in force; the job is redacted again without it."""
    ensure_schema(conn)
    users.require_role(conn, by, "manager", "withdraw a decision")
    decision = get_decision(conn, decision_id)
    if not decision.applied:
        raise UsageError(f"decision #{decision_id} is {decision.state}; there is nothing to withdraw")
    job = _awaiting_job(conn, decision.job)
    remaining = [d for d in list_decisions(conn, job.id) if d.id != decision_id]

    def record(c: sqlite3.Connection) -> None:
        _close(c, decision, WITHDRAWN, by, reason.strip() or "(no reason given)", job)

    _change(workspace, conn, job, pipeline, by, remaining, record)
    return get_decision(conn, decision_id)


def _close(conn: sqlite3.Connection, decision: ReviewDecision, state: str, by: str, reason: str,
           job: jobs.Job) -> None:
    cursor = conn.execute("UPDATE review_decisions SET state = ?, closed_by = ?, closed_at = ?, closed_reason = ? "
                          "WHERE id = ? AND state = ?", (state, by, now(), reason, decision.id, decision.state))
    if cursor.rowcount != 1:
        raise UsageError(f"decision #{decision.id} changed meanwhile; reload and try again")
    action = {WITHDRAWN: "decision_withdrawn", REFUSED: "breach_refused"}[state]
    audit.append(conn, by, action, job.id, sha256=job.sha256, decision=decision.id, reason=reason)


def _may_sign(conn: sqlite3.Connection, decision: ReviewDecision, by: str, action: str) -> None:
    users.require_role(conn, by, "authoriser", action)
    if decision.state != AWAITING:
        raise UsageError(f"decision #{decision.id} is {decision.state}, not awaiting authorisation")
    if by == decision.by:
        raise UsageError("the person who asked for an un-redaction cannot authorise it; "
                         "another authoriser must")
    if any(s.by == by for s in decision.signatures):
        raise UsageError(f"{by} has already signed decision #{decision.id}; "
                         "the next step needs a different person")


def authorise(workspace: Workspace, conn: sqlite3.Connection, decision_id: int, by: str, capacity: str,
              notes: str) -> ReviewDecision:
    """An authoriser signs the next step of a breach's authorisation, in `capacity`, with written notes.

    When the last step is signed the decision is authorised and the job may
    be approved (its output already shows the un-redaction)."""
    ensure_schema(conn)
    decision = get_decision(conn, decision_id)
    _may_sign(conn, decision, by, "authorise a breach of confidentiality")
    steps = procedure(workspace.config)
    step = len(decision.signatures)
    allowed = steps[step]
    capacity = capacity.strip()
    if capacity not in allowed:
        raise UsageError(f"step {step + 1} of {len(steps)} of the authorisation is signed as "
                         f"{' or '.join(allowed)}, not {capacity or '(none)'}")
    notes = notes.strip()
    if not notes:
        raise UsageError("an authorisation needs written notes")
    job = jobs.get_job(conn, decision.job)
    last = step + 1 == len(steps)
    with transaction(conn):
        if conn.execute("SELECT COUNT(*) FROM breach_signatures WHERE decision = ?",
                        (decision_id,)).fetchone()[0] != step:
            raise UsageError(f"decision #{decision_id} was signed meanwhile; reload and try again")
        conn.execute("INSERT INTO breach_signatures (decision, step, capacity, by, at, notes) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (decision_id, step, capacity, by, now(), notes))
        if last:
            conn.execute("UPDATE review_decisions SET state = ? WHERE id = ?", (AUTHORISED, decision_id))
        audit.append(conn, by, "breach_authorised" if last else "breach_step_signed", job.id, sha256=job.sha256,
                     decision=decision_id, step=step + 1, of=len(steps), capacity=capacity, notes=notes)
    return get_decision(conn, decision_id)


def refuse(workspace: Workspace, conn: sqlite3.Connection, decision_id: int, by: str, notes: str,
           pipeline: Pipeline) -> ReviewDecision:
    """An authoriser refuses a breach: the text is redacted again, and the notes kept."""
    ensure_schema(conn)
    decision = get_decision(conn, decision_id)
    _may_sign(conn, decision, by, "refuse a breach of confidentiality")
    notes = notes.strip()
    if not notes:
        raise UsageError("a refusal needs written notes")
    job = _awaiting_job(conn, decision.job)
    remaining = [d for d in list_decisions(conn, job.id) if d.id != decision_id]

    def record(c: sqlite3.Connection) -> None:
        _close(c, decision, REFUSED, by, notes, job)

    _change(workspace, conn, job, pipeline, by, remaining, record)
    return get_decision(conn, decision_id)


def ensure_current(workspace: Workspace, conn: sqlite3.Connection, job: jobs.Job, pipeline: Pipeline,
                   actor: str) -> jobs.Job:
    """Redact the job again if its output does not reflect the decisions in force
    (a crash between recording a decision and putting its output in place)."""
    decisions = list_decisions(conn, job.id)
    ids = fingerprint(decisions)
    try:
        done = _current_report(workspace, job).get("review_decisions", [])
    except RedactorError:
        done = None
    if done == ids or (done is None and not ids):
        return job      # current, or no output at all (verification will hold it)
    report = _redact(workspace, job, pipeline, decisions, ids)
    with transaction(conn):
        _record_output(conn, job, actor, report)
    _install(workspace, job)
    return jobs.get_job(conn, job.id)


def summary(decisions: list[ReviewDecision]) -> str:
    """A one-line account for the queue, e.g. ``1 un-redaction awaiting authorisation``."""
    waiting = sum(d.state == AWAITING for d in decisions)
    applied = sum(d.applied for d in decisions)
    parts = [f"{applied} decision(s)"] if applied else []
    if waiting:
        parts.append(f"{waiting} awaiting authorisation")
    return ", ".join(parts)


__all__ = ["ReviewDecision", "Signature", "unredact", "add_term", "withdraw", "authorise", "refuse",
           "releasable", "list_decisions", "get_decision", "procedure", "ensure_current", "breach_findings"]
