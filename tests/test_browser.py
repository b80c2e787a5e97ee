"""The review page in a real headless Chromium, driven by Playwright.

The application runs in a background thread (Werkzeug's server) on
127.0.0.1 with a free port; Chromium is Debian's (``/usr/bin/chromium``,
installed by ``scripts/install-system-deps``), since Playwright cannot
download its own browser here. Reports are generated text files run
through the real watcher once, plus one PDF.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest
from outbox_helpers import PHONE, SISTER, all_jobs, drop, make_workspace, report_text, run_once

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install-system-deps does, as root)",
                allow_module_level=True)

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from redactor import db  # noqa: E402
from redactor.pipeline import Pipeline  # noqa: E402
from redactor.users import add_user  # noqa: E402
from redactor.web import create_app  # noqa: E402
from redactor.web.accounts import set_password  # noqa: E402

PASSWORD = "correct horse battery"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Generous: a loaded CI machine with 2 cores is slow, and nothing here waits on time itself.
TIMEOUT_MS = 60_000


def pdf_report(path: Path) -> Path:
    from pdf_fixtures import make_pdf, text_lines

    lines = [f"Report about Jane Smith (C-1042). Her phone is {PHONE}.",
             f"Her sister {SISTER} attended the meeting at the surgery."]
    return make_pdf(path, [text_lines(lines, 72, 760)])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    workspace = make_workspace(tmp_path_factory.mktemp("browser") / "ws")
    with db.connect(workspace) as conn:
        add_user(conn, "olu", "authoriser", by="alice")
        for name in ("maria", "wes", "olu"):
            set_password(conn, name, PASSWORD, by="alice")
    for number in (1, 2, 3):
        drop(workspace, f"C-1042 browser {number}.txt", report_text(number))
    pdf_report(workspace.root / "outbox" / "court" / "C-1042 browser 4.pdf")
    run_once(workspace)
    assert [j.state for j in all_jobs(workspace)] == ["awaiting_review"] * 4
    return workspace


@pytest.fixture(scope="module")
def base_url(workspace) -> Iterator[str]:
    app = create_app(workspace, Pipeline(workspace))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def sign_in(context: BrowserContext, base_url: str, name: str) -> Page:
    page = context.new_page()
    page.goto(f"{base_url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def token(page: Page) -> str:
    value = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert value
    return value


def state(workspace, job_id: int) -> str:
    return next(j.state for j in all_jobs(workspace) if j.id == job_id)


def released(workspace, name: str) -> Path:
    return workspace.root / "released" / "court" / name


def select_in_original(page: Page, text: str) -> None:
    """Select `text` in the original column with the mouse's result: a DOM selection, then mouseup."""
    page.evaluate("""(needle) => {
        const walker = document.createTreeWalker(document.getElementById('original'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(needle);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + needle.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
        }
        throw new Error('not on the page: ' + needle);
    }""", text)
    page.dispatch_event("#original", "mouseup")


def test_an_unsigned_visitor_is_sent_to_sign_in(context, base_url):
    page = context.new_page()
    for path in ("/", "/jobs/1", "/jobs/4/pages/1.png"):
        page.goto(base_url + path)
        assert page.url == f"{base_url}/login"
        assert page.locator("h1").inner_text() == "Sign in"


def test_a_post_without_the_csrf_token_is_refused(context, base_url, workspace):
    page = sign_in(context, base_url, "maria")
    response = page.request.post(f"{base_url}/jobs/3/approve", form={}, max_redirects=0)
    assert response.status == 400
    response = page.request.post(f"{base_url}/jobs/3/approve", form={"csrf_token": "forged"}, max_redirects=0)
    assert response.status == 400
    assert state(workspace, 3) == "awaiting_review"
    assert not released(workspace, "C-1042 browser 3.txt").exists()


def test_a_worker_cannot_approve(context, base_url, workspace):
    page = sign_in(context, base_url, "wes")
    assert "C-1042 browser 3.txt" not in page.content()              # not their submission
    response = page.goto(f"{base_url}/jobs/3")
    assert response is not None and response.status == 403
    assert page.locator("button.approve").count() == 0
    response = page.request.post(f"{base_url}/jobs/3/approve", form={"csrf_token": token(page)},
                                 max_redirects=0)
    assert response.status == 403                                    # refused by the server, not only hidden
    assert state(workspace, 3) == "awaiting_review"
    assert not released(workspace, "C-1042 browser 3.txt").exists()


def test_a_manager_unredacts_adds_and_releases_exactly_those_changes(browser, context, base_url, workspace):
    page = sign_in(context, base_url, "maria")
    page.click("text=#1")
    page.wait_for_url(f"{base_url}/jobs/1")
    # the redactions, each with its reason
    changes = page.locator("table.changes")
    assert "presidio:PHONE_NUMBER" in changes.inner_text() and "client.contact" in changes.inner_text()
    assert "no consent in force" in changes.inner_text() and "third_party.identity" in changes.inner_text()
    assert page.locator("#redacted mark").count() == 2
    assert SISTER not in page.locator("#redacted").inner_text()
    # un-redact the sister, with a justification
    page.click("details.unredact summary:has-text('Un-redact #2')")
    form = page.locator("#unredact-2")
    form.locator("textarea[name=justification]").fill("The court needs to know she attended")
    form.locator("button").click()
    page.wait_for_selector("#blocked")
    assert SISTER in page.locator("#redacted").inner_text()
    assert page.locator("#approve").is_disabled()
    decision = page.locator("li.decision").first
    assert "breach of confidentiality" in decision.inner_text() and "awaiting authorisation" in decision.inner_text()
    # add one, by selecting it in the original
    select_in_original(page, "Alan Jones")
    assert page.locator("#term").input_value() == "Alan Jones"
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("text=redaction added at every occurrence")
    assert "Alan Jones" not in page.locator("#redacted").inner_text()
    assert "Dr [Redacted]" in page.locator("#redacted").inner_text()
    # a different person, an authoriser, signs the breach
    other = browser.new_context()
    other.set_default_timeout(TIMEOUT_MS)
    try:
        authoriser = sign_in(other, base_url, "olu")
        authoriser.goto(f"{base_url}/jobs/1")
        authoriser.fill("form.authorise textarea[name=notes]", "Agreed: the court order requires it")
        authoriser.click("form.authorise button.approve")
        authoriser.wait_for_selector("text=signed by olu")
    finally:
        other.close()
    page.goto(f"{base_url}/jobs/1")
    assert page.locator("#approve").is_enabled()
    page.click("#approve")
    page.wait_for_url(f"{base_url}/")
    assert "approved and released" in page.content()
    expected = report_text(1).replace(PHONE, "[Phone number]").replace("Alan Jones", "[Redacted]")
    assert released(workspace, "C-1042 browser 1.txt").read_text(encoding="utf-8") == expected
    page.goto(f"{base_url}/jobs/1")
    history = page.locator("ol.history").inner_text()
    for line in ("maria unredaction requested", "maria redaction added", "olu breach authorised",
                 "maria approved", "maria released"):
        assert line in history


def test_a_breach_stays_unreleasable_until_a_different_authoriser_approves_it(browser, context, base_url,
                                                                              workspace):
    page = sign_in(context, base_url, "maria")
    page.goto(f"{base_url}/jobs/2")
    page.click("details.unredact summary:has-text('Un-redact #1')")
    form = page.locator("#unredact-1")
    form.locator("textarea[name=justification]").fill("Police need to call her urgently")
    form.locator("button").click()
    page.wait_for_selector("#blocked")
    assert PHONE in page.locator("#redacted").inner_text()
    assert page.locator("#approve").is_disabled()
    response = page.request.post(f"{base_url}/jobs/2/approve", form={"csrf_token": token(page)}, max_redirects=0)
    assert response.status == 409 and "awaiting authorisation" in response.text()
    assert state(workspace, 2) == "awaiting_review"
    assert not released(workspace, "C-1042 browser 2.txt").exists()
    decision_id = page.locator("li.decision").first.get_attribute("id").removeprefix("decision-")
    # the manager who asked cannot sign it
    response = page.request.post(f"{base_url}/decisions/{decision_id}/authorise",
                                 form={"csrf_token": token(page), "capacity": "Authoriser", "notes": "mine"},
                                 max_redirects=0)
    assert response.status == 403
    assert page.locator("form.authorise").count() == 0
    other = browser.new_context()
    other.set_default_timeout(TIMEOUT_MS)
    try:
        authoriser = sign_in(other, base_url, "olu")
        authoriser.goto(f"{base_url}/jobs/2")
        assert authoriser.locator("#approve").count() == 0          # an authoriser does not approve
        authoriser.fill("form.authorise textarea[name=notes]", "Risk to life; the police asked in writing")
        authoriser.click("form.authorise button.approve")
        authoriser.wait_for_selector("text=signed by olu")
    finally:
        other.close()
    page.goto(f"{base_url}/jobs/2")
    assert page.locator("#blocked").count() == 0
    page.click("#approve")
    page.wait_for_url(f"{base_url}/")
    text = released(workspace, "C-1042 browser 2.txt").read_text(encoding="utf-8")
    assert PHONE in text and SISTER not in text


def test_a_pdf_is_shown_as_the_recipient_will_see_it(context, base_url):
    page = sign_in(context, base_url, "maria")
    page.goto(f"{base_url}/jobs/4")
    image = page.locator(".pdf-pages img").first
    image.wait_for()
    page.wait_for_function("() => { const i = document.querySelector('.pdf-pages img');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    assert image.evaluate("i => i.naturalWidth") > 800
    response = page.request.get(f"{base_url}/jobs/4/pages/1.png")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert response.body().startswith(b"\x89PNG\r\n\x1a\n")
    assert page.request.get(f"{base_url}/jobs/4/pages/9.png").status == 404
