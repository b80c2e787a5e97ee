"""The browser review page: sign-in, the queue, and each job's redactions side by side.

`create_app(workspace)` builds a Flask application (Flask: mature, pure
Python, runs the same on Windows; pages are rendered on the server and work
without JavaScript). Every decision goes through `redactor.review`, the same
functions the command line calls, so the rules (only a manager approves,
verification runs again, release is atomic and audited) hold however a
reviewer comes in; the role checks here only give a clear 403 first.

Security: argon2id password hashes, server-side sessions in an HttpOnly
SameSite=Strict cookie, a CSRF token checked on every POST, a limit on
failed sign-ins (see `accounts`), and a strict Content-Security-Policy with
the other usual headers on every response.
"""
from __future__ import annotations

import hmac
import os
import secrets
import threading
from functools import wraps
from typing import Any, Callable

from flask import Flask, Response, abort, flash, g, redirect, render_template, request, session, url_for

from .. import db, decisions, jobs, store
from ..errors import DocumentHeld, RedactorError
from ..workspace import Workspace
from . import accounts, pages, pdfpages

#: Roles that may open a job's review page (it shows the original text).
REVIEWERS = ("manager", "authoriser")
#: Scripts only from our own static folder (one small file: a text selection
#: fills the add-a-redaction box); no inline script, no eval.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _secret_key(workspace: Workspace) -> bytes:
    """A per-workspace signing key, created on first use and readable only by its owner."""
    path = workspace.root / ".web-secret"
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def create_app(workspace: Workspace, pipeline: Any = None, *, secure_cookies: bool = False,
               testing: bool = False) -> Flask:
    """The web application for `workspace`; `pipeline` is built on first need unless given."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY=_secret_key(workspace), SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_SECURE=secure_cookies,
                      SESSION_COOKIE_NAME="redactor_session", MAX_CONTENT_LENGTH=64 * 1024, TESTING=testing)
    lock = threading.Lock()
    shared: dict[str, Any] = {"pipeline": pipeline}
    with db.connect(workspace) as conn:
        accounts.ensure_schema(conn)
        decisions.ensure_schema(conn)

    def get_pipeline() -> Any:
        if shared["pipeline"] is None:
            from ..pipeline import Pipeline
            shared["pipeline"] = Pipeline(workspace)
        return shared["pipeline"]

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return str(session["csrf"])

    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def before() -> Any:
        g.conn = db.connect(workspace)
        g.user = accounts.session_user(g.conn, session.get("sid"))
        if request.method == "POST":
            sent, expected = request.form.get("csrf_token", ""), session.get("csrf", "")
            if not expected or not hmac.compare_digest(str(sent), str(expected)):
                abort(400, "the form has expired or did not come from this site; reload the page and try again")
        if g.user is None and request.endpoint not in ("login", "static"):
            return redirect(url_for("login"))
        return None

    @app.teardown_request
    def teardown(_error: BaseException | None) -> None:
        conn = g.pop("conn", None)
        if conn is not None:
            conn.close()

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.update(HEADERS)
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    def role(*allowed: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(view)
            def checked(*args: Any, **kwargs: Any) -> Any:
                if g.user.role not in allowed:
                    abort(403, f"a {g.user.role} may not do this; only: {', '.join(allowed)}")
                return view(*args, **kwargs)
            return checked
        return wrap

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(409)
    def error_page(error: Any) -> Any:
        return render_template("error.html", error=error), error.code

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "POST":
            name = request.form.get("name", "").strip()
            user = accounts.check_password(g.conn, name, request.form.get("password", ""))
            if user is None:
                message = ("too many failed sign-ins; wait 15 minutes or ask an admin"
                           if accounts.locked_out(g.conn, name) else "wrong name or password")
                return render_template("login.html", error=message, name=name), 401
            accounts.end_session(g.conn, session.get("sid"))
            session.clear()
            session["sid"] = accounts.start_session(g.conn, user.name)
            session["csrf"] = secrets.token_urlsafe(32)
            return redirect(url_for("queue"))
        if g.user is not None:
            return redirect(url_for("queue"))
        return render_template("login.html", error=None, name="")

    @app.post("/logout")
    def logout() -> Any:
        accounts.end_session(g.conn, session.get("sid"))
        session.clear()
        return redirect(url_for("login"))

    @app.get("/")
    def queue() -> Any:
        from ..review import report

        rows = []
        states = [jobs.AWAITING_REVIEW, jobs.HELD] if g.user.role in REVIEWERS else None
        for job in jobs.list_jobs(g.conn, states):
            who = pages.submitter(g.conn, job.id)
            if g.user.role == "worker" and not pages.submitted_by(who, g.user.name):
                continue
            try:
                data = report(workspace, job)
            except RedactorError:
                data = {}
            rows.append({"job": job, "submitter": who, "waiting": pages.waiting(job.submitted),
                         "counts": sorted(pages.counts(data).items()) if data else [],
                         "notices": data.get("notices", []),
                         "decisions": decisions.summary(decisions.list_decisions(g.conn, job.id))})
        return render_template("queue.html", rows=rows, reviewer=g.user.role in REVIEWERS)

    @app.get("/jobs/<int:job_id>")
    @role(*REVIEWERS)
    def review_page(job_id: int) -> Any:
        from ..review import report

        job = _job(job_id)
        history = pages.history(g.conn, job)
        decided = decisions.list_decisions(g.conn, job.id)
        common = {"job": job, "history": history, "steps": decisions.procedure(workspace.config),
                  "blocked": decisions.releasable(g.conn, job.id)}
        try:
            data = report(workspace, job)
        except RedactorError as error:
            return render_template("review.html", error=str(error), data={}, segments=[], changes=[], kept=[],
                                   decisions=pages.decision_views(decided, ""), pdf_pages=0, **common)
        with lock:
            text = get_pipeline().read(store.original(workspace, job), {}).text
        segments, changes = pages.segments(text, data)
        kept = [{**k, "text": text[k["start"]:k["end"]]} for k in data.get("kept", [])]
        pdf_pages = 0
        if data.get("format") == "pdf":
            try:
                pdf_pages = pdfpages.page_count(store.redacted(workspace, job))
            except Exception:  # an unreadable output shows no pages; verification will hold it
                pdf_pages = 0
        return render_template("review.html", data=data, segments=segments, changes=changes, kept=kept,
                               decisions=pages.decision_views(decided, text), pdf_pages=pdf_pages, error=None,
                               **common)

    @app.get("/jobs/<int:job_id>/pages/<int:number>.png")
    @role(*REVIEWERS)
    def page_image(job_id: int, number: int) -> Any:
        job = _job(job_id)
        output = store.redacted(workspace, job)
        if not output.is_file() or output.suffix.lower() != ".pdf":
            abort(404, f"job {job_id} has no PDF output")
        try:
            png = pdfpages.render_png(output, number - 1)
        except IndexError:
            abort(404, f"job {job_id} has no page {number}")
        response = Response(png, mimetype="image/png")
        response.headers["Cache-Control"] = "no-store"
        return response

    def _found(getter: Callable[[Any, int], Any], ident: int, what: str) -> Any:
        """The job or decision asked for, or a 404."""
        try:
            return getter(g.conn, ident)
        except RedactorError:
            abort(404, f"no {what} {ident}")

    def _job(job_id: int) -> jobs.Job:
        return _found(jobs.get_job, job_id, "job")

    @app.post("/jobs/<int:job_id>/approve")
    @role("manager")
    def approve(job_id: int) -> Any:
        from ..review import approve as approve_job

        _job(job_id)
        blocked = decisions.releasable(g.conn, job_id)
        if blocked:   # also refused inside review.approve; a clear 409 here for the browser
            abort(409, f"job {job_id} cannot be approved yet: {blocked}")
        try:
            with lock:
                job = approve_job(workspace, g.conn, job_id, g.user.name, get_pipeline())
            flash(f"job {job.id} approved and released as released/{job.recipient}/{job.released_as}")
        except DocumentHeld as error:
            flash(f"not released: {error}")
        except RedactorError as error:
            flash(f"not approved: {error}")
            return redirect(url_for("review_page", job_id=job_id))
        return redirect(url_for("queue"))

    @app.post("/jobs/<int:job_id>/reject")
    @role("manager")
    def reject(job_id: int) -> Any:
        from ..review import reject as reject_job

        _job(job_id)
        try:
            job = reject_job(workspace, g.conn, job_id, g.user.name, request.form.get("reason", ""))
            flash(f"job {job.id} rejected and returned to the worker")
        except RedactorError as error:
            flash(f"not rejected: {error}")
            return redirect(url_for("review_page", job_id=job_id))
        return redirect(url_for("queue"))

    def _decided(job_id: int, action: Callable[[], Any], done: str) -> Any:
        """Run a decision under the pipeline lock; a refusal is shown on the page."""
        try:
            with lock:
                action()
            flash(done)
        except RedactorError as error:
            flash(f"not done: {error}")
        return redirect(url_for("review_page", job_id=job_id))

    def _int(name: str) -> int:
        try:
            return int(request.form.get(name, ""))
        except ValueError:
            abort(400, f"the form is missing {name}")

    @app.post("/jobs/<int:job_id>/unredact")
    @role("manager")
    def unredact(job_id: int) -> Any:
        _job(job_id)
        start, end = _int("start"), _int("end")
        return _decided(job_id, lambda: decisions.unredact(
            workspace, g.conn, job_id, g.user.name, start, end, request.form.get("justification", ""),
            get_pipeline()), "un-redaction recorded; if it breaches confidentiality it now awaits authorisation")

    @app.post("/jobs/<int:job_id>/add")
    @role("manager")
    def add_redaction(job_id: int) -> Any:
        _job(job_id)
        return _decided(job_id, lambda: decisions.add_term(
            workspace, g.conn, job_id, g.user.name, request.form.get("term", ""),
            request.form.get("justification", ""), get_pipeline()), "redaction added at every occurrence")

    def _decision(decision_id: int) -> decisions.ReviewDecision:
        return _found(decisions.get_decision, decision_id, "decision")

    @app.post("/decisions/<int:decision_id>/withdraw")
    @role("manager")
    def withdraw(decision_id: int) -> Any:
        decision = _decision(decision_id)
        return _decided(decision.job, lambda: decisions.withdraw(
            workspace, g.conn, decision_id, g.user.name, request.form.get("reason", ""), get_pipeline()),
            f"decision #{decision_id} withdrawn")

    @app.post("/decisions/<int:decision_id>/authorise")
    @role("authoriser")
    def authorise(decision_id: int) -> Any:
        decision = _decision(decision_id)
        return _decided(decision.job, lambda: decisions.authorise(
            workspace, g.conn, decision_id, g.user.name, request.form.get("capacity", ""),
            request.form.get("notes", "")), f"decision #{decision_id} signed")

    @app.post("/decisions/<int:decision_id>/refuse")
    @role("authoriser")
    def refuse(decision_id: int) -> Any:
        decision = _decision(decision_id)
        return _decided(decision.job, lambda: decisions.refuse(
            workspace, g.conn, decision_id, g.user.name, request.form.get("notes", ""), get_pipeline()),
            f"decision #{decision_id} refused; the text is redacted again")

    return app


def serve(workspace: Workspace, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the application with Werkzeug's threaded server (pure Python, Windows too)."""
    from werkzeug.serving import run_simple

    run_simple(host, port, create_app(workspace), threaded=True)


__all__ = ["create_app", "serve"]
