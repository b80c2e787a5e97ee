"""The audit log: every step of every job, chained by hash so an edit shows.

Each entry's hash covers its own fields and the previous entry's hash, so
changing, deleting or reordering any entry breaks the chain from that entry
on, and `verify` names the first entry that does not add up. Entries hold who,
when, what and content hashes, never document text. Entries are appended in
the same transaction as the change they record (see `db.transaction`).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from .db import now

GENESIS = "0" * 64


def _digest(entry_id: int, at: str, actor: str, action: str, job: int | None, detail: str, prev: str) -> str:
    body = json.dumps([entry_id, at, actor, action, job, detail, prev], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, actor: str, action: str, job: int | None = None, **detail: Any) -> str:
    """Add an entry after the last one; call inside `db.transaction`. Returns its hash."""
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    entry_id, prev = (last["id"] + 1, last["hash"]) if last else (1, GENESIS)
    at, body = now(), json.dumps(detail, ensure_ascii=False, sort_keys=True)
    digest = _digest(entry_id, at, actor, action, job, body, prev)
    conn.execute("INSERT INTO audit (id, at, actor, action, job, detail, prev_hash, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (entry_id, at, actor, action, job, body, prev, digest))
    return digest


@dataclass
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    job: int | None
    detail: dict[str, Any]
    hash: str


def history(conn: sqlite3.Connection, job: int | None = None) -> list[AuditEntry]:
    """Entries in order, all or one job's."""
    query, args = "SELECT * FROM audit", ()
    if job is not None:
        query, args = query + " WHERE job = ?", (job,)
    return [AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["job"], json.loads(r["detail"]), r["hash"])
            for r in conn.execute(query + " ORDER BY id", args)]


@dataclass
class ChainCheck:
    """The outcome of `verify`: how many entries hold, and where it first breaks."""

    entries: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(conn: sqlite3.Connection) -> ChainCheck:
    """Recompute every hash and link; the first entry that fails is where it breaks."""
    prev, expected_id, count = GENESIS, 1, 0
    for row in conn.execute("SELECT * FROM audit ORDER BY id"):
        if row["id"] != expected_id:
            return ChainCheck(count, row["id"], f"entry {expected_id} is missing")
        if row["prev_hash"] != prev:
            return ChainCheck(count, row["id"], "it does not follow from the entry before it")
        digest = _digest(row["id"], row["at"], row["actor"], row["action"], row["job"], row["detail"],
                         row["prev_hash"])
        if digest != row["hash"]:
            return ChainCheck(count, row["id"], "its content does not match its hash (edited)")
        prev, expected_id, count = row["hash"], expected_id + 1, count + 1
    return ChainCheck(count)
