"""Screenshots of the admin's key pages for the documentation, into ``docs/_static/``.

Run from the top of the repository (Playwright and a Chromium are needed)::

    .venv/bin/python scripts/docs_screenshots.py [--chromium /usr/bin/chromium] [--out docs/_static]

It builds a throw-away shop on a temporary SQLite database (the demo data: a few hundred answers
over 90 days, their themes, a complaint with a handled history, an alert rule), serves the app on
127.0.0.1, logs in as the demo admin and takes each page at 1280x800 (the phone views at 375x740).
Nothing it does touches any other database.
"""

from __future__ import annotations

import argparse
import secrets
import datetime as dt
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from feedbackwidget import create_app, get_state
from feedbackwidget.accounts.names import set_display_name
from feedbackwidget.complaints.context import Actor
from feedbackwidget.complaints.intake import Origin, receive_complaint
from feedbackwidget.complaints.runtime import context_for
from feedbackwidget.complaints.validation import ComplaintInput
from feedbackwidget.complaints.workflow import add_message, assign, change_status, escalate, set_root_cause
from feedbackwidget.core.models import AdminUser, Site
from feedbackwidget.provisioning.demo import load_demo
from feedbackwidget.sites import load_site_config
from feedbackwidget.themes.pending import analyse_pending

PASSWORD = "docs-screenshots-password-2026"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
COMPLAINT = ComplaintInput(name="Kovács Éva", email="eva@example.com", category="delivery",
                           description="The parcel arrived two weeks late and the mug inside was broken.",
                           desired_resolution="A new mug, or my money back.", consent=True)


@dataclass(frozen=True)
class Shot:
    """One picture: the admin path, the file name, the viewport, the element to wait for."""

    path: str
    name: str
    viewport: dict[str, int]
    ready: str = "main h1"


def build_app(folder: Path) -> Flask:
    return create_app({
        "FEEDBACKWIDGET_DATABASE_URL": f"sqlite:///{folder / 'docs.sqlite'}",
        "FEEDBACKWIDGET_SECRET_KEY": secrets.token_urlsafe(48),
        "FEEDBACKWIDGET_AUTO_MIGRATE": True, "FEEDBACKWIDGET_RUN_SENDER": False,
        "FEEDBACKWIDGET_SITE_CACHE_SECONDS": 0, "MAIL_DEFAULT_SENDER": "feedback@demo.example",
    })


def handled_complaint(site: Site, admin: AdminUser) -> int:
    """A complaint received three days ago, taken on, escalated, answered: a timeline worth showing
    (inside a request context: the workflow uses the request's session)."""
    session = get_state().session()
    config = load_site_config(session, site.key)
    assert config is not None
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)
    complaint = receive_complaint(context_for(config, Actor(None, "customer"), start), COMPLAINT,
                                  Origin("web", "en")).complaint
    staff = context_for(config, Actor(admin.id, admin.email), start + dt.timedelta(hours=2))
    assign(staff, complaint, admin.id)
    change_status(staff, complaint, "start")
    escalate(staff.at(start + dt.timedelta(hours=5)), complaint, 2, "needs the courier's report")
    add_message(staff.at(start + dt.timedelta(hours=6)), complaint, "internal", "Courier ticket 4471 opened.")
    add_message(staff.at(start + dt.timedelta(days=1)), complaint, "public",
                "Dear Éva, we are sorry: a new mug is on its way today.")
    set_root_cause(staff.at(start + dt.timedelta(days=1)), complaint, "logistics")
    session.commit()
    return complaint.id


def fill(app: Flask) -> tuple[int, int]:
    """The demo shop, its themes and a handled complaint; the site's and the complaint's ids."""
    with app.test_request_context():
        session = get_state().session()
        demo = load_demo(session, password=PASSWORD, responses=400)
        site = session.scalars(select(Site).where(Site.key == demo.site_key)).one()
        admin = session.scalars(select(AdminUser).where(AdminUser.email == demo.admin_email)).one()
        set_display_name(admin, "Anna")
        session.commit()
        ids = site.id, handled_complaint(site, admin)
    analyse_pending(get_state(app).engine)
    return ids


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def shots(site_id: int, complaint_id: int) -> list[Shot]:
    return [
        Shot("/", "dashboard.png", DESKTOP),
        Shot("/", "dashboard-phone.png", PHONE),
        Shot(f"/complaints/{complaint_id}", "complaint.png", DESKTOP),
        Shot(f"/complaints/{complaint_id}", "complaint-phone.png", PHONE),
        Shot("/responses", "responses.png", DESKTOP),
        Shot("/responses", "responses-phone.png", PHONE),
        Shot(f"/sites/{site_id}/themes", "themes.png", DESKTOP),
        Shot(f"/outbox/sites/{site_id}", "alerts.png", DESKTOP),
    ]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/feedback/admin/login?lang=en")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/feedback/admin/")


def take(browser: Any, base: str, email: str, wanted: list[Shot], out: Path) -> None:
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        log_in(page, base, email)
        for shot in (s for s in wanted if s.viewport == viewport):
            page.goto(f"{base}/feedback/admin{shot.path}")
            page.wait_for_selector(shot.ready)
            page.screenshot(path=str(out / shot.name), full_page=shot.viewport == DESKTOP)
            print(f"{out / shot.name}")
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium to drive")
    parser.add_argument("--out", default="docs/_static", type=Path, help="where the PNG files go")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        site_id, complaint_id = fill(app)
        with serving(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium,
                                                 args=["--no-sandbox", "--disable-background-networking"])
            take(browser, base, "admin@demo.example", shots(site_id, complaint_id), args.out)
            browser.close()
        get_state(app).dispose()


if __name__ == "__main__":
    main()
