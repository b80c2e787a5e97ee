"""A workspace: one organisation's folder, its configuration and its database.

    WS/redactor.yaml   the organisation's configuration (copied from configs/)
    WS/redactor.db     SQLite: clients, consent and (later) the review queue
    WS/outbox/ WS/released/ WS/store/   folders the outbox and review use

Every command but `init` finds its workspace from ``--workspace``, else the
``REDACTOR_WORKSPACE`` environment variable, else the current folder.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError

CONFIG_NAME = "redactor.yaml"
DB_NAME = "redactor.db"
FOLDERS = ("outbox", "released", "store", "held")
ORG_CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"

SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    dob TEXT,
    address TEXT
);
CREATE TABLE IF NOT EXISTS consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL REFERENCES clients(id),
    recipient TEXT NOT NULL,
    scopes TEXT NOT NULL,
    given TEXT NOT NULL,
    expires TEXT,
    evidence TEXT NOT NULL,
    withdrawn TEXT
);
"""


def known_orgs() -> list[str]:
    """Organisations with a configuration in ``configs/``."""
    return sorted(p.stem for p in ORG_CONFIG_DIR.glob("*.yaml"))


def load_org_config(org: str) -> dict[str, Any]:
    path = ORG_CONFIG_DIR / f"{org}.yaml"
    if not path.is_file():
        raise UsageError(f"unknown organisation {org!r} (known: {', '.join(known_orgs())})")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Workspace:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def config(self) -> dict[str, Any]:
        return yaml.safe_load(self.config_path.read_text(encoding="utf-8"))

    @property
    def org(self) -> str:
        return self.config["org"]

    @property
    def recipients(self) -> list[str]:
        return list(self.config.get("recipients") or [])

    def connect(self) -> sqlite3.Connection:
        """A connection to the workspace database, in WAL mode, schema applied."""
        conn = sqlite3.connect(self.root / DB_NAME, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        return conn

    @classmethod
    def create(cls, root: Path, org: str) -> "Workspace":
        """Make a new workspace for `org`; refuse to overwrite an existing one."""
        config = load_org_config(org)
        if (root / CONFIG_NAME).exists():
            raise UsageError(f"{root} is already a workspace")
        root.mkdir(parents=True, exist_ok=True)
        for folder in FOLDERS:
            (root / folder).mkdir(exist_ok=True)
        for recipient in config.get("recipients") or []:
            (root / "outbox" / recipient).mkdir(exist_ok=True)
        (root / "store").chmod(0o700)
        (root / CONFIG_NAME).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        workspace = cls(root)
        workspace.connect().close()
        return workspace

    @classmethod
    def find(cls, explicit: str | os.PathLike[str] | None = None) -> "Workspace":
        """The workspace named on the command line, in the environment, or here."""
        candidate = explicit or os.environ.get("REDACTOR_WORKSPACE") or os.getcwd()
        root = Path(candidate).resolve()
        if not (root / CONFIG_NAME).is_file():
            raise UsageError(f"{root} is not a redactor workspace (run `redactor init DIR --org ORG`)")
        return cls(root)
