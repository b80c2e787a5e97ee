"""Reviewers' decisions: un-redactions, added redactions, and the two-person rule for a breach.

Through `redactor.decisions` and `redactor.review` (the functions the page
and the command line call), on reports run through the real watcher.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from outbox_helpers import PHONE, SISTER, all_jobs, drop, make_workspace, report_text, run_once

from redactor import audit, db, decisions, review, store
from redactor.errors import UsageError
from redactor.formats.text import apply_replacements
from redactor.model import Replacement
from redactor.pipeline import Pipeline
from redactor.users import add_user

WHY = "the court asked who attended; the sister agreed in writing"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    workspace = make_workspace(tmp_path_factory.mktemp("decisions") / "ws")
    with db.connect(workspace) as conn:
        add_user(conn, "olu", "authoriser", by="alice")
        add_user(conn, "ade", "authoriser", by="alice")
        add_user(conn, "max", "manager", by="alice")
    for number in range(1, 8):
        drop(workspace, f"C-1042 decisions {number}.txt", report_text(number))
    run_once(workspace)
    return Pipeline(workspace)


@pytest.fixture
def workspace(pipeline):
    return pipeline.workspace


def text_of(workspace, job_id: int, pipeline) -> str:
    job = next(j for j in all_jobs(workspace) if j.id == job_id)
    return pipeline.read(store.original(workspace, job), {}).text


def applied_span(workspace, job_id: int, needle: str) -> tuple[int, int]:
    job = next(j for j in all_jobs(workspace) if j.id == job_id)
    data = review.report(workspace, job)
    text = Path(store.original(workspace, job)).read_text(encoding="utf-8")
    return next((a["start"], a["end"]) for a in data["applied"] if needle in text[a["start"]:a["end"]])


def released_text(workspace, job_id: int) -> str:
    job = next(j for j in all_jobs(workspace) if j.id == job_id)
    assert job.state == "released"
    return (workspace.root / "released" / str(job.recipient) / str(job.released_as)).read_text(encoding="utf-8")


def test_an_unredaction_and_an_added_term_reach_the_released_file_exactly(workspace, pipeline):
    with db.connect(workspace) as conn:
        start, end = applied_span(workspace, 1, SISTER)
        breach = decisions.unredact(workspace, conn, 1, "maria", start, end, WHY, pipeline)
        assert breach.breach and breach.state == "awaiting_authorisation"
        added = decisions.add_term(workspace, conn, 1, "maria", "Alan  Jones", "the GP asked not to be named",
                                   pipeline)
        assert added.state == "active" and added.term == "Alan Jones"
        decisions.authorise(workspace, conn, breach.id, "olu", "Authoriser", "agreed: the court needs it")
        job = review.approve(workspace, conn, 1, "maria", pipeline)
        assert job.state == "released"
        data = review.report(workspace, job)
        assert data["review_decisions"] == [breach.id, added.id]
        assert any(k["reason"].startswith(f"un-redacted by maria (decision #{breach.id})") for k in data["kept"])
        assert audit.verify(conn).ok
        actions = [e.action for e in audit.history(conn, 1)]
        for action in ("unredaction_requested", "redaction_added", "redacted_again", "breach_authorised",
                       "approved", "released"):
            assert action in actions
    text = text_of(workspace, 1, pipeline)
    released = released_text(workspace, 1)
    # exactly the report's replacements applied to the original, no more, no less
    assert released == apply_replacements(text, [Replacement(a["start"], a["end"], a["label"])
                                                 for a in data["applied"]])
    assert SISTER in released and PHONE not in released and "Alan Jones" not in released
    assert "Dr [Redacted]" in released


def test_a_breach_cannot_be_approved_until_authorised_and_never_by_who_asked(workspace, pipeline):
    with db.connect(workspace) as conn:
        start, end = applied_span(workspace, 2, PHONE)
        with pytest.raises(UsageError, match="justification"):
            decisions.unredact(workspace, conn, 2, "maria", start, end, "  ", pipeline)
        with pytest.raises(UsageError, match="only managers"):
            decisions.unredact(workspace, conn, 2, "olu", start, end, WHY, pipeline)
        breach = decisions.unredact(workspace, conn, 2, "maria", start, end, WHY, pipeline)
        assert PHONE in store.redacted(workspace, all_jobs(workspace)[1]).read_text(encoding="utf-8")
        with pytest.raises(UsageError, match="awaiting authorisation"):
            review.approve(workspace, conn, 2, "maria", pipeline)
        with pytest.raises(UsageError, match="only authorisers"):
            decisions.authorise(workspace, conn, breach.id, "max", "Authoriser", "fine")
        add_user(conn, "maria", "authoriser", by="alice")          # the one who asked, now an authoriser
        try:
            with pytest.raises(UsageError, match="who asked"):
                decisions.authorise(workspace, conn, breach.id, "maria", "Authoriser", "my own")
        finally:
            add_user(conn, "maria", "manager", by="alice")
        with pytest.raises(UsageError, match="written notes"):
            decisions.authorise(workspace, conn, breach.id, "olu", "Authoriser", " ")
        with pytest.raises(UsageError, match="signed as Authoriser"):
            decisions.authorise(workspace, conn, breach.id, "olu", "Chair", "notes")
        assert decisions.releasable(conn, 2) is not None
        assert not (workspace.root / "released" / "court" / "C-1042 decisions 2.txt").exists()
        decisions.authorise(workspace, conn, breach.id, "olu", "Authoriser", "risk to life; police asked")
        assert decisions.releasable(conn, 2) is None
        review.approve(workspace, conn, 2, "max", pipeline)
    assert PHONE in released_text(workspace, 2)


def test_a_refused_breach_is_redacted_again(workspace, pipeline):
    with db.connect(workspace) as conn:
        start, end = applied_span(workspace, 3, SISTER)
        breach = decisions.unredact(workspace, conn, 3, "maria", start, end, WHY, pipeline)
        refused = decisions.refuse(workspace, conn, breach.id, "olu", "no grounds to override her wishes",
                                   pipeline)
        assert refused.state == "refused" and refused.closed_by == "olu"
        assert decisions.releasable(conn, 3) is None
        with pytest.raises(UsageError, match="not awaiting authorisation"):
            decisions.authorise(workspace, conn, breach.id, "ade", "Authoriser", "late")
        review.approve(workspace, conn, 3, "maria", pipeline)
        assert any(e.action == "breach_refused" for e in audit.history(conn, 3))
    assert SISTER not in released_text(workspace, 3)


def test_a_withdrawn_redaction_comes_back_out(workspace, pipeline):
    with db.connect(workspace) as conn:
        added = decisions.add_term(workspace, conn, 4, "maria", "surgery", "", pipeline)
        job = all_jobs(workspace)[3]
        assert "surgery" not in store.redacted(workspace, job).read_text(encoding="utf-8")
        with pytest.raises(UsageError, match="does not appear"):
            decisions.add_term(workspace, conn, 4, "maria", "nowhere in the text", "", pipeline)
        decisions.withdraw(workspace, conn, added.id, "max", "not needed", pipeline)
        review.approve(workspace, conn, 4, "maria", pipeline)
    assert "surgery" in released_text(workspace, 4)


def test_an_output_a_crash_left_behind_its_decisions_is_redone_at_approval(workspace, pipeline, monkeypatch):
    with db.connect(workspace) as conn:
        monkeypatch.setattr(decisions, "_install", lambda workspace, job: None)   # killed before the swap
        decisions.add_term(workspace, conn, 5, "maria", "surgery", "", pipeline)
        monkeypatch.undo()
        job = all_jobs(workspace)[4]
        assert "surgery" in store.redacted(workspace, job).read_text(encoding="utf-8")
        review.approve(workspace, conn, 5, "maria", pipeline)
    assert "surgery" not in released_text(workspace, 5)


def test_decisions_are_refused_once_a_job_is_decided(workspace, pipeline):
    with db.connect(workspace) as conn:
        review.reject(workspace, conn, 6, "maria", "wrong recipient")
        with pytest.raises(UsageError, match="rejected"):
            decisions.add_term(workspace, conn, 6, "maria", "surgery", "", pipeline)


def test_day_mer_needs_the_centre_coordinator_then_the_chair_or_vice_chair(tmp_path):
    workspace = make_workspace(tmp_path / "ws", org="day_mer")
    pipeline = Pipeline(workspace)
    assert decisions.procedure(workspace.config) == [["Centre Coordinator"], ["Chair", "Vice Chair"]]
    with db.connect(workspace) as conn:
        add_user(conn, "cc", "authoriser", by="alice")
        add_user(conn, "chair", "authoriser", by="alice")
    drop(workspace, "C-1042 day-mer.txt", report_text(1))
    run_once(workspace)
    with db.connect(workspace) as conn:
        start, end = applied_span(workspace, 1, SISTER)
        breach = decisions.unredact(workspace, conn, 1, "maria", start, end, WHY, pipeline)
        with pytest.raises(UsageError, match="signed as Centre Coordinator"):
            decisions.authorise(workspace, conn, breach.id, "chair", "Chair", "first")
        signed = decisions.authorise(workspace, conn, breach.id, "cc", "Centre Coordinator", "spoke to the team")
        assert signed.state == "awaiting_authorisation" and len(signed.signatures) == 1
        with pytest.raises(UsageError, match="awaiting authorisation"):
            review.approve(workspace, conn, 1, "maria", pipeline)
        with pytest.raises(UsageError, match="already signed"):
            decisions.authorise(workspace, conn, breach.id, "cc", "Chair", "again")
        done = decisions.authorise(workspace, conn, breach.id, "chair", "Vice Chair", "agreed, notes filed")
        assert done.state == "authorised"
        assert [(s.capacity, s.by) for s in done.signatures] == [("Centre Coordinator", "cc"), ("Vice Chair", "chair")]
        review.approve(workspace, conn, 1, "maria", pipeline)
        steps = [e.detail for e in audit.history(conn, 1) if e.action in ("breach_step_signed", "breach_authorised")]
        assert [(d["step"], d["capacity"], d["notes"]) for d in steps] == [
            (1, "Centre Coordinator", "spoke to the team"), (2, "Vice Chair", "agreed, notes filed")]
    assert SISTER in released_text(workspace, 1)


def test_an_unredaction_releases_every_occurrence_of_its_text_and_verification_still_runs(workspace, pipeline):
    text = (f"Report about Jane Smith (C-1042). Her phone is {PHONE}.\n"
            f"Her sister {SISTER} attended. Later {SISTER} rang the office on {PHONE}.\n")
    drop(workspace, "C-1042 twice.txt", text)
    run_once(workspace)
    job = next(j for j in all_jobs(workspace) if j.file == "C-1042 twice.txt")
    redacted = store.redacted(workspace, job).read_text(encoding="utf-8")
    assert redacted.count(PHONE) == 0 and redacted.count(SISTER) == 0
    with db.connect(workspace) as conn:
        data = review.report(workspace, job)
        first = next(a for a in data["applied"] if text[a["start"]:a["end"]] == PHONE)
        breach = decisions.unredact(workspace, conn, job.id, "maria", first["start"], first["end"], WHY, pipeline)
        redacted = store.redacted(workspace, job).read_text(encoding="utf-8")
        assert redacted.count(PHONE) == 2 and SISTER not in redacted
        decisions.authorise(workspace, conn, breach.id, "olu", "Authoriser", "both calls are the same number")
        review.approve(workspace, conn, job.id, "maria", pipeline)
        entry = review.report(workspace, jobs_get(conn, job.id))
        assert entry["verification"]["result"] == "clean"
    released = released_text(workspace, job.id)
    assert released.count(PHONE) == 2 and SISTER not in released


def jobs_get(conn, job_id: int):
    from redactor import jobs
    return jobs.get_job(conn, job_id)
