"""Users and roles, kept in the workspace so every review action has a name.

Roles: a *worker* drops reports, a *manager* approves or rejects them, an
*authoriser* signs off policy breaches, an *admin* manages users and purges.
The command line cannot prove who is typing, so the name given with
``--by`` must at least be a known user with the right role, and the audit
log records it. The first user needs no one to vouch for them; once an
admin exists, only an admin adds users.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from . import audit
from .db import now, transaction
from .errors import UsageError

ROLES = ("worker", "manager", "authoriser", "admin")


@dataclass
class User:
    name: str
    role: str
    added: str
    added_by: str | None


def get_user(conn: sqlite3.Connection, name: str) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    return User(row["name"], row["role"], row["added"], row["added_by"]) if row else None


def list_users(conn: sqlite3.Connection) -> list[User]:
    return [User(r["name"], r["role"], r["added"], r["added_by"])
            for r in conn.execute("SELECT * FROM users ORDER BY name")]


def require_role(conn: sqlite3.Connection, name: str | None, role: str, action: str) -> User:
    """The user `name`, who must have `role` to do `action`; else a usage error."""
    user = get_user(conn, name) if name else None
    if user is None:
        raise UsageError(f"{action} needs a known user (--by NAME); add one with `redactor users add`")
    if user.role != role:
        raise UsageError(f"{name} is a {user.role}; only {role}s may {action}")
    return user


def add_user(conn: sqlite3.Connection, name: str, role: str, by: str | None = None) -> User:
    """Add or change a user; once an admin exists, `by` must be an admin."""
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r} (known: {', '.join(ROLES)})")
    name = name.strip()
    if not name:
        raise UsageError("a user needs a name")
    with transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE role = 'admin'").fetchone():
            require_role(conn, by, "admin", "add users")
        added = now()
        conn.execute("INSERT INTO users (name, role, added, added_by) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET role = excluded.role", (name, role, added, by))
        audit.append(conn, by or "(first user)", "user_added", user=name, role=role)
    user = get_user(conn, name)
    assert user is not None
    return user
