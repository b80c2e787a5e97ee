"""Web sign-in: password hashes, server-side sessions and the failed sign-in limit.

Kept in tables of their own in the workspace database, next to the users
table of `redactor.users` (which this module only reads): a user without a
password cannot sign in. Passwords are hashed with argon2id. A session is a
random id held server-side, so signing out (or an admin removing a user)
ends it at once; the cookie carries only that id, signed by Flask.
After `MAX_FAILURES` failed sign-ins for one name within `FAILURE_WINDOW`,
that name is refused, even with the right password, until the window passes.
"""
from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .. import audit, users
from ..db import now, transaction
from ..errors import UsageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_passwords (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    set_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_failures (
    name TEXT NOT NULL,
    at TEXT NOT NULL
);
"""
MIN_PASSWORD = 10
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_IDLE = timedelta(hours=8)

_hasher = PasswordHasher()
#: Verified against when the name is unknown, so timing does not reveal which names exist.
_DUMMY = _hasher.hash(secrets.token_hex(16))


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def _ago(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) - delta).isoformat(timespec="milliseconds")


def set_password(conn: sqlite3.Connection, name: str, password: str, by: str | None) -> None:
    """Set `name`'s password; once an admin exists, `by` must be an admin (or `name` changing their own)."""
    ensure_schema(conn)
    if users.get_user(conn, name) is None:
        raise UsageError(f"no user {name!r}; add one with `redactor users add`")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"a password needs at least {MIN_PASSWORD} characters")
    if by != name and conn.execute("SELECT 1 FROM users WHERE role = 'admin'").fetchone():
        users.require_role(conn, by, "admin", "set other users' passwords")
    digest = _hasher.hash(password)
    with transaction(conn):
        conn.execute("INSERT INTO web_passwords (name, hash, set_at) VALUES (?, ?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
                     (name, digest, now()))
        conn.execute("DELETE FROM web_sessions WHERE name = ?", (name,))
        audit.append(conn, by or name, "password_set", user=name)


def locked_out(conn: sqlite3.Connection, name: str) -> bool:
    ensure_schema(conn)
    count = conn.execute("SELECT COUNT(*) FROM web_failures WHERE name = ? AND at > ?",
                         (name, _ago(FAILURE_WINDOW))).fetchone()[0]
    return int(count) >= MAX_FAILURES


def check_password(conn: sqlite3.Connection, name: str, password: str) -> users.User | None:
    """The user if `password` is theirs and they are not locked out; a failure is counted and audited."""
    ensure_schema(conn)
    if locked_out(conn, name):
        with transaction(conn):
            audit.append(conn, name, "sign_in_refused", reason="too many failed sign-ins")
        return None
    row = conn.execute("SELECT hash FROM web_passwords WHERE name = ?", (name,)).fetchone()
    user = users.get_user(conn, name)
    try:
        ok = _hasher.verify(row["hash"] if row else _DUMMY, password) and row is not None and user is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    with transaction(conn):
        if ok:
            conn.execute("DELETE FROM web_failures WHERE name = ?", (name,))
            audit.append(conn, name, "signed_in")
        else:
            conn.execute("INSERT INTO web_failures (name, at) VALUES (?, ?)", (name, now()))
            audit.append(conn, name, "sign_in_failed")
    return user if ok else None


def start_session(conn: sqlite3.Connection, name: str) -> str:
    sid = secrets.token_urlsafe(32)
    with transaction(conn):
        conn.execute("DELETE FROM web_sessions WHERE seen < ?", (_ago(SESSION_IDLE),))
        conn.execute("INSERT INTO web_sessions (id, name, created, seen) VALUES (?, ?, ?, ?)",
                     (sid, name, now(), now()))
    return sid


def session_user(conn: sqlite3.Connection, sid: str | None) -> users.User | None:
    """The signed-in user of session `sid`, if it exists and has not been idle too long."""
    if not sid:
        return None
    row = conn.execute("SELECT name FROM web_sessions WHERE id = ? AND seen > ?",
                       (sid, _ago(SESSION_IDLE))).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE web_sessions SET seen = ? WHERE id = ?", (now(), sid))
    return users.get_user(conn, row["name"])


def end_session(conn: sqlite3.Connection, sid: str | None) -> None:
    if sid:
        conn.execute("DELETE FROM web_sessions WHERE id = ?", (sid,))
