"""The client register and consent records, kept in the workspace database.

Imports take YAML or CSV lists. A malformed entry stops the whole import
(nothing is written) with the file and line of the entry, because a consent
register that is half-imported is worse than one that is not.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import yaml

from .errors import UsageError
from .model import SCOPES, Client, ConsentRecord


def _yaml_entries(path: Path) -> Iterator[tuple[int, Any]]:
    """Each entry of a YAML list with the line it starts on."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise UsageError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode):
        raise UsageError(f"{path}:{root.start_mark.line + 1}: expected a list of entries")
    for node in root.value:
        value = yaml.SafeLoader(yaml.serialize(node)).get_single_data()
        yield node.start_mark.line + 1, value


def read_entries(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The entries of a YAML or CSV list file, each with its line number."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        entries = list(_yaml_entries(path))
    elif suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            entries = [(reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k})
                       for row in reader]
    else:
        raise UsageError(f"{path}: unsupported list format (use .yaml or .csv)")
    for line, entry in entries:
        if not isinstance(entry, dict):
            raise UsageError(f"{path}:{line}: expected a mapping of fields")
    return entries


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return [str(v) for v in value]


def _as_date(value: Any, field: str, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"{where}: {field} {value!r} is not a date (YYYY-MM-DD)") from None


def _require(entry: dict[str, Any], field: str, where: str) -> str:
    value = entry.get(field)
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise UsageError(f"{where}: missing required field {field!r}")
    return str(value).strip()


# --- clients ---------------------------------------------------------------

def import_clients(conn: sqlite3.Connection, path: Path) -> int:
    """Add or update every client in the file; returns how many."""
    clients = []
    for line, entry in read_entries(path):
        where = f"{path}:{line}"
        clients.append(Client(
            id=_require(entry, "id", where), name=_require(entry, "name", where),
            aliases=_as_list(entry.get("aliases")), dob=_as_date(entry.get("dob"), "dob", where),
            address=str(entry["address"]).strip() if entry.get("address") else None,
        ))
    with conn:
        for c in clients:
            conn.execute(
                "INSERT INTO clients (id, name, aliases, dob, address) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, aliases=excluded.aliases, "
                "dob=excluded.dob, address=excluded.address",
                (c.id, c.name, json.dumps(c.aliases), c.dob.isoformat() if c.dob else None, c.address))
    return len(clients)


def _client_from_row(row: sqlite3.Row) -> Client:
    return Client(id=row["id"], name=row["name"], aliases=json.loads(row["aliases"]),
                  dob=date.fromisoformat(row["dob"]) if row["dob"] else None, address=row["address"])


def get_client(conn: sqlite3.Connection, client_id: str) -> Client:
    row = conn.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    if row is None:
        raise UsageError(f"unknown client {client_id!r}: import it with `redactor clients import`")
    return _client_from_row(row)


def list_clients(conn: sqlite3.Connection) -> list[Client]:
    return [_client_from_row(r) for r in conn.execute("SELECT * FROM clients ORDER BY id")]


# --- consent ---------------------------------------------------------------

def check_scopes(scopes: list[str], where: str) -> tuple[str, ...]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise UsageError(f"{where}: unknown consent scope {unknown[0]!r} (known: {', '.join(SCOPES)})")
    return tuple(scopes)


def import_consents(conn: sqlite3.Connection, path: Path, recipients: list[str]) -> int:
    """Record every consent in the file; returns how many.

    The client must be in the register and the recipient one the
    organisation's configuration knows, or nothing is imported.
    """
    records = []
    for line, entry in read_entries(path):
        where = f"{path}:{line}"
        client = _require(entry, "client", where)
        if conn.execute("SELECT 1 FROM clients WHERE id = ?", (client,)).fetchone() is None:
            raise UsageError(f"{where}: unknown client {client!r}")
        recipient = _require(entry, "recipient", where)
        if recipient not in recipients:
            raise UsageError(f"{where}: unknown recipient {recipient!r} (known: {', '.join(recipients)})")
        given = _as_date(_require(entry, "given", where), "given", where)
        expires = _as_date(entry.get("expires"), "expires", where)
        if expires and given and expires < given:
            raise UsageError(f"{where}: consent expires before it was given")
        records.append((client, recipient, json.dumps(check_scopes(_as_list(entry.get("scopes")), where)),
                        given.isoformat(), expires.isoformat() if expires else None,
                        _require(entry, "evidence", where)))
    with conn:
        conn.executemany("INSERT INTO consents (client, recipient, scopes, given, expires, evidence) "
                         "VALUES (?, ?, ?, ?, ?, ?)", records)
    return len(records)


def _consent_from_row(row: sqlite3.Row) -> ConsentRecord:
    return ConsentRecord(
        id=row["id"], client=row["client"], recipient=row["recipient"], scopes=tuple(json.loads(row["scopes"])),
        given=date.fromisoformat(row["given"]),
        expires=date.fromisoformat(row["expires"]) if row["expires"] else None,
        evidence=row["evidence"], withdrawn=date.fromisoformat(row["withdrawn"]) if row["withdrawn"] else None)


def list_consents(conn: sqlite3.Connection, client: str | None = None,
                  recipient: str | None = None) -> list[ConsentRecord]:
    query, args = "SELECT * FROM consents WHERE 1=1", []
    if client:
        query, args = query + " AND client = ?", [*args, client]
    if recipient:
        query, args = query + " AND recipient = ?", [*args, recipient]
    return [_consent_from_row(r) for r in conn.execute(query + " ORDER BY id", args)]


def withdraw_consent(conn: sqlite3.Connection, client: str, recipient: str | None, on: date) -> int:
    """Mark every current consent of `client` (to `recipient`, or all) withdrawn on `on`."""
    get_client(conn, client)
    query = "UPDATE consents SET withdrawn = ? WHERE client = ? AND withdrawn IS NULL"
    args: list[Any] = [on.isoformat(), client]
    if recipient:
        query, args = query + " AND recipient = ?", [*args, recipient]
    with conn:
        return conn.execute(query, args).rowcount
