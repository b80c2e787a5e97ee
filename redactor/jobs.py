"""The queue: one job per distinct file content, and every state it goes through.

    received -> processing -> awaiting_review -> approved -> released
                          \\-> held | failed       \\-> rejected

A job is keyed by the SHA-256 of the file, so the same report dropped twice
is one job. Each state change is one transaction with its audit entry, and
is conditional on the state it leaves, so a crashed or concurrent process
can never move a job twice. A command-line review and the web page (a later
issue) both go through these functions.
"""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from . import audit
from .db import now, transaction
from .errors import UsageError

RECEIVED, PROCESSING, AWAITING_REVIEW = "received", "processing", "awaiting_review"
APPROVED, RELEASED = "approved", "released"
HELD, REJECTED, FAILED = "held", "rejected", "failed"
STATES = (RECEIVED, PROCESSING, AWAITING_REVIEW, APPROVED, RELEASED, HELD, REJECTED, FAILED)
#: States a new drop of the same content sends back to `received`: the
#: worker fixed the reason (a sidecar, a client added to the register).
RESUBMITTABLE = (HELD, FAILED)
#: A document that keeps killing the worker is failed rather than retried forever.
MAX_ATTEMPTS = 3
SYSTEM = "watcher"


@dataclass
class Job:
    id: int
    sha256: str
    file: str
    dropped: str
    stored: str
    client: str | None
    recipient: str | None
    note: str | None
    state: str
    reason: str | None
    submitted: str
    updated: str
    reviewer: str | None
    attempts: int
    duplicates: int
    output_sha256: str | None
    released_as: str | None
    purged: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _job(row: sqlite3.Row) -> Job:
    return Job(**{key: row[key] for key in row.keys()})


def get_job(conn: sqlite3.Connection, job_id: int) -> Job:
    row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None:
        raise UsageError(f"no job {job_id}")
    return _job(row)


def find_by_hash(conn: sqlite3.Connection, sha256: str) -> Job | None:
    row = conn.execute("SELECT * FROM jobs WHERE sha256 = ?", (sha256,)).fetchone()
    return _job(row) if row else None


def list_jobs(conn: sqlite3.Connection, states: Iterable[str] | None = None) -> list[Job]:
    """Jobs oldest first, optionally only those in `states`."""
    states = list(states or [])
    where = f" WHERE state IN ({','.join('?' * len(states))})" if states else ""
    return [_job(r) for r in conn.execute(f"SELECT * FROM jobs{where} ORDER BY id", states)]


def create(conn: sqlite3.Connection, *, sha256: str, file: str, dropped: str, client: str | None,
           recipient: str | None, note: str | None, reason: str | None, actor: str) -> Job:
    """Record a newly dropped file: `received`, or `held` when `reason` says why not.

    `dropped` is where it was, relative to the outbox (where a reason note
    goes); the original is to be stored at ``store/<id>/original/<file>``.
    """
    state, at = (HELD if reason else RECEIVED), now()
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO jobs (sha256, file, dropped, stored, client, recipient, note, state, reason, submitted, "
            "updated) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
            (sha256, file, dropped, client, recipient, note, state, reason, at, at))
        job_id = int(cursor.lastrowid or 0)
        conn.execute("UPDATE jobs SET stored = ? WHERE id = ?", (f"{job_id}/original/{file}", job_id))
        audit.append(conn, actor, "received", job_id, sha256=sha256, file=file, client=client,
                     recipient=recipient)
        if reason:
            audit.append(conn, SYSTEM, "held", job_id, sha256=sha256, reason=reason)
    return get_job(conn, job_id)


def transition(conn: sqlite3.Connection, job_id: int, to_state: str, actor: str, action: str, *,
               from_states: Iterable[str], reason: str | None = None, updates: dict[str, Any] | None = None,
               detail: dict[str, Any] | None = None) -> Job | None:
    """Move a job to `to_state` if it is in one of `from_states`, with its audit entry.

    Returns the updated job, or None when the job was not in a state it may
    leave this way (someone else got there first); nothing changes then.
    """
    from_states = list(from_states)
    fields = {"state": to_state, "reason": reason, "updated": now(), **(updates or {})}
    assignments = ", ".join(f"{name} = ?" for name in fields)
    with transaction(conn):
        cursor = conn.execute(
            f"UPDATE jobs SET {assignments} WHERE id = ? AND state IN ({','.join('?' * len(from_states))})",
            [*fields.values(), job_id, *from_states])
        if cursor.rowcount != 1:
            return None
        sha256 = conn.execute("SELECT sha256 FROM jobs WHERE id = ?", (job_id,)).fetchone()["sha256"]
        audit.append(conn, actor, action, job_id, sha256=sha256, state=to_state,
                     **({"reason": reason} if reason else {}), **(detail or {}))
    return get_job(conn, job_id)


def record_duplicate(conn: sqlite3.Connection, job: Job, file: str, actor: str) -> None:
    """Count a second drop of a job's content; it makes no new job."""
    with transaction(conn):
        conn.execute("UPDATE jobs SET duplicates = duplicates + 1 WHERE id = ?", (job.id,))
        audit.append(conn, actor, "duplicate", job.id, sha256=job.sha256, file=file)


def claim_next(conn: sqlite3.Connection) -> Job | None:
    """Take the oldest received job into processing, counting the attempt."""
    while True:
        row = conn.execute("SELECT id, attempts FROM jobs WHERE state = ? ORDER BY id LIMIT 1",
                           (RECEIVED,)).fetchone()
        if row is None:
            return None
        job = transition(conn, row["id"], PROCESSING, SYSTEM, "processing", from_states=[RECEIVED],
                         updates={"attempts": row["attempts"] + 1})
        if job is not None:
            return job


def recover(conn: sqlite3.Connection) -> list[Job]:
    """Send jobs a killed process left in processing back to received (or fail them).

    Call only while holding the watcher lock, when no one else can be
    processing. Returns the jobs it touched.
    """
    touched = []
    for job in list_jobs(conn, [PROCESSING]):
        if job.attempts >= MAX_ATTEMPTS:
            moved = transition(conn, job.id, FAILED, SYSTEM, "failed", from_states=[PROCESSING],
                               reason=f"processing was interrupted {job.attempts} times; "
                                      "the file may crash the redactor")
        else:
            moved = transition(conn, job.id, RECEIVED, SYSTEM, "retried", from_states=[PROCESSING],
                               reason="processing was interrupted; retrying")
        touched += [moved] if moved else []
    return touched
