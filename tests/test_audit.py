"""The hash-chained audit log, users and roles, and retention purges."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from outbox_helpers import all_jobs, drop, make_workspace, report_text, run_once

from redactor import audit, db, jobs, store
from redactor.cli import main
from redactor.errors import UsageError
from redactor.retention import purge
from redactor.review import approve
from redactor.users import add_user, list_users


@pytest.fixture
def workspace(tmp_path: Path):
    """A workspace where one report was received, redacted, approved and released."""
    workspace = make_workspace(tmp_path / "ws")
    drop(workspace, "C-1042 report.txt", report_text(1))
    run_once(workspace)
    with db.connect(workspace) as conn:
        approve(workspace, conn, all_jobs(workspace)[0].id, "maria")
    return workspace


def test_every_step_is_logged_with_who_when_and_content_hashes(workspace):
    [job] = all_jobs(workspace)
    with db.connect(workspace) as conn:
        entries = audit.history(conn, job.id)
        check = audit.verify(conn)
    assert [e.action for e in entries] == ["received", "processing", "redacted", "approved", "released"]
    assert entries[0].actor.startswith("os:") and entries[3].actor == entries[4].actor == "maria"
    assert all(e.detail["sha256"] == job.sha256 and e.at for e in entries)
    assert entries[2].detail["output_sha256"] == entries[4].detail["output_sha256"] == job.output_sha256
    assert check.ok and check.entries >= len(entries)


def test_a_tampered_entry_is_caught_and_located(workspace, capsys):
    with db.connect(workspace) as conn:
        entry = next(e for e in audit.history(conn) if e.action == "approved")
        conn.execute("UPDATE audit SET actor = 'someone else' WHERE id = ?", (entry.id,))
        check = audit.verify(conn)
    assert (check.ok, check.broken_at) == (False, entry.id)
    assert main(["--workspace", str(workspace.root), "audit", "verify"]) == 5
    assert f"broken at entry {entry.id}" in capsys.readouterr().err


def test_a_rewritten_entry_with_a_fresh_hash_still_breaks_the_next_link(workspace):
    with db.connect(workspace) as conn:
        entry = next(e for e in audit.history(conn) if e.action == "redacted")
        row = conn.execute("SELECT * FROM audit WHERE id = ?", (entry.id,)).fetchone()
        detail = json.dumps({**entry.detail, "redactions": 0}, sort_keys=True)
        digest = audit._digest(row["id"], row["at"], row["actor"], row["action"], row["job"], detail,
                               row["prev_hash"])
        conn.execute("UPDATE audit SET detail = ?, hash = ? WHERE id = ?", (detail, digest, entry.id))
        assert audit.verify(conn).broken_at == entry.id + 1


def test_a_deleted_entry_is_caught(workspace):
    with db.connect(workspace) as conn:
        conn.execute("DELETE FROM audit WHERE id = 3")
        check = audit.verify(conn)
    assert check.broken_at == 4 and "missing" in check.problem
    assert main(["--workspace", str(workspace.root), "audit", "verify"]) == 5


def test_only_an_admin_adds_users_once_there_is_one(workspace):
    with db.connect(workspace) as conn:
        with pytest.raises(UsageError, match="only admins"):
            add_user(conn, "eve", "manager", by="maria")
        with pytest.raises(UsageError, match="unknown role"):
            add_user(conn, "eve", "boss", by="alice")
        add_user(conn, "eve", "authoriser", by="alice")
        assert {u.name: u.role for u in list_users(conn)}["eve"] == "authoriser"
        assert audit.history(conn)[-1].detail == {"user": "eve", "role": "authoriser"}
    assert main(["--workspace", str(workspace.root), "users", "add", "fred", "--role", "worker"]) == 2


def test_purge_removes_originals_past_retention_and_records_it(workspace):
    drop(workspace, "C-1042 recent.txt", report_text(2))
    run_once(workspace)
    old, recent = all_jobs(workspace)
    with db.connect(workspace) as conn:
        conn.execute("UPDATE jobs SET submitted = '2015-01-05T10:00:00.000+00:00' WHERE id = ?", (old.id,))
        with pytest.raises(UsageError, match="only admins"):
            purge(workspace, conn, "maria")
        purged = purge(workspace, conn, "alice", today=date(2026, 6, 1))
        assert [j.id for j in purged] == [old.id]
        assert purge(workspace, conn, "alice", today=date(2026, 6, 1)) == []
        entry = audit.history(conn, old.id)[-1]
        assert (entry.action, entry.actor, entry.detail["sha256"]) == ("purged", "alice", old.sha256)
        assert jobs.get_job(conn, old.id).state == "released" and audit.verify(conn).ok
    assert not store.job_dir(workspace, old.id).exists()
    assert store.original(workspace, recent).is_file()
    assert (workspace.root / "released" / "court" / old.file).is_file()
