"""The outbox: which dropped files to take, when they are complete, and whose they are.

Workers save reports into ``outbox/<recipient>/``. A file is taken only once
it is complete: its size and modification time (and its sidecar's) have not
changed for the settle delay and it opens as its format, or it has sat
unchanged so long (the grace period) that it never will, and is held as
unreadable. Editors' lock files, temporary and system files are never taken.

The client comes from the file name (``config["outbox"]["client_pattern"]``,
a regex with a named group ``client``) or from a sidecar ``<file>.yaml``
(``client``, ``recipient``, ``note``). Write the sidecar before the report.
"""
from __future__ import annotations

import re
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from . import jobs, store
from .register import get_client
from .errors import UsageError
from .workspace import Workspace

try:  # POSIX only: Windows has no user database to name a file's owner from
    import pwd
except ImportError:  # pragma: no cover - Windows
    pwd = None  # type: ignore[assignment]

#: Outbox folders that are not recipients: where rejected reports come back.
RETURNED = "returned"
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
#: Partial downloads and editor files, our own notes, and sidecars (read with their file).
IGNORED_SUFFIXES = (".tmp", ".temp", ".part", ".crdownload", ".swp", ".reason.txt", ".yaml", ".yml")
SIDECAR = ".yaml"
REASON = ".reason.txt"


def ignored(path: Path) -> bool:
    """Lock (``~$x``, ``.~lock.x#``), hidden, temporary and system files, sidecars and notes."""
    lower = path.name.lower()
    return lower.startswith(("~$", ".")) or lower in IGNORED_NAMES or lower.endswith(IGNORED_SUFFIXES)


def wanted(outbox: Path, path: Path) -> bool:
    """Whether `path` is a file a worker dropped for release (not in returned/, not ignored)."""
    try:
        parts = path.relative_to(outbox).parts
    except ValueError:
        return False
    return (bool(parts) and parts[0] != RETURNED and not any(p.startswith(".") for p in parts[:-1])
            and not ignored(path) and path.is_file())


def candidates(outbox: Path, under: Path | None = None) -> Iterator[Path]:
    """Every file dropped for release in the outbox (or in one folder of it)."""
    for path in sorted((under or outbox).rglob("*")):
        if wanted(outbox, path):
            yield path


def opens_as_format(path: Path) -> bool:
    """A cheap structural check that a file is all there: a Word zip with its
    directory, a PDF with its end marker, any non-empty file otherwise.

    The format plugins do the real reading later; this only tells a file
    still being copied from a finished one.
    """
    try:
        if path.stat().st_size == 0:
            return False
        suffix = path.suffix.lower()
        if suffix in (".docx", ".docm", ".dotx"):
            with zipfile.ZipFile(path) as package:
                return "[Content_Types].xml" in package.namelist()
        if suffix == ".pdf":
            with path.open("rb") as handle:
                head = handle.read(1024)
                handle.seek(max(0, path.stat().st_size - 2048))
                return head.startswith(b"%PDF-") and b"%%EOF" in handle.read()
        return True
    except (OSError, zipfile.BadZipFile):
        return False


def _signature(path: Path) -> tuple[Any, ...] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    side = path.with_name(path.name + SIDECAR)
    side_st = side.stat() if side.exists() else None
    return st.st_size, st.st_mtime_ns, side_st and (side_st.st_size, side_st.st_mtime_ns)


class Settler:
    """Files seen in the outbox, each let through once it has stopped changing."""

    def __init__(self, settle: float, grace: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.settle, self.grace, self.clock = settle, max(grace, settle), clock
        self._seen: dict[Path, tuple[tuple[Any, ...], float]] = {}

    def see(self, path: Path) -> None:
        if path not in self._seen and not ignored(path):
            signature = _signature(path)
            if signature is not None:
                self._seen[path] = (signature, self.clock())

    @property
    def pending(self) -> int:
        return len(self._seen)

    def next_due(self) -> float | None:
        """Seconds until the earliest unchanged file has settled (None when none is waiting)."""
        if not self._seen:
            return None
        return max(0.0, min(since for _, since in self._seen.values()) + self.settle - self.clock())

    def ready(self) -> list[Path]:
        """The files complete now; they are forgotten here once returned."""
        done, now = [], self.clock()
        for path, (signature, since) in list(self._seen.items()):
            current = _signature(path)
            if current is None:
                del self._seen[path]
            elif current != signature:
                self._seen[path] = (current, now)
            elif now - since >= self.grace or (now - since >= self.settle and opens_as_format(path)):
                del self._seen[path]
                done.append(path)
        return done


@dataclass
class Drop:
    """A complete file in the outbox and what it says about itself."""

    path: Path
    dropped: str
    client: str | None
    recipient: str | None
    note: str | None
    reason: str | None


def _sidecar(path: Path) -> dict[str, Any]:
    side = path.with_name(path.name + SIDECAR)
    if not side.is_file():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        raise UsageError(f"the sidecar {side.name} is not valid YAML") from None
    if not isinstance(data, dict):
        raise UsageError(f"the sidecar {side.name} must be a mapping (client, recipient, note)")
    return {k: str(v).strip() for k, v in data.items() if v is not None}


def identify(workspace: Workspace, conn: sqlite3.Connection, path: Path) -> Drop:
    """Whose a dropped file is and for whom, or the reason it must be held."""
    outbox = workspace.root / "outbox"
    parts = path.relative_to(outbox).parts
    folder = parts[0] if len(parts) > 1 else None
    drop = Drop(path, "/".join(parts), None, folder, None, None)
    try:
        side = _sidecar(path)
    except UsageError as error:
        drop.reason = str(error)
        return drop
    drop.note = side.get("note")
    if side.get("recipient") and folder and side["recipient"] != folder:
        drop.reason = f"the sidecar names recipient {side['recipient']!r} but the file is in outbox/{folder}/"
        return drop
    drop.recipient = side.get("recipient") or folder
    pattern = ((workspace.config.get("outbox") or {}).get("client_pattern")) or r"(?P<client>\S+-\d+)"
    match = re.search(pattern, path.name)
    drop.client = side.get("client") or (match.group("client") if match else None)
    if drop.recipient is None:
        drop.reason = "no recipient: save the file in outbox/<recipient>/ or name one in a sidecar"
    elif drop.recipient not in workspace.recipients:
        drop.reason = f"unknown recipient {drop.recipient!r} (known: {', '.join(workspace.recipients)})"
    elif drop.client is None:
        drop.reason = "no client reference in the file name and no sidecar naming the client"
    elif path.stat().st_size == 0:
        drop.reason = "the file is empty"
    else:
        try:
            get_client(conn, drop.client)
        except UsageError:
            drop.reason = f"unknown client reference {drop.client!r}: not in the client register"
    return drop


def write_reason(workspace: Workspace, job: jobs.Job, text: str, dropped: str | None = None) -> None:
    """Leave a note beside where the worker dropped the file, saying what happened.

    Notes hold only reasons, which never quote document text.
    """
    where = workspace.root / "outbox" / f"{dropped or job.dropped}{REASON}"
    if where.parent.is_dir():
        where.write_text(f"job {job.id} ({job.file}): {text}\n", encoding="utf-8")


def _owner(path: Path) -> str:
    """Who dropped a file: its owner's login on POSIX. Windows has no ``pwd``
    and ``st_uid`` is always 0 there, so the owner is recorded as unknown
    rather than guessed (the watcher's own login would misattribute it)."""
    if pwd is None:
        return "os:unknown"
    uid = path.stat().st_uid
    try:
        return f"os:{pwd.getpwuid(uid).pw_name}"
    except KeyError:
        return f"os:uid {uid}"


def _store_sidecar(workspace: Workspace, job: jobs.Job, path: Path) -> None:
    side = path.with_name(path.name + SIDECAR)
    if side.is_file():
        store.move(side, store.original(workspace, job).with_name(side.name))


def finish_interrupted_intakes(workspace: Workspace, conn: sqlite3.Connection) -> list[jobs.Job]:
    """Move into the store the originals of jobs recorded just before a crash.

    Run at start, before any job is processed: such a job's file is still
    where it was dropped, already hashed; it is moved only if unchanged.
    """
    moved = []
    for job in jobs.list_jobs(conn, [jobs.RECEIVED, jobs.HELD]):
        dropped = workspace.root / "outbox" / job.dropped
        if store.original(workspace, job).exists() or not dropped.is_file():
            continue
        if store.sha256_file(dropped) == job.sha256:
            store.move(dropped, store.original(workspace, job))
            _store_sidecar(workspace, job, dropped)
            moved.append(job)
    return moved


def intake(workspace: Workspace, conn: sqlite3.Connection, path: Path) -> tuple[str, jobs.Job]:
    """Record a complete file as a job and move it into the store.

    Returns what happened (``received``, ``held``, ``duplicate``,
    ``resubmitted``) and the job. Safe to repeat after a crash at any point:
    a file whose job is recorded but whose original never reached the store
    completes its move instead of counting as a duplicate.
    """
    drop = identify(workspace, conn, path)
    actor, sha256 = _owner(path), store.sha256_file(path)
    stale_note = path.with_name(path.name + REASON)
    job = jobs.find_by_hash(conn, sha256)
    if job is None:
        job = jobs.create(conn, sha256=sha256, file=path.name, dropped=drop.dropped, client=drop.client,
                          recipient=drop.recipient, note=drop.note, reason=drop.reason, actor=actor)
        outcome = jobs.HELD if drop.reason else jobs.RECEIVED
    elif not store.original(workspace, job).exists() and not job.purged:
        outcome = job.state
    elif job.state in jobs.RESUBMITTABLE and drop.reason is None:
        job = jobs.transition(conn, job.id, jobs.RECEIVED, actor, "resubmitted", from_states=jobs.RESUBMITTABLE,
                              updates={"client": drop.client, "recipient": drop.recipient, "note": drop.note,
                                       "dropped": drop.dropped, "attempts": 0}) or job
        outcome = "resubmitted"
    else:
        jobs.record_duplicate(conn, job, path.name, actor)
        write_reason(workspace, job, f"a duplicate of job {job.id} ({job.state}); not queued again",
                     drop.dropped)
        path.with_name(path.name + SIDECAR).unlink(missing_ok=True)
        path.unlink()
        return "duplicate", job
    if store.original(workspace, job).exists():
        path.unlink()
    else:
        store.move(path, store.original(workspace, job))
    _store_sidecar(workspace, job, path)
    if job.state == jobs.HELD:
        write_reason(workspace, job, f"held: {job.reason}")
    else:
        stale_note.unlink(missing_ok=True)
    return outcome, job
