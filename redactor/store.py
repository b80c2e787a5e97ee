"""The job store: originals and their redactions, readable by the owner only.

    store/<job>/original/<file>      the file as dropped, never altered (0600)
    store/<job>/redacted/<file>      the redacted output and its report
    store/<job>/work/                a redaction in progress (discarded on crash)

Files move by rename, so a crash leaves each either where it was or where it
is going, never half in both; when the outbox is on another file system the
move copies to a temporary name first and renames that into place.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from .jobs import Job
from .pipeline import _sha256 as sha256_file
from .workspace import Workspace

__all__ = ["sha256_file", "job_dir", "original", "redacted", "work_dir", "private_dir", "move", "publish", "private"]

FILE_MODE, DIR_MODE = 0o600, 0o700


def job_dir(workspace: Workspace, job_id: int) -> Path:
    return workspace.root / "store" / str(job_id)


def original(workspace: Workspace, job: Job) -> Path:
    return workspace.root / "store" / job.stored


def redacted(workspace: Workspace, job: Job) -> Path:
    """The redacted output of a job (its report is beside it, ``.report.json``)."""
    return job_dir(workspace, job.id) / "redacted" / Path(job.stored).name


def work_dir(workspace: Workspace, job: Job) -> Path:
    return job_dir(workspace, job.id) / "work"


def private(path: Path) -> None:
    """Make a store file or folder (and everything in a folder) owner-only."""
    if path.is_dir():
        path.chmod(DIR_MODE)
        for child in path.iterdir():
            private(child)
    else:
        path.chmod(FILE_MODE)


def private_dir(folder: Path) -> Path:
    """Create `folder` and any missing parents, each owner-only."""
    if not folder.is_dir():
        private_dir(folder.parent)
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        folder.chmod(DIR_MODE)
    return folder


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_then_rename(source: Path, dest: Path, mode: int) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".incoming-", dir=dest.parent)
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as inp:
            shutil.copyfileobj(inp, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, dest)
    finally:
        Path(temporary).unlink(missing_ok=True)


def move(source: Path, dest: Path, mode: int = FILE_MODE) -> None:
    """Move `source` to `dest` (made private), atomically as far as the file system allows."""
    private_dir(dest.parent)
    try:
        os.replace(source, dest)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        _copy_then_rename(source, dest, mode)
        source.unlink()
    dest.chmod(mode)
    _fsync_dir(dest.parent)


def publish(source: Path, dest: Path, mode: int = 0o644) -> None:
    """Put a copy of `source` at `dest` all at once: a reader sees all of it or none.

    The copy is written and synced beside the source (in the private store),
    then renamed into place, so nothing partial ever appears in `dest`'s folder.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = source.with_name(f".publishing-{source.name}")
    shutil.copyfile(source, temporary)
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    temporary.chmod(mode)
    try:
        os.replace(temporary, dest)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        _copy_then_rename(temporary, dest, mode)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_dir(dest.parent)
