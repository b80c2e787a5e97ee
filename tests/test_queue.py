"""The queue and review: crash safety of the watcher, and approval or rejection from the CLI."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from outbox_helpers import (PHONE, SISTER, all_jobs, drop, make_workspace, report_text, run_once, states,
                            wait_for)

from redactor import audit, db, jobs, store
from redactor.cli import main
from redactor.errors import DocumentHeld, UsageError
from redactor.outbox import intake
from redactor.review import approve, reject, render, show


@pytest.fixture
def workspace(tmp_path: Path):
    return make_workspace(tmp_path / "ws")


def released(workspace) -> list[Path]:
    return sorted(p for p in (workspace.root / "released").rglob("*") if p.is_file())


def watcher_process(workspace, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "redactor.cli", "--workspace", str(workspace.root), "watch",
                             "--settle", "0.2", "--rescan", "1", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.parametrize("kill_when", ["first job recorded", "ten jobs redacted"])
def test_sigkill_mid_batch_then_restart_accounts_for_every_file_once(workspace, kill_when):
    texts = {f"C-1042 batch {n}.txt": report_text(n) for n in range(50)}
    watcher = watcher_process(workspace)
    try:
        for name, text in texts.items():
            drop(workspace, name, text)
        if kill_when == "first job recorded":
            wait_for(lambda: len(all_jobs(workspace)) >= 1, what="the first job")
        else:
            wait_for(lambda: states(workspace)["awaiting_review"] >= 10, what="ten redactions")
    finally:
        watcher.send_signal(signal.SIGKILL)
        watcher.wait(timeout=30)
    assert released(workspace) == []
    restarted = watcher_process(workspace, "--once")
    _, errors = restarted.communicate(timeout=600)
    assert restarted.returncode == 0, errors.decode()
    listed = all_jobs(workspace)
    assert len(listed) == 50
    assert sorted(j.file for j in listed) == sorted(texts)
    assert {j.sha256 for j in listed} == {hashlib.sha256(t.encode()).hexdigest() for t in texts.values()}
    assert {j.state for j in listed} == {"awaiting_review"}
    assert all(store.sha256_file(store.original(workspace, j)) == j.sha256 for j in listed)
    assert [p for p in (workspace.root / "outbox").rglob("*") if p.is_file()] == []
    assert released(workspace) == []
    with db.connect(workspace) as conn:
        assert audit.verify(conn).ok
        received = [e.job for e in audit.history(conn) if e.action == "received"]
    assert sorted(received) == sorted(j.id for j in listed)


def test_a_job_left_in_processing_is_retried_and_one_that_keeps_crashing_fails(workspace):
    drop(workspace, "C-1042 a.txt", report_text(1))
    drop(workspace, "C-1042 b.txt", report_text(2))
    with db.connect(workspace) as conn:
        for path in sorted((workspace.root / "outbox" / "court").iterdir()):
            intake(workspace, conn, path)
        first, second = jobs.claim_next(conn), jobs.claim_next(conn)
        assert first and second
        conn.execute("UPDATE jobs SET attempts = ? WHERE id = ?", (jobs.MAX_ATTEMPTS, second.id))
    run_once(workspace)
    with db.connect(workspace) as conn:
        assert jobs.get_job(conn, first.id).state == "awaiting_review"
        assert jobs.get_job(conn, second.id).state == "failed"
        assert "retried" in [e.action for e in audit.history(conn, first.id)]


def test_a_file_recorded_but_not_yet_moved_when_killed_is_moved_not_duplicated(workspace):
    path = drop(workspace, "C-1042 a.txt", report_text(1))
    with db.connect(workspace) as conn:  # the state a kill right after recording leaves
        jobs.create(conn, sha256=store.sha256_file(path), file=path.name, dropped=f"court/{path.name}",
                    client="C-1042", recipient="court", note=None, reason=None, actor="test")
    run_once(workspace)
    [job] = all_jobs(workspace)
    assert (job.state, job.duplicates) == ("awaiting_review", 0), job.reason
    assert not path.exists() and store.original(workspace, job).is_file()


@pytest.fixture
def redacted_job(workspace):
    drop(workspace, "C-1042 court report.txt", report_text(1))
    run_once(workspace)
    [job] = all_jobs(workspace)
    assert job.state == "awaiting_review"
    return job


def test_released_stays_empty_until_a_manager_approves(workspace, redacted_job):
    with db.connect(workspace) as conn:
        with pytest.raises(UsageError, match="only managers"):
            approve(workspace, conn, redacted_job.id, "wes")
        with pytest.raises(UsageError, match="known user"):
            approve(workspace, conn, redacted_job.id, "mallory")
        assert released(workspace) == []
        job = approve(workspace, conn, redacted_job.id, "maria")
        assert (job.state, job.reviewer) == ("released", "maria")
        actions = [e.action for e in audit.history(conn, job.id)]
    [out] = released(workspace)
    assert out == workspace.root / "released" / "court" / "C-1042 court report.txt"
    assert out.read_bytes() == store.redacted(workspace, job).read_bytes()
    assert PHONE not in out.read_text() and SISTER not in out.read_text()
    assert actions[-2:] == ["approved", "released"]
    with db.connect(workspace) as conn, pytest.raises(UsageError, match="not awaiting review"):
        approve(workspace, conn, job.id, "maria")


def test_an_output_changed_in_the_store_is_held_not_released(workspace, redacted_job):
    output = store.redacted(workspace, redacted_job)
    output.write_text(output.read_text() + f"\n{PHONE}\n")
    with db.connect(workspace) as conn:
        with pytest.raises(DocumentHeld):
            approve(workspace, conn, redacted_job.id, "maria")
        assert jobs.get_job(conn, redacted_job.id).state == "held"
    assert released(workspace) == []


def test_an_approval_interrupted_before_release_is_finished_at_the_next_start(workspace, redacted_job):
    with db.connect(workspace) as conn:
        jobs.transition(conn, redacted_job.id, jobs.APPROVED, "maria", "approved",
                        from_states=[jobs.AWAITING_REVIEW], updates={"reviewer": "maria", "released_as": "x.txt"})
    assert released(workspace) == []
    run_once(workspace)
    assert [p.name for p in released(workspace)] == ["x.txt"]
    assert all_jobs(workspace)[0].state == "released"


def test_rejection_returns_the_report_with_the_reason(workspace, redacted_job):
    with db.connect(workspace) as conn:
        with pytest.raises(UsageError, match="needs a reason"):
            reject(workspace, conn, redacted_job.id, "maria", " ")
        job = reject(workspace, conn, redacted_job.id, "maria", "the sister is named on page two")
    assert (job.state, job.reason, job.reviewer) == ("rejected", "the sister is named on page two", "maria")
    returned = workspace.root / "outbox" / "returned"
    data = json.loads((returned / f"{job.file} (job {job.id}).report.json").read_text())
    assert data["review"]["reason"] == job.reason and data["applied"]
    assert job.reason in (returned / f"{job.file} (job {job.id}).reason.txt").read_text()
    assert released(workspace) == []
    run_once(workspace)  # returned/ is not an outbox folder
    assert len(all_jobs(workspace)) == 1


def test_review_show_gives_each_removal_in_context_with_its_reason(workspace, redacted_job):
    with db.connect(workspace) as conn:
        view = show(workspace, conn, redacted_job.id)
    removed = {c.removed: c for h in view.hunks for c in h.changes}
    assert PHONE in removed and removed[PHONE].label == "[Phone number]"
    assert any("consent" in (r.get("reason") or "") for r in removed[PHONE].reasons)
    text = render(view)
    assert f"- Report 1 about Jane Smith (C-1042). Her phone is {PHONE}." in text
    assert "+ Report 1 about Jane Smith (C-1042). Her phone is [Phone number]." in text


def test_removed_text_is_nowhere_outside_the_private_store(workspace, capsys):
    drop(workspace, "C-1042 one.txt", report_text(1))
    drop(workspace, "C-1042 two.txt", report_text(2))
    log: list[str] = []
    run_once(workspace, log=log)
    first, second = all_jobs(workspace)
    with db.connect(workspace) as conn:
        approve(workspace, conn, first.id, "maria")
        reject(workspace, conn, second.id, "maria", "wrong client")
    assert main(["--workspace", str(workspace.root), "queue", "--json"]) == 0
    assert main(["--workspace", str(workspace.root), "audit", "show"]) == 0
    outside = [p for p in workspace.root.rglob("*") if p.is_file() and "store" not in p.relative_to(workspace.root).parts]
    assert any(p.name.endswith(".report.json") for p in outside)
    for secret in (PHONE, SISTER):
        assert not any(secret.encode() in p.read_bytes() for p in outside), secret
        assert secret not in "\n".join(log) + capsys.readouterr().out


def test_queue_lists_jobs_as_json(workspace, redacted_job, capsys):
    assert main(["--workspace", str(workspace.root), "queue", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert {k: listed[k] for k in ("id", "file", "client", "recipient", "state", "reviewer")} == {
        "id": redacted_job.id, "file": "C-1042 court report.txt", "client": "C-1042", "recipient": "court",
        "state": "awaiting_review", "reviewer": None}
    assert listed["submitted"]


def test_cli_review_approve_and_reject_exit_codes(workspace, redacted_job, capsys):
    ws = ["--workspace", str(workspace.root)]
    assert main([*ws, "review", "approve", str(redacted_job.id), "--by", "wes"]) == 2
    assert main([*ws, "review", "show", str(redacted_job.id)]) == 0
    assert main([*ws, "review", "approve", str(redacted_job.id), "--by", "maria"]) == 0
    assert "released" in capsys.readouterr().out
    assert main([*ws, "review", "reject", str(redacted_job.id), "--by", "maria", "--reason", "late"]) == 2
    assert os.listdir(workspace.root / "released" / "court") == ["C-1042 court report.txt"]
