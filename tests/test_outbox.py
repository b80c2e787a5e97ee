"""The watched outbox, through the real watcher on a real folder."""
from __future__ import annotations

import hashlib
import stat
import time
from pathlib import Path

import pytest
import yaml
from outbox_helpers import all_jobs, drop, make_workspace, report_text, run_once, states, wait_for, watching

from redactor import store
from redactor.errors import UsageError
from redactor.outbox import ignored
from redactor.pipeline import Pipeline
from redactor.watch import Watcher


@pytest.fixture
def workspace(tmp_path: Path):
    return make_workspace(tmp_path / "ws")


def outbox_files(workspace) -> list[str]:
    return sorted(p.name for p in (workspace.root / "outbox").rglob("*") if p.is_file())


def test_200_reports_dropped_at_once_each_make_exactly_one_job(workspace):
    texts = {f"C-{'1042' if n % 2 else '2077'} report {n}.txt": report_text(n, "C-1042" if n % 2 else "C-2077")
             for n in range(200)}
    with watching(workspace):
        for name, text in texts.items():
            drop(workspace, name, text)
        wait_for(lambda: states(workspace)["awaiting_review"] == 200, timeout=600, what="200 jobs")
    listed = all_jobs(workspace)
    assert len(listed) == 200
    assert sorted(j.file for j in listed) == sorted(texts)
    assert {j.sha256 for j in listed} == {hashlib.sha256(t.encode()).hexdigest() for t in texts.values()}
    assert outbox_files(workspace) == []
    for job in listed[:5]:
        original = store.original(workspace, job)
        assert stat.S_IMODE(original.stat().st_mode) == 0o600
        assert store.sha256_file(original) == job.sha256
        assert stat.S_IMODE(store.job_dir(workspace, job.id).stat().st_mode) == 0o700
        assert store.redacted(workspace, job).is_file()
    assert not any((workspace.root / "released").rglob("*.*"))


def test_a_file_written_slowly_in_chunks_is_taken_once_and_complete(workspace):
    text = report_text(1, words=3000)
    chunks = [text[i:i + 1000] for i in range(0, len(text), 1000)]
    settle, pause = 3.0, 0.1
    with watching(workspace, settle=settle):
        path = workspace.root / "outbox" / "court" / "C-1042 slow.txt"
        with path.open("w", encoding="utf-8") as handle:
            for chunk in chunks:  # each pause far inside the settle delay, even on a loaded machine
                handle.write(chunk)
                handle.flush()
                time.sleep(pause)
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the slow file's job")
    [job] = all_jobs(workspace)
    assert job.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert store.original(workspace, job).read_text(encoding="utf-8") == text


def test_the_same_file_dropped_twice_is_one_job_and_a_recorded_duplicate(workspace):
    text = report_text(7)
    with watching(workspace):
        drop(workspace, "C-1042 first.txt", text)
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the first drop")
        drop(workspace, "C-1042 again.txt", text, recipient="gp")
        wait_for(lambda: all_jobs(workspace)[0].duplicates == 1, what="the duplicate")
    [job] = all_jobs(workspace)
    assert job.file == "C-1042 first.txt" and job.state == "awaiting_review"
    assert "duplicate of job" in (workspace.root / "outbox" / "gp" / "C-1042 again.txt.reason.txt").read_text()
    assert not (workspace.root / "outbox" / "gp" / "C-1042 again.txt").exists()


def encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_bad_files_are_held_with_reasons_and_nothing_else_stops(workspace):
    bad = {
        "C-1042 corrupt.docx": b"PK\x03\x04 this is not really a Word file",
        "C-1042 locked.pdf": encrypted_pdf(),
        "C-1042 empty.txt": b"",
        "C-9999 unknown client.txt": report_text(1).encode(),
        "C-1042 notes.odt": report_text(2).encode(),
        "no reference at all.txt": report_text(3).encode(),
    }
    with watching(workspace, settle=0.2):
        for name, data in bad.items():
            drop(workspace, name, data)
        drop(workspace, "C-1042 fine.txt", report_text(4))
        drop(workspace, "C-1042 elsewhere.txt", report_text(5), recipient="gp")
        (workspace.root / "outbox" / "nobody").mkdir()
        drop(workspace, "C-1042 stray.txt", report_text(6), recipient="nobody")
        wait_for(lambda: sum(states(workspace).values()) == 9 and states(workspace)["received"] == 0
                 and states(workspace)["processing"] == 0, what="all nine files")
    by_name = {job.file: job for job in all_jobs(workspace)}
    assert by_name["C-1042 fine.txt"].state == by_name["C-1042 elsewhere.txt"].state == "awaiting_review"
    expected = {"C-1042 corrupt.docx": "word", "C-1042 locked.pdf": "encrypt", "C-1042 empty.txt": "empty",
                "C-9999 unknown client.txt": "unknown client", "C-1042 notes.odt": "unsupported",
                "no reference at all.txt": "no client reference", "C-1042 stray.txt": "unknown recipient"}
    for name, words in expected.items():
        job = by_name[name]
        assert job.state == "held", name
        assert words in (job.reason or "").lower(), (name, job.reason)
        note = workspace.root / "outbox" / job.dropped
        assert job.reason in note.with_name(note.name + ".reason.txt").read_text(), name
    assert [n for n in outbox_files(workspace) if not n.endswith(".reason.txt")] == []


def test_lock_temporary_hidden_and_system_files_are_left_alone(workspace):
    names = ["~$C-1042 report.docx", ".~lock.C-1042 report.docx#", ".hidden C-1042.txt", "C-1042 x.tmp",
             "Thumbs.db", "desktop.ini"]
    assert all(ignored(Path(n)) for n in names)
    with watching(workspace):
        for name in names:
            drop(workspace, name, "lock")
        drop(workspace, "C-1042 real.txt", report_text(1))
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the real report")
    assert [j.file for j in all_jobs(workspace)] == ["C-1042 real.txt"]
    assert sorted(outbox_files(workspace)) == sorted(names)


def test_a_sidecar_names_client_recipient_and_note(workspace):
    sidecar = {"client": "C-2077", "recipient": "probation", "note": "urgent, hearing on Monday"}
    (workspace.root / "outbox" / "letter.txt.yaml").write_text(yaml.safe_dump(sidecar), encoding="utf-8")
    (workspace.root / "outbox" / "letter.txt").write_text(report_text(1, "C-2077"), encoding="utf-8")
    with watching(workspace):
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the sidecar job")
    [job] = all_jobs(workspace)
    assert (job.client, job.recipient, job.note) == ("C-2077", "probation", sidecar["note"])
    assert store.original(workspace, job).with_name("letter.txt.yaml").is_file()
    assert outbox_files(workspace) == []


def test_a_held_file_dropped_again_with_a_sidecar_reopens_its_job(workspace):
    text = report_text(1)
    with watching(workspace):
        drop(workspace, "report.txt", text)
        wait_for(lambda: states(workspace)["held"] == 1, what="the held job")
        (workspace.root / "outbox" / "court" / "report.txt.yaml").write_text("client: C-1042\n")
        drop(workspace, "report.txt", text)
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the resubmitted job")
    [job] = all_jobs(workspace)
    assert job.client == "C-1042" and job.reason is None
    assert not (workspace.root / "outbox" / "court" / "report.txt.reason.txt").exists()


def test_files_that_arrived_while_the_watcher_was_down_are_taken_at_start(workspace):
    for n in range(3):
        drop(workspace, f"C-1042 waiting {n}.txt", report_text(n))
    with watching(workspace):
        wait_for(lambda: states(workspace)["awaiting_review"] == 3, what="the waiting files")


def test_the_polling_observer_for_network_shares_takes_files_too(workspace):
    with watching(workspace, polling=True):
        drop(workspace, "C-1042 share.txt", report_text(1))
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the polled file")


def test_watch_once_processes_what_is_there_and_returns(workspace):
    for n in range(3):
        drop(workspace, f"C-1042 once {n}.txt", report_text(n))
    log: list[str] = []
    run_once(workspace, log=log)
    assert states(workspace) == {"awaiting_review": 3}
    assert len(log) == 3 and "[3/3]" in log[-1]


def test_only_one_watcher_runs_per_workspace(workspace):
    with watching(workspace):
        drop(workspace, "C-1042 r.txt", report_text(1))
        wait_for(lambda: states(workspace)["awaiting_review"] == 1, what="the first watcher at work")
        with pytest.raises(UsageError, match="already running"):
            Watcher(Pipeline(workspace)).run(once=True)


def test_the_owner_of_a_dropped_file_is_named_without_pwd(tmp_path, monkeypatch):
    """Windows has no ``pwd`` module: the outbox still imports and names the owner as unknown."""
    from redactor import outbox

    path = tmp_path / "C-1042 report.txt"
    path.write_text("x", encoding="utf-8")
    assert outbox._owner(path).startswith("os:")
    monkeypatch.setattr(outbox, "pwd", None)
    assert outbox._owner(path) == "os:unknown"
