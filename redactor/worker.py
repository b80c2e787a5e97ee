"""Redacting one queued job into its store folder.

The pipeline writes into ``store/<job>/work/``; only when the output is
verified and its report written is that folder renamed to ``redacted/`` and
the job moved on, so a kill at any moment leaves either a finished job or one
still marked processing, which the next start sends back to received.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from typing import Any

from . import jobs, store
from .errors import RedactorError
from .outbox import write_reason
from .pipeline import Pipeline


def process(pipeline: Pipeline, conn: sqlite3.Connection, job: jobs.Job,
            options: dict[str, Any] | None = None) -> jobs.Job:
    """Redact a job claimed by `jobs.claim_next`; it ends awaiting review, held or failed."""
    workspace = pipeline.workspace
    work = store.work_dir(workspace, job)
    shutil.rmtree(work, ignore_errors=True)
    store.private_dir(work)
    try:
        context = pipeline.context_for(job.client or "", job.recipient or "", [])
        outcome = pipeline.redact_file(store.original(workspace, job), context, work, options or {})
    except RedactorError as error:
        return _stop(conn, job, jobs.HELD, str(error), pipeline)
    except Exception as error:  # fail closed: anything unexpected stops this job only
        return _stop(conn, job, jobs.FAILED, f"the redactor failed on this file ({type(error).__name__})",
                     pipeline)
    store.private(work)
    final = store.redacted(workspace, job).parent
    shutil.rmtree(final, ignore_errors=True)
    os.replace(work, final)
    report = outcome.report
    moved = jobs.transition(
        conn, job.id, jobs.AWAITING_REVIEW, jobs.SYSTEM, "redacted", from_states=[jobs.PROCESSING],
        updates={"output_sha256": report["output_sha256"]},
        detail={"input_sha256": report["input_sha256"], "output_sha256": report["output_sha256"],
                "redactions": len(report["applied"]), "kept": len(report["kept"]),
                "notices": [n["code"] for n in report["notices"]]})
    return moved or jobs.get_job(conn, job.id)


def _stop(conn: sqlite3.Connection, job: jobs.Job, state: str, reason: str, pipeline: Pipeline) -> jobs.Job:
    shutil.rmtree(store.work_dir(pipeline.workspace, job), ignore_errors=True)
    moved = jobs.transition(conn, job.id, state, jobs.SYSTEM, state, from_states=[jobs.PROCESSING], reason=reason)
    write_reason(pipeline.workspace, job, f"{state}: {reason}")
    return moved or jobs.get_job(conn, job.id)
