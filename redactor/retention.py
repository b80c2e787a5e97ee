"""Retention: originals are kept `retention_years` (org config), then purged.

A purge removes a finished job's whole store folder (the original and the
redacted copy made from it) but keeps the job row and its audit history, and
records the purge in the audit log. Jobs still moving through the queue are
never purged. The folder goes first and the record second, so a crash in
between is finished by the next purge rather than leaving a record of a
removal that did not happen.
"""
from __future__ import annotations

import shutil
import sqlite3
from datetime import date

from . import jobs, store, users
from .db import now
from .workspace import Workspace

FINISHED = (jobs.RELEASED, jobs.REJECTED, jobs.HELD, jobs.FAILED)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def due(workspace: Workspace, conn: sqlite3.Connection, today: date | None = None) -> list[jobs.Job]:
    """Finished, unpurged jobs submitted before the retention period."""
    cutoff = _years_before(today or date.today(), int(workspace.config.get("retention_years", 6)))
    return [job for job in jobs.list_jobs(conn, FINISHED)
            if not job.purged and date.fromisoformat(job.submitted[:10]) < cutoff]


def purge(workspace: Workspace, conn: sqlite3.Connection, by: str, today: date | None = None) -> list[jobs.Job]:
    """Remove the stored files of every job past retention; an admin does this."""
    users.require_role(conn, by, "admin", "purge")
    purged = []
    for job in due(workspace, conn, today):
        shutil.rmtree(store.job_dir(workspace, job.id), ignore_errors=True)
        moved = jobs.transition(conn, job.id, job.state, by, "purged", from_states=[job.state],
                                reason=job.reason, updates={"purged": now()},
                                detail={"retention_years": workspace.config.get("retention_years", 6)})
        purged += [moved] if moved else []
    return purged
