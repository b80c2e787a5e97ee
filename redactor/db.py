"""The review queue's tables, and one-transaction-per-state-change access.

The queue, the users and the audit log live in the workspace database next
to the register, so a job's state change and its audit entry commit
together or not at all. The schema is kept here rather than in
``workspace.py`` so the queue can grow without touching the register.

Every change goes through `transaction`, which takes SQLite's write lock
*before* reading (``BEGIN IMMEDIATE``): two processes (the watcher and a
reviewer at the command line) can then never both read the same last audit
hash or both claim the same job.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from .workspace import Workspace

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    dropped TEXT NOT NULL,
    stored TEXT NOT NULL,
    client TEXT,
    recipient TEXT,
    note TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    submitted TEXT NOT NULL,
    updated TEXT NOT NULL,
    reviewer TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    output_sha256 TEXT,
    released_as TEXT,
    purged TEXT
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    added TEXT NOT NULL,
    added_by TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    job INTEGER,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
"""


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds (latency is measured from it)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def connect(workspace: Workspace) -> sqlite3.Connection:
    """A connection with the queue schema, in autocommit mode so `transaction` decides."""
    conn = workspace.connect()
    conn.executescript(SCHEMA)
    conn.isolation_level = None
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction holding the database lock from its first read."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
