"""Helpers for the outbox, queue and audit tests: workspaces, reports, a running watcher.

Each test gets its own workspace and `Pipeline`; the language model is
cached per process by `redactor.nlp`, so only the first pipeline pays for it.
Reports are small plain-text files generated here.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import yaml

from redactor import db, jobs
from redactor.pipeline import Pipeline
from redactor.users import add_user
from redactor.watch import WatchSettings, Watcher
from redactor.workspace import Workspace

CLIENTS = [
    {"id": "C-1042", "name": "Jane Smith", "aliases": ["Janey"], "dob": "1980-03-04",
     "address": "12 High Street, Cardiff"},
    {"id": "C-2077", "name": "Peter Owens", "dob": "1975-11-20", "address": "3 Mill Lane, Newport"},
]
#: Text the reports contain that redaction removes for a court (no consent).
PHONE = "07700 900123"
SISTER = "Mary Brown"


def make_workspace(root: Path, org: str = "carers_wales") -> Workspace:
    """A workspace with the two clients registered, a manager and an admin."""
    from redactor.register import import_clients

    workspace = Workspace.create(root, org)
    clients = root.parent / f"{root.name}-clients.yaml"
    clients.write_text(yaml.safe_dump(CLIENTS), encoding="utf-8")
    with db.connect(workspace) as conn:
        import_clients(conn, clients)
        add_user(conn, "alice", "admin")
        add_user(conn, "maria", "manager", by="alice")
        add_user(conn, "wes", "worker", by="alice")
    return workspace


def report_text(number: int, client: str = "C-1042", words: int = 0) -> str:
    """A short report (distinct per `number`), optionally padded to about `words` words."""
    name = next(c["name"] for c in CLIENTS if c["id"] == client)
    text = (f"Report {number} about {name} ({client}). Her phone is {PHONE}.\n"
            f"She met Dr Alan Jones at the surgery on visit {number}. Her sister {SISTER} attended.\n")
    filler = "The support worker reviewed the plan and agreed the next steps with the team. "
    while len(text.split()) < words:
        text += filler
    return text


def drop(workspace: Workspace, name: str, text: str | bytes, recipient: str = "court") -> Path:
    path = workspace.root / "outbox" / recipient / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def states(workspace: Workspace) -> Counter[str]:
    with db.connect(workspace) as conn:
        return Counter(job.state for job in jobs.list_jobs(conn))


def all_jobs(workspace: Workspace) -> list[jobs.Job]:
    with db.connect(workspace) as conn:
        return jobs.list_jobs(conn)


def wait_for(condition: Callable[[], bool], timeout: float = 600.0, what: str = "condition") -> None:
    """Poll until `condition()` holds; the timeout only stops a hung test (generous:
    a loaded 2-core CI machine can take minutes to load the model in a subprocess)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def watching(workspace: Workspace, settle: float = 0.3, log: list[str] | None = None,
             polling: bool = False) -> Iterator[Watcher]:
    """The real watcher on the workspace's outbox, in a thread, stopped on exit."""
    watcher = Watcher(Pipeline(workspace), WatchSettings(settle=settle, rescan=2.0, polling=polling),
                      log=(log.append if log is not None else lambda line: None))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            watcher.run()
        except BaseException as error:  # surfaced in the test thread below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield watcher
    finally:
        watcher.stop.set()
        thread.join(timeout=30)
    if errors:
        raise errors[0]


def run_once(workspace: Workspace, settle: float = 0.2, log: list[str] | None = None) -> None:
    """`redactor watch --once` in-process."""
    Watcher(Pipeline(workspace), WatchSettings(settle=settle),
            log=(log.append if log is not None else lambda line: None)).run(once=True)
