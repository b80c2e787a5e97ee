"""The browser review page through Flask's test client: sign-in, CSRF, roles, release.

One workspace and one Pipeline (one model load) for the module; reports are
small generated text files run through the real watcher once.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from outbox_helpers import PHONE, SISTER, all_jobs, drop, make_workspace, report_text, run_once

from redactor import audit, db
from redactor.pipeline import Pipeline
from redactor.users import add_user
from redactor.web import create_app
from redactor.web.accounts import MAX_FAILURES, set_password

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    workspace = make_workspace(tmp_path_factory.mktemp("web") / "ws")
    with db.connect(workspace) as conn:
        add_user(conn, "olu", "authoriser", by="alice")
        add_user(conn, "lockme", "manager", by="alice")
        for name in ("alice", "maria", "wes", "olu", "lockme"):
            set_password(conn, name, PASSWORD, by="alice")
    for number in range(1, 4):
        drop(workspace, f"C-1042 web {number}.txt", report_text(number))
    run_once(workspace)
    assert {j.state for j in all_jobs(workspace)} == {"awaiting_review"}
    return workspace


@pytest.fixture(scope="module")
def app(workspace):
    return create_app(workspace, Pipeline(workspace), testing=True)


def csrf(page: bytes) -> str:
    match = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1).decode()


def sign_in(app, name: str, password: str = PASSWORD):
    client = app.test_client()
    token = csrf(client.get("/login").data)
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    return client, response


def state(workspace, job_id: int) -> str:
    return next(j.state for j in all_jobs(workspace) if j.id == job_id)


def released(workspace) -> list[Path]:
    return sorted(p for p in (workspace.root / "released").rglob("*") if p.is_file())


@pytest.mark.parametrize("path", ["/", "/jobs/1"])
def test_an_unsigned_visitor_is_sent_to_sign_in(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_an_unsigned_post_is_refused_and_changes_nothing(app, workspace):
    client = app.test_client()
    token = csrf(client.get("/login").data)
    response = client.post("/jobs/1/approve", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert state(workspace, 1) == "awaiting_review"


def test_signing_in_sets_a_strict_httponly_cookie_and_shows_the_queue(app):
    client, response = sign_in(app, "maria")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get("/")
    assert page.status_code == 200
    assert b"C-1042 web 1.txt" in page.data and b"court" in page.data
    assert b"client.contact" in page.data and b"third_party.identity" in page.data


def test_a_wrong_password_is_refused(app):
    client, response = sign_in(app, "maria", "not the password")
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_failed_sign_ins_are_limited_even_for_the_right_password(app, workspace):
    for _ in range(MAX_FAILURES):
        assert sign_in(app, "lockme", "wrong guess")[1].status_code == 401
    _, response = sign_in(app, "lockme")
    assert response.status_code == 401
    assert b"too many failed sign-ins" in response.data
    with db.connect(workspace) as conn:
        assert any(e.action == "sign_in_refused" for e in audit.history(conn))


def test_security_headers_are_on_every_response(app):
    for client, path in [(app.test_client(), "/login"), (sign_in(app, "maria")[0], "/")]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"


def test_a_post_without_the_csrf_token_is_refused(app, workspace):
    client, _ = sign_in(app, "maria")
    assert client.post("/jobs/1/approve").status_code == 400
    assert client.post("/jobs/1/approve", data={"csrf_token": "forged"}).status_code == 400
    assert client.post("/login", data={"name": "maria", "password": PASSWORD}).status_code == 400
    assert state(workspace, 1) == "awaiting_review"


def test_the_review_page_shows_both_versions_and_each_reason(app):
    client, _ = sign_in(app, "maria")
    page = client.get("/jobs/1").data.decode()
    assert PHONE in page and SISTER in page                      # the original, for the reviewer
    assert "[Phone number]" in page and "[Relative 1]" in page
    assert "<mark>[Phone number]" in page and f"<del id=\"o1\" title=\"[Phone number]\">{PHONE}" in page
    assert "presidio:PHONE_NUMBER" in page and "client.contact" in page and "0.85" in page
    assert "no consent in force" in page and "Consent record" in page
    assert "Approve and release" in page and "received" in page     # the decision forms and the history


def test_a_worker_cannot_approve_nor_open_a_review(app, workspace):
    client, _ = sign_in(app, "wes")
    page = client.get("/")
    assert page.status_code == 200 and b"C-1042 web 1.txt" not in page.data   # not their submissions
    assert client.get("/jobs/1").status_code == 403
    response = client.post("/jobs/1/approve", data={"csrf_token": csrf(page.data)})
    assert response.status_code == 403
    assert client.post("/jobs/1/reject", data={"csrf_token": csrf(page.data), "reason": "x"}).status_code == 403
    assert state(workspace, 1) == "awaiting_review"
    authoriser, _ = sign_in(app, "olu")
    page = authoriser.get("/jobs/1")
    assert page.status_code == 200 and b"Approve and release" not in page.data
    assert authoriser.post("/jobs/1/approve", data={"csrf_token": csrf(page.data)}).status_code == 403
    assert state(workspace, 1) == "awaiting_review"


def test_a_manager_approves_and_the_file_is_released(app, workspace):
    client, _ = sign_in(app, "maria")
    page = client.get("/jobs/2")
    response = client.post("/jobs/2/approve", data={"csrf_token": csrf(page.data)})
    assert response.status_code == 302
    out = workspace.root / "released" / "court" / "C-1042 web 2.txt"
    assert released(workspace) == [out]
    text = out.read_text(encoding="utf-8")
    assert PHONE not in text and SISTER not in text and "[Phone number]" in text
    assert b"approved and released" in client.get("/").data
    with db.connect(workspace) as conn:
        actions = [(e.actor, e.action) for e in audit.history(conn, 2)]
        assert ("maria", "approved") in actions and audit.verify(conn).ok
    history = client.get("/jobs/2").data
    assert b"maria</strong> approved" in history and b"Approve and release" not in history


def test_a_manager_rejects_with_a_reason(app, workspace):
    client, _ = sign_in(app, "maria")
    token = csrf(client.get("/jobs/3").data)
    assert client.post("/jobs/3/reject", data={"csrf_token": token, "reason": " "}).status_code == 302
    assert b"needs a reason" in client.get("/jobs/3").data
    assert client.post("/jobs/3/reject", data={"csrf_token": token, "reason": "wrong client"}).status_code == 302
    assert (workspace.root / "outbox" / "returned" / "C-1042 web 3.txt (job 3).reason.txt").is_file()


def test_signing_out_ends_the_session_server_side(app):
    client, _ = sign_in(app, "maria")
    token = csrf(client.get("/").data)
    cookie = client.get_cookie("redactor_session").value
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("redactor_session", cookie)
    assert replay.get("/").status_code == 302


def test_passwords_are_stored_as_argon2_hashes(workspace):
    with db.connect(workspace) as conn:
        stored = conn.execute("SELECT hash FROM web_passwords WHERE name = 'maria'").fetchone()["hash"]
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        with pytest.raises(Exception, match="at least"):
            set_password(conn, "maria", "short", by="alice")
        with pytest.raises(Exception, match="only admins"):
            set_password(conn, "maria", PASSWORD + "!", by="wes")


def test_decisions_are_refused_to_the_wrong_roles_server_side(app, workspace):
    worker, _ = sign_in(app, "wes")
    token = csrf(worker.get("/").data)
    assert worker.post("/jobs/1/unredact", data={"csrf_token": token, "start": 0, "end": 1,
                                                 "justification": "x"}).status_code == 403
    assert worker.post("/jobs/1/add", data={"csrf_token": token, "term": "surgery"}).status_code == 403
    authoriser, _ = sign_in(app, "olu")
    token = csrf(authoriser.get("/jobs/1").data)
    assert authoriser.post("/jobs/1/add", data={"csrf_token": token, "term": "surgery"}).status_code == 403
    manager, _ = sign_in(app, "maria")
    token = csrf(manager.get("/jobs/1").data)
    assert manager.post("/decisions/1/authorise", data={"csrf_token": token, "notes": "x"}).status_code == 403
    assert manager.post("/decisions/1/refuse", data={"csrf_token": token, "notes": "x"}).status_code == 403
    assert manager.post("/jobs/1/add", data={"term": "surgery"}).status_code == 400      # no CSRF token
    with db.connect(workspace) as conn:
        assert conn.execute("SELECT COUNT(*) FROM review_decisions").fetchone()[0] == 0


def test_an_unredaction_needs_a_justification_on_the_page(app, workspace):
    client, _ = sign_in(app, "maria")
    page = client.get("/jobs/1").data.decode()
    start, end = re.search(r'name="start" value="(\d+)"><input type="hidden" name="end" value="(\d+)"', page).groups()
    response = client.post("/jobs/1/unredact", data={"csrf_token": csrf(page.encode()), "start": start, "end": end,
                                                     "justification": "   "})
    assert response.status_code == 302
    assert b"needs a written justification" in client.get("/jobs/1").data
    with db.connect(workspace) as conn:
        assert conn.execute("SELECT COUNT(*) FROM review_decisions").fetchone()[0] == 0
    assert state(workspace, 1) == "awaiting_review"
