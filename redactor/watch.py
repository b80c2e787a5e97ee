"""The outbox watcher: take complete files into the queue and redact them.

One process, one `Pipeline` (so the language model loads once), one lock
(so two watchers never race over the same files). At start it sends jobs a
killed watcher left in processing back to the queue, finishes releases a
crash interrupted, and scans the outbox for files that arrived while it
was down; it then follows file-system events (or polls, for network
shares) and rescans now and then in case an event was missed.
"""
from __future__ import annotations

import fcntl
import queue
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from . import db, jobs, nlp
from .errors import UsageError
from .outbox import Settler, candidates, finish_interrupted_intakes, intake, wanted
from .pipeline import Pipeline
from .review import finish_releases
from .worker import process

DEFAULT_SETTLE = 1.0
DEFAULT_RESCAN = 30.0
#: A file that has not opened as its format after this many settle delays never will.
GRACE_FACTOR = 5


@dataclass
class WatchSettings:
    settle: float = DEFAULT_SETTLE
    rescan: float = DEFAULT_RESCAN
    polling: bool = False
    options: dict[str, Any] = field(default_factory=dict)


class _Events(FileSystemEventHandler):
    """Hands paths from the observer thread to the main loop."""

    def __init__(self, inbox: "queue.SimpleQueue[Path]", wake: threading.Event) -> None:
        self.inbox, self.wake = inbox, wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.inbox.put(Path(path if isinstance(path, str) else path.decode()))
        self.wake.set()


class Watcher:
    """Watches one workspace's outbox; `run` until stopped, or `once`."""

    def __init__(self, pipeline: Pipeline, settings: WatchSettings | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self.pipeline, self.workspace = pipeline, pipeline.workspace
        self.settings = settings or WatchSettings()
        self.settler = Settler(self.settings.settle, self.settings.settle * GRACE_FACTOR)
        self.outbox = self.workspace.root / "outbox"
        self.log = log or _stderr
        self.stop = threading.Event()
        self._wake = threading.Event()
        self._events: "queue.SimpleQueue[Path]" = queue.SimpleQueue()
        self._done = 0

    def _lock(self) -> TextIO:
        handle = (self.workspace.root / "store" / ".watcher.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise UsageError(f"another watcher is already running on {self.workspace.root}") from None
        return handle

    def _scan(self) -> None:
        for path in candidates(self.outbox):
            self.settler.see(path)

    def _drain(self) -> None:
        while True:
            try:
                path = self._events.get_nowait()
            except queue.Empty:
                return
            if path.is_dir():
                for found in candidates(self.outbox, path):
                    self.settler.see(found)
            elif wanted(self.outbox, path):
                self.settler.see(path)

    def _take(self, conn: sqlite3.Connection) -> None:
        for path in self.settler.ready():
            try:
                outcome, job = intake(self.workspace, conn, path)
            except FileNotFoundError:
                continue  # moved away (or taken) between the check and the intake
            except OSError as error:  # unreadable for now: left in place, tried again at the next rescan
                self.log(f"{path.name}: could not be taken ({type(error).__name__}: {error.strerror})")
                continue
            if outcome not in (jobs.RECEIVED, "resubmitted"):
                self.log(f"{path.name}: {outcome}, job {job.id}" + (f": {job.reason}" if outcome == jobs.HELD else ""))

    def _process_next(self, conn: sqlite3.Connection) -> bool:
        job = jobs.claim_next(conn)
        if job is None:
            self._done = 0
            return False
        waiting = conn.execute("SELECT COUNT(*) FROM jobs WHERE state = ?", (jobs.RECEIVED,)).fetchone()[0]
        self._done += 1
        job = process(self.pipeline, conn, job, self.settings.options)
        detail = f": {job.reason}" if job.reason else ""
        self.log(f"[{self._done}/{self._done + waiting}] job {job.id} {job.file} ({job.client} -> "
                 f"{job.recipient}): {job.state}{detail}")
        return True

    def run(self, once: bool = False) -> None:
        """Take and redact files until `stop` is set (or, `once`, until none is left)."""
        lock = self._lock()
        conn = db.connect(self.workspace)
        observer = None
        try:
            nlp.spacy_model()  # load the model before the first file lands, not on it
            assert self.pipeline.analyzer is not None
            for job in jobs.recover(conn):
                self.log(f"job {job.id} {job.file}: {job.state} after an interrupted run")
            finish_interrupted_intakes(self.workspace, conn)
            finish_releases(self.workspace, conn, self.pipeline)
            self._scan()
            if not once:
                observer = PollingObserver() if self.settings.polling else Observer()
                observer.schedule(_Events(self._events, self._wake), str(self.outbox), recursive=True)
                observer.start()
            last_scan, tick = time.monotonic(), min(0.5, self.settings.settle / 2)
            while not self.stop.is_set():
                self._drain()
                if time.monotonic() - last_scan >= self.settings.rescan:
                    self._scan()
                    last_scan = time.monotonic()
                self._take(conn)
                if self._process_next(conn):
                    continue
                if once and self.settler.pending == 0:
                    break
                due = self.settler.next_due()
                self._wake.wait(tick if due is None else min(tick, due + 0.01))
                self._wake.clear()
        finally:
            if observer is not None:
                observer.stop()
                observer.join()
            conn.close()
            lock.close()


def _stderr(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)
