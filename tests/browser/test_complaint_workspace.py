"""The complaint workspace in a real browser: the detail page and the queue at 375x740 and
1280x800 in English, Hungarian and Chinese show the countdown and the timeline's sentences,
fit the screen, and axe-core finds no violation; rejecting asks first and says what it does.

Set ``FW_SCREENSHOTS=/some/folder`` to keep a full-page screenshot of each page visited.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.context import CUSTOMER, Actor, Context, Settings
from feedbackwidget.complaints.intake import Origin, receive_complaint
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.complaints.saved_replies import add_saved_reply
from feedbackwidget.complaints.validation import ComplaintInput
from feedbackwidget.complaints.workflow import add_message, assign, change_status, escalate, set_root_cause
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.sites import load_site_config

from ..conftest import ADMIN_PASSWORD
from .conftest import LiveServer

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
SCREENSHOTS = os.environ.get("FW_SCREENSHOTS")
SETTINGS = Settings(deadline_days=30, reminder_days=5, public_base="http://127.0.0.1/feedback", url_prefix="/feedback")
# What a person sees, per language: the countdown and two sentences of the timeline.
SEEN = {
    "en": ("17 days left", "Anna escalated to level 2: needs a technician",
           "Anna named the root cause: Product defect."),
    "hu": ("17 nap van hátra", "Anna 2. szintre eszkalálta: needs a technician",
           "Anna megnevezte a kiváltó okot: Termékhiba."),
    "zh": ("还剩 17 天", "Anna 升级至第2级：needs a technician",
           "Anna 确定了根本原因：产品缺陷。"),
}


def _complaint(db: Session, ctx: Context, name: str, description: str, locale: str = "hu") -> Complaint:
    data = ComplaintInput(name=name, email=f"customer{abs(hash(name)) % 1000}@example.com", category="product_quality",
                          description=description, desired_resolution="Egy új, működő vízforraló", consent=True,
                          order_number="WEB-10482")
    return receive_complaint(ctx, data, Origin("web", locale)).complaint


@pytest.fixture
def workspace(live_server: LiveServer, db: Session, site: Site, make_admin: Any) -> Iterator[Complaint]:
    """A Hungarian customer's complaint, 12 days old, handled by Anna; and a queue around it."""
    anna = make_admin("anna@shop.example", sites=[(site, "owner")])
    state = get_state(live_server.app)
    # A session of the app's own engine (the db fixture's would not take intake's SAVEPOINT on PostgreSQL).
    with live_server.app.test_request_context(), Session(state.engine, expire_on_commit=False) as session:
        yield _seed(session, session.get(Site, site.id), anna, state.drafts_for)  # type: ignore[arg-type]


def _seed(db: Session, site: Site, anna: Any, drafts: Any) -> Complaint:
    config = load_site_config(db, site.key)
    assert config is not None
    received = utcnow() - dt.timedelta(days=12, hours=1)
    ctx = Context(db, config, CUSTOMER, received, SETTINGS, drafts)
    complaint = _complaint(db, ctx, "Kovács Éva", "A vízforraló két hét után szivárogni kezdett az alján.\n"
                           "Kétszer is próbáltam, ugyanaz.")
    staff = ctx.at(received + dt.timedelta(hours=2))
    staff = Context(db, config, Actor(anna.id, anna.email), staff.now, SETTINGS, staff.event_drafts)
    assign(staff, complaint, anna.id)
    change_status(staff, complaint, "start")
    escalate(staff.at(staff.now + dt.timedelta(hours=1)), complaint, 2, "needs a technician")
    add_message(staff.at(staff.now + dt.timedelta(hours=2)), complaint, "internal", "A 42-es gyártási tétel megint.")
    set_root_cause(staff.at(staff.now + dt.timedelta(hours=3)), complaint, "product_defect")
    for days, name in ((40, "Late Lajos"), (3, "Szabó Béla")):
        _complaint(db, ctx.at(utcnow() - dt.timedelta(days=days)), name, "A csomag sérülten érkezett, a doboz "
                   "egyik sarka be volt nyomva, és a termék karcos.")
    add_saved_reply(db.get(Site, site.id), "Bocsánatkérés, csere", "hu",  # type: ignore[arg-type]
                    "Kedves {name}!\n\nSajnáljuk a(z) {reference} panaszában leírtakat: küldünk egy újat.")
    db.commit()
    return complaint


def _login(browser: Any, live_server: LiveServer, width: int, height: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "anna@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    return page


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return list(page.evaluate(
        f"async () => (await axe.run(document, {{runOnly: {RULES}}})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"))


def _shot(page: Any, name: str) -> None:
    """A full-page screenshot, and on a phone the page in screen-high slices too (to be read at full size)."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    total = int(page.evaluate("document.documentElement.scrollHeight"))
    for number, top in enumerate(range(0, total, height) if width < 500 else []):
        clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        page.screenshot(path=str(folder / f"{name}-{number + 1}.png"), full_page=True, clip=clip)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_detail_page_and_the_queue_in_three_languages(
    browser: Any, live_server: LiveServer, workspace: Complaint, size: str
) -> None:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    page = _login(browser, live_server, *SIZES[size])
    seen, problems = {}, {}
    for lang, (countdown, escalated, cause) in SEEN.items():
        page.goto(f"{live_server.url}/feedback/admin/complaints/{workspace.id}?lang={lang}")
        _shot(page, f"complaint-detail-{lang}-{size}")
        timeline = page.locator(".fw-cw-timeline").inner_text()
        seen[lang] = (page.locator(".fw-cw-countdown").inner_text(), escalated in timeline, cause in timeline,
                      "assignee_id" in timeline or "product_defect" in timeline)
        problems[f"detail {lang}"] = (_overflow(page), _axe(page))
        page.goto(f"{live_server.url}/feedback/admin/complaints/?lang={lang}")
        _shot(page, f"complaint-queue-{lang}-{size}")
        problems[f"queue {lang}"] = (_overflow(page), _axe(page))
    page.context.close()

    assert seen == {lang: (countdown, True, True, False) for lang, (countdown, _, _) in SEEN.items()}
    assert problems == {key: (0, []) for key in problems}


def test_rejecting_asks_first_and_a_saved_reply_goes_out_in_the_customers_words(
    browser: Any, live_server: LiveServer, workspace: Complaint
) -> None:
    page = _login(browser, live_server, 1280, 800)
    page.goto(f"{live_server.url}/feedback/admin/complaints/{workspace.id}?lang=en")
    confirm = page.locator(".fw-cw-confirm")
    hidden_before = not confirm.is_visible()
    page.click(".fw-cw-reject summary")
    consequence = confirm.inner_text()

    page.click("text=Bocsánatkérés, csere")
    composed = page.input_value("#body")
    page.click("button:has-text('Save message')")
    flash = page.locator(".fw-cw-flash").inner_text()
    last = page.locator(".fw-cw-entry").last.inner_text()
    page.context.close()

    assert hidden_before and "counts as unfounded in the analysis" in consequence
    assert composed.startswith("Kedves Kovács Éva!") and workspace.reference in composed
    assert flash == "Your reply is on its way to the customer by e-mail and on their status page."
    assert "Anna replied to the customer." in last and "Kedves Kovács Éva!" in last


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_analysis_and_saved_replies_pages_fit_and_pass_axe(
    browser: Any, live_server: LiveServer, workspace: Complaint, size: str
) -> None:
    page = _login(browser, live_server, *SIZES[size])
    problems, charts = {}, {}
    for lang in ("en", "hu", "zh"):
        for name, path in (("analysis", f"analysis?site={workspace.site_id}&period=90"),
                           ("saved-replies", f"saved-replies?site={workspace.site_id}")):
            page.goto(f"{live_server.url}/feedback/admin/complaints/{path}&lang={lang}")
            _shot(page, f"complaint-{name}-{lang}-{size}")
            problems[f"{name} {lang}"] = (_overflow(page), _axe(page))
        page.goto(f"{live_server.url}/feedback/admin/complaints/analysis?site={workspace.site_id}&period=90&lang={lang}")
        charts[lang] = page.locator(".fw-cw-chart svg").count()
    page.context.close()

    assert problems == {key: (0, []) for key in problems}
    assert charts == {"en": 2, "hu": 2, "zh": 2}  # count over time and on time; no compensation yet
