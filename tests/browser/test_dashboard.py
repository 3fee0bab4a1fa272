"""The dashboard in a browser, as a shop owner sees it on a phone (375x740) and a desktop (1280x800), in
English, Hungarian and Chinese: no sideways scrolling of the page, the trend charts inside their card with
readable text, axe-core finds nothing; a new site shows its setup checklist instead of a grid of dashes.

Set ``FW_SCREENSHOTS=/some/folder`` to keep a full-page screenshot of each view.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.metrics import refresh
from feedbackwidget.core.models import OutboxMessage, Response, Site, Survey

from ..conftest import ADMIN_PASSWORD
from ..test_complaints_api import complaint_body, post_complaint
from .conftest import LiveServer

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
LANGUAGES = ("en", "hu", "zh")
ADMIN = "/feedback/admin"
OWNER = "owner@shop.example"
SCREENSHOTS = os.environ.get("FW_SCREENSHOTS")
COMMENTS = ("A szállítás gyors volt, a csomagolás gondos.", "Delivery took nine days and nobody answered my e-mail.",
            "送货很快，包装也很好。", "The size chart is wrong, I had to send the shoes back.")


def fill_shop(db: Session, site: Site, app: Any) -> None:
    """Half a year of answers, thin on most days, none at all for over a week (a gap), with comments;
    rolled up as the maintenance job does."""
    ids = {t: db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == t))
           for t in ("nps", "csat", "loyalty")}
    now = dt.datetime.now(dt.timezone.utc)
    for day in range(180):
        if 20 <= day < 31:
            continue
        for n in range(2 + day % 5):
            created = now - dt.timedelta(days=day, hours=n)
            db.add(Response(site_id=site.id, survey_id=ids["nps"], locale="en", nps_score=(day * 7 + n * 3) % 11,
                            answers={}, created_at=created,
                            comment=COMMENTS[(day + n) % 4] if n == 0 and day % 3 == 0 else None))
            if n % 2 == 0:
                db.add(Response(site_id=site.id, survey_id=ids["csat"], locale="en", answers={},
                                csat=("excellent", "good", "bad")[(day + n) % 3], created_at=created))
    db.add(Response(site_id=site.id, survey_id=ids["loyalty"], locale="hu", loyalty_score=8, answers={},
                    comment="A pontgyűjtés jó, de lassan gyűlik.", created_at=now - dt.timedelta(minutes=5)))
    db.commit()
    refresh(get_state(app).engine, now.date() - dt.timedelta(days=200), now.date())


@pytest.fixture
def owner_page(browser: Any, live_server: LiveServer, db: Session, site: Site, client: Any, make_admin: Any
               ) -> Iterator[Any]:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    make_admin(OWNER, sites=[(site, "owner")])
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}{ADMIN}/login")
    page.fill("#email", OWNER)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{ADMIN}/")
    yield page
    context.close()


def problems_of(page: Any, name: str) -> list[str]:
    """Sideways overflow of the page, a trend chart outside its card, tiny chart text, axe-core's violations."""
    found = []
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > client:
        found.append(f"the page is {scroll} px wide in {client} px")
    for chart in page.locator("svg.fw-trend:visible").all():
        box, card = chart.bounding_box(), chart.locator("xpath=ancestor::section[1]").bounding_box()
        if box["x"] < card["x"] or box["x"] + box["width"] > card["x"] + card["width"] + 0.5:
            found.append(f"a chart ({box['width']:.0f} px) is outside its card")
        if box["width"] < card["width"] * 0.85:
            found.append(f"a chart uses {box['width']:.0f} of its card's {card['width']:.0f} px")
        smallest = chart.evaluate("s => Math.min(...[...s.querySelectorAll('text')].map(t => t.getBoundingClientRect().height))")
        if smallest < 10:
            found.append(f"chart text is {smallest:.1f} px tall")
    page.add_script_tag(path=str(AXE))
    found += page.evaluate(
        f"async () => (await axe.run(document, {{runOnly: {RULES}}})).violations"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))")
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
    return found


def test_a_busy_dashboard_fits_a_phone_and_a_desktop_in_three_languages(
    owner_page: Any, live_server: LiveServer, db: Session, site: Site, client: Any
) -> None:
    fill_shop(db, site, live_server.app)
    post_complaint(client, site, complaint_body(order_number="WEBSHOP-2026-000123"))
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        owner_page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            answer = owner_page.goto(f"{live_server.url}{ADMIN}/?period=90&site={site.id}&lang={lang}")
            assert answer is not None and answer.status == 200
            assert owner_page.locator("svg.fw-trend:visible").count() == 2  # NPS and CSAT, each on its own scale
            found[f"{lang} {size}"] = problems_of(owner_page, f"dashboard-{lang}-{size}")
    bad = {view: problems for view, problems in found.items() if problems}
    assert bad == {}, "\n".join(f"{view}: {'; '.join(problems)}" for view, problems in bad.items())


def test_a_site_that_is_set_up_leads_with_its_figures_and_trend(
    owner_page: Any, live_server: LiveServer, db: Session, site: Site
) -> None:
    fill_shop(db, site, live_server.app)
    db.add(OutboxMessage(kind="mail", dedupe_key="test:docs", message_id="<docs@shop.example>",
                         recipient=OWNER, status="sent", payload={}))
    db.commit()
    for size, (width, height) in SIZES.items():
        owner_page.set_viewport_size({"width": width, "height": height})
        owner_page.goto(f"{live_server.url}{ADMIN}/?period=90&lang=en")
        assert owner_page.locator(".fw-checklist").count() == 0
        assert owner_page.get_by_role("heading", name="How the scores moved").is_visible()
        if SCREENSHOTS:  # the docs' screenshots: the figures and the trend
            first = ".fw-figures" if size == "desktop" else ".fw-trend-panel"
            owner_page.evaluate(f"window.scrollTo(0, document.querySelector('{first}').getBoundingClientRect().top"
                                " + window.scrollY - 16)")
            owner_page.screenshot(path=str(Path(SCREENSHOTS) / f"docs-dashboard-{size}.png"))


def test_the_trend_leaves_a_gap_where_a_week_had_no_answers(
    owner_page: Any, live_server: LiveServer, db: Session, site: Site
) -> None:
    fill_shop(db, site, live_server.app)
    owner_page.goto(f"{live_server.url}{ADMIN}/?period=90&site={site.id}&by=week&lang=en")
    chart = owner_page.locator("svg.fw-trend-wide").first
    assert chart.locator("polyline").count() == 2  # one line before the empty week, one after
    assert owner_page.get_by_text("1 point without answers is left as a gap.").is_visible()


def test_a_new_sites_dashboard_is_a_setup_checklist(
    owner_page: Any, live_server: LiveServer, db: Session
) -> None:
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        owner_page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            owner_page.goto(f"{live_server.url}{ADMIN}/?lang={lang}")
            assert owner_page.locator(".fw-checklist li").count() == 4
            assert owner_page.locator(".fw-figures").count() == 0  # no grid of dashes
            found[f"{lang} {size}"] = problems_of(owner_page, f"dashboard-new-{lang}-{size}")
    owner_page.goto(f"{live_server.url}{ADMIN}/?lang=en")
    assert owner_page.get_by_text("No answers in this period yet").is_visible()
    assert owner_page.get_by_role("link", name="Install the snippet on your shop's pages").is_visible()
    bad = {view: problems for view, problems in found.items() if problems}
    assert bad == {}, "\n".join(f"{view}: {'; '.join(problems)}" for view, problems in bad.items())


def test_the_complaints_at_a_glance_lead_to_the_queue(
    owner_page: Any, live_server: LiveServer, db: Session, site: Site, client: Any
) -> None:
    fill_shop(db, site, live_server.app)
    post_complaint(client, site, complaint_body(order_number="WEBSHOP-2026-000123"))
    reference = db.scalar(select(Complaint.reference))
    owner_page.set_viewport_size({"width": 375, "height": 740})
    owner_page.goto(f"{live_server.url}{ADMIN}/?lang=en")
    owner_page.get_by_role("link", name="1 open complaint").click()
    owner_page.wait_for_url("**/complaints/**")
    assert owner_page.get_by_text(str(reference)).first.is_visible()
