"""`make screenshot`: take docs/review-page.png, the review page as a manager sees it.

Builds a throw-away Day-Mer workspace with the sample register, drops the
sample probation update in its outbox and runs the watcher once, serves the
web application on 127.0.0.1 (a free port) and drives Debian's headless
Chromium with Playwright: the manager un-redacts one name (a breach of
confidentiality, so it awaits authorisation), adds a redaction, the Centre
Coordinator signs the first step, and the page is photographed.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from redactor import db
from redactor.pipeline import Pipeline
from redactor.register import import_clients, import_consents
from redactor.users import add_user
from redactor.watch import WatchSettings, Watcher
from redactor.web import create_app
from redactor.web.accounts import set_password
from redactor.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OUT = ROOT / "docs" / "review-page.png"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "screenshot password"


def workspace_in(folder: Path) -> Workspace:
    workspace = Workspace.create(folder / "ws", "day_mer")
    with db.connect(workspace) as conn:
        import_clients(conn, SAMPLES / "clients.yaml")
        import_consents(conn, SAMPLES / "consents.yaml", workspace.recipients)
        add_user(conn, "alice", "admin")
        add_user(conn, "maria", "manager", by="alice")
        add_user(conn, "chris", "authoriser", by="alice")
        for name in ("maria", "chris"):
            set_password(conn, name, PASSWORD, by="alice")
    shutil.copyfile(SAMPLES / "daymer_probation_update.txt",
                    workspace.root / "outbox" / "probation" / "DM-2231 progress update.txt")
    Watcher(Pipeline(workspace), WatchSettings(settle=0.2), log=print).run(once=True)
    return workspace


def sign_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        workspace = workspace_in(Path(scratch))
        server = make_server("127.0.0.1", 0, create_app(workspace, Pipeline(workspace)), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                manager = browser.new_context(viewport={"width": 1500, "height": 1000})
                page = manager.new_page()
                sign_in(page, base, "maria")
                page.goto(f"{base}/jobs/1")
                row = page.locator("table.changes tr", has_text="Jordan Pike").first
                row.locator("details.unredact summary").click()
                row.locator("textarea").fill("Probation supervise Jordan Pike too and already know of the "
                                             "relationship (joint order, 3 March)")
                row.locator("form.unredact button").click()
                page.wait_for_selector("#blocked")
                page.fill("#term", "Kidderminster Hospital")
                page.click("#add-form button[type=submit]")
                page.wait_for_selector("text=redaction added at every occurrence")
                coordinator = browser.new_context()
                other = coordinator.new_page()
                sign_in(other, base, "chris")
                other.goto(f"{base}/jobs/1")
                other.fill("form.authorise textarea[name=notes]", "Discussed with the recovery team; agreed.")
                other.click("form.authorise button.approve")
                other.wait_for_selector("text=signed by chris")
                coordinator.close()
                page.goto(f"{base}/jobs/1")
                OUT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT), full_page=True)
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=30)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
