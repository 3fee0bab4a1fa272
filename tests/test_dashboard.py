"""What a shop owner sees on the dashboard: the trend's buckets and gaps, the answers behind each
figure, the newest comments, the complaints at a glance and a new site's setup checklist."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.metrics import Totals, custom, last_days, refresh
from feedbackwidget.metrics.formulas import nps_interval, wilson_interval
from feedbackwidget.metrics.trend import choose_bucket, regroup
from feedbackwidget.core.models import Response, Site, Survey
from feedbackwidget.sites.refusals import record_refusal
from feedbackwidget.provisioning import create_site

from .conftest import csrf_token
from .smtp import SmtpServer
from .test_complaints_api import complaint_body, post_complaint

NOW = dt.datetime.now(dt.timezone.utc)
TODAY = NOW.date()
DASHBOARD = "/feedback/admin/"


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    """The standalone server, its mail going to the ``smtp`` fixture."""
    return make_app(**smtp.config())


def survey_id(db: Session, site: Site, template: str) -> int:
    found = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == template))
    assert found is not None
    return found


def add(db: Session, site: Site, template: str, days_ago: float, **values: Any) -> None:
    db.add(Response(site_id=site.id, survey_id=survey_id(db, site, template), locale="en", answers={},
                    created_at=NOW - dt.timedelta(days=days_ago), **values))


def answers_per_day(db: Session, site: Site, app: Flask, per_day: Callable[[int], int], days: int = 30) -> None:
    """``per_day(n)`` NPS answers on the day *n* days ago (a mix of the three bands), rolled up."""
    for day in range(days):
        for n in range(per_day(day)):
            add(db, site, "nps", day, nps_score=(10, 9, 8, 3)[n % 4])
    db.commit()
    refresh(get_state(app).engine, TODAY - dt.timedelta(days=100), TODAY)


def text_of(html: str) -> str:
    """The page's words as a person reads them (tags dropped, spaces collapsed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def daily(counts: dict[int, int]) -> list[tuple[dt.date, Totals]]:
    """Daily sums with ``counts[n]`` NPS answers (all promoters) on the day *n* days ago."""
    return [(TODAY - dt.timedelta(days=ago), Totals(responses=n, nps_total=n, promoters=n)) for ago, n in counts.items()]


# ---- The bucket, chosen from the number of answers ----

def test_busy_days_are_charted_by_day() -> None:
    assert choose_bucket(daily({ago: 25 for ago in range(30)}), last_days(30, TODAY)) == "day"


def test_thin_days_are_charted_by_week() -> None:
    assert choose_bucket(daily({ago: 1 + ago % 5 for ago in range(30)}), last_days(30, TODAY)) == "week"


def test_a_trickle_over_a_quarter_is_charted_by_month() -> None:
    assert choose_bucket(daily({ago: 1 for ago in range(0, 90, 3)}), last_days(90, TODAY)) == "month"


def test_a_week_is_never_a_single_point() -> None:
    assert choose_bucket(daily({0: 1, 3: 2}), custom(dt.date(2026, 12, 1), dt.date(2026, 12, 6))) == "day"


def test_every_bucket_of_the_period_is_kept_empty_ones_too() -> None:
    period = custom(dt.date(2026, 11, 2), dt.date(2026, 11, 29))  # four whole weeks, Monday to Sunday
    points = regroup([(dt.date(2026, 11, 3), Totals(responses=2, nps_total=2, promoters=2))], period, "week")
    assert [p.first for p in points] == [dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 16),
                                         dt.date(2026, 11, 23)]
    assert [p.totals.nps_total for p in points] == [2, 0, 0, 0]
    assert points[-1].last == dt.date(2026, 11, 29)


# ---- Uncertainty bands ----

def test_the_csat_band_is_a_wilson_interval() -> None:
    low, high = wilson_interval(8, 10) or (0, 0)
    assert low == pytest.approx(49.0, abs=0.1) and high == pytest.approx(94.3, abs=0.1)
    assert wilson_interval(0, 0) is None


def test_the_nps_band_is_wide_on_a_few_answers_and_narrow_on_many() -> None:
    few = nps_interval(3, 0, 3) or (0, 0)
    many = nps_interval(300, 0, 300) or (0, 0)
    assert few[0] < 0 and few[1] == 100.0  # three promoters do not prove an NPS of +100
    assert many[0] > 95 and many[1] == 100.0
    low, high = nps_interval(50, 30, 100) or (0, 0)
    assert low < 20 < high and high - low == pytest.approx(2 * 1.96 * (0.8 - 0.04) ** 0.5 * 10, abs=3)


# ---- The trend on the page ----

def test_thin_days_make_a_weekly_trend_with_each_points_answers(
    app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    answers_per_day(db, site, app, lambda day: 1 + day % 5)
    page = logged_in("owner").get(DASHBOARD + "?period=30").text
    words = text_of(page)
    assert "Shown by week, so that each point rests on enough answers" in words
    assert re.search(r'<th scope="row" class="fw-nowrap">\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d</th>', page)
    assert 'class="fw-trend-band fw-trend-nps"' in page  # the uncertainty band
    assert re.search(r"\), \d+ answers?</title>", page)  # each dot says its answers


def test_busy_days_make_a_daily_trend(app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    answers_per_day(db, site, app, lambda day: 24, days=7)
    words = text_of(logged_in("owner").get(DASHBOARD + "?period=7").text)
    assert "Shown by day." in words and "Shown by week" not in words
    assert f"Latest NPS, from {TODAY.isoformat()}: 25 (24 answers)." in words  # 10, 9, 8, 3 six times


def test_a_week_without_answers_is_a_gap_in_the_line(
    app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    answers_per_day(db, site, app, lambda day: 0 if 10 <= day < 24 else 6, days=60)
    page = logged_in("owner").get(DASHBOARD + "?period=60&by=week").text
    wide_nps = page.split('class="fw-trend fw-trend-wide"')[1].split("</svg>")[0]
    assert wide_nps.count("<polyline") == 2  # before the gap and after it, never across
    assert "point without answers is left as a gap" in text_of(page) or "points without answers are left as gaps" in text_of(page)


def test_nps_and_csat_have_their_own_scales(app: Flask, db: Session, site: Site,
                                            logged_in: Callable[..., FlaskClient]) -> None:
    answers_per_day(db, site, app, lambda day: 2, days=7)
    add(db, site, "csat", 1, csat="excellent")
    db.commit()
    page = logged_in("owner").get(DASHBOARD + "?period=7").text
    nps_svg = page.split('aria-labelledby="nps-wide-title')[1].split("</svg>")[0]
    csat_svg = page.split('aria-labelledby="csat-wide-title')[1].split("</svg>")[0]
    assert ">-100<" in nps_svg and ">+100<" in nps_svg and "%<" not in nps_svg
    assert ">0%<" in csat_svg and ">100%<" in csat_svg and ">-100<" not in csat_svg


# ---- "based on N answers" ----

@pytest.mark.parametrize(("lang", "based_on", "few"), [("en", "based on 4 answers", "few answers"),
                                                      ("hu", "4 válasz alapján", "kevés válasz"),
                                                      ("zh", "基于 4 份回答", "回答较少")])
def test_a_figure_on_few_answers_says_so(db: Session, site: Site, logged_in: Callable[..., FlaskClient],
                                         lang: str, based_on: str, few: str) -> None:
    for score in (10, 9, 9, 2):
        add(db, site, "nps", 0, nps_score=score)
    db.commit()
    words = text_of(logged_in("owner").get(f"{DASHBOARD}?period=7&lang={lang}").text)
    assert f"+50 {based_on} {few}" in words.replace("50 " + based_on, "+50 " + based_on) or f"50 {based_on} {few}" in words


def test_one_answer_is_singular(db: Session, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    add(db, site, "csat", 0, csat="good")
    db.commit()
    words = text_of(logged_in("owner").get(DASHBOARD + "?period=7").text)
    assert "CSAT: excellent 0% based on 1 answer few answers" in words
    assert "NPS No answers yet" in words


# ---- The feed ----

def test_the_latest_comments_come_newest_first_with_their_scores(
    db: Session, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    add(db, site, "nps", 2, nps_score=3, comment="The parcel came late.")
    add(db, site, "csat", 1, csat="excellent", comment="Lovely staff.")
    add(db, site, "loyalty", 0.5, loyalty_score=9, comment="Points are easy to collect.")
    add(db, site, "nps", 0.1, nps_score=10)  # no comment: not in the feed
    db.commit()
    page = logged_in("owner").get(DASHBOARD + "?period=7").text
    feed = text_of(page.split('id="feed-title"')[1].split("</section>")[0])
    assert feed.index("Points are easy") < feed.index("Lovely staff") < feed.index("The parcel came late")
    assert "Program 9" in feed and "CSAT Excellent" in feed and "NPS 3" in feed
    assert '<span class="fw-band fw-band-detractor">3</span>' in page
    assert '<span class="fw-band fw-band-promoter">Excellent</span>' in page


# ---- Complaints at a glance ----

def test_complaints_at_a_glance(client: FlaskClient, db: Session, site: Site,
                                logged_in: Callable[..., FlaskClient]) -> None:
    for order in ("A-1", "A-2", "A-3", "A-4"):
        assert post_complaint(client, site, complaint_body(order_number=order)).status_code == 201
    rows = list(db.scalars(select(Complaint).order_by(Complaint.id)))
    moves = {rows[0].id: (-40, -10), rows[1].id: (-20, 3), rows[2].id: (-2, 28)}
    for complaint_id, (received, due) in moves.items():
        db.execute(update(Complaint).where(Complaint.id == complaint_id).values(
            received_at=NOW + dt.timedelta(days=received), due_at=NOW + dt.timedelta(days=due)))
    db.execute(update(Complaint).where(Complaint.id == rows[3].id).values(status="resolved"))
    db.commit()

    page = logged_in("owner").get(DASHBOARD).text
    glance = page.split('id="glance-title"')[1].split("</section>")[0]
    assert "3 open complaints 1 overdue 1 due within a week" in text_of(glance)
    assert f"The oldest open one: {rows[0].reference}" in text_of(glance)
    assert f'/complaints/{rows[0].id}"' in glance and "overdue=1" in glance


# ---- The setup checklist ----

def checklist_of(page: str) -> list[str]:
    return re.findall(r'<li class="fw-step( fw-step-done)?">', page)


def test_a_new_site_shows_a_checklist_not_a_grid_of_dashes(site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    page = logged_in("owner").get(DASHBOARD).text
    words = text_of(page)
    assert "Set up Test Shop" in words and "1 of 4 steps done" in words  # the site was made with an alert address
    assert "No answers in this period yet" in words
    assert 'class="fw-figures"' not in page and "–" not in words.split("Set up")[1]


def test_all_my_sites_shows_at_most_three_checklists(db: Session, site: Site,
                                                      logged_in: Callable[..., FlaskClient]) -> None:
    others = [create_site(db, f"Shop {n}", [f"https://shop{n}.example"]) for n in range(4)]
    db.commit()
    owner = logged_in(sites=[(site, "owner"), *((other, "owner") for other in others)])
    page = owner.get(DASHBOARD).text
    assert len(re.findall(r'<section class="fw-panel fw-setup"', page)) == 3
    assert "2 more sites are not set up yet: choose one above to see its checklist." in text_of(page)
    assert len(re.findall(r'<section class="fw-panel fw-setup"', owner.get(f"{DASHBOARD}?site={others[3].id}").text)) == 1


def test_the_checklist_ticks_each_step_and_goes_once_done(
    app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    owner = logged_in("owner")
    record_refusal(get_state(app).engine, site.id, "https://www.shop.example", "origin_not_allowed")
    words = text_of(owner.get(DASHBOARD).text)
    assert "1 of 4 steps done" in words  # refused for its origin: the snippet does not work there yet
    assert ("The widget tried to send from https://www.shop.example, which is not one of the site's allowed origins"
            in words)

    record_refusal(get_state(app).engine, site.id, "https://shop.example", "invalid_answers")
    words = text_of(owner.get(DASHBOARD).text)
    assert "2 of 4 steps done" in words  # seen on an allowed page

    add(db, site, "nps", 0, nps_score=9)
    db.commit()
    assert "3 of 4 steps done" in text_of(owner.get(DASHBOARD).text)

    outbox = owner.get("/feedback/admin/outbox/")
    owner.post("/feedback/admin/outbox/test-mail", data={"csrf_token": csrf_token(outbox.text), "to": ""})
    smtp.wait_for(1)
    page = owner.get(DASHBOARD).text
    assert "Set up Test Shop" not in page and not checklist_of(page)


def test_the_snippet_is_seen_once_its_config_is_fetched_from_an_allowed_page(
    client: FlaskClient, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    config = f"/feedback/api/v1/sites/{site.key}/config"
    owner = logged_in("owner")
    assert client.get(config, headers={"Origin": "https://elsewhere.example"}).status_code in (200, 403)
    assert client.get(config).status_code == 200  # no Origin: not a browser on a page
    assert "1 of 4 steps done" in text_of(owner.get(DASHBOARD).text)

    assert client.get(config, headers={"Origin": "https://shop.example"}).status_code == 200
    assert client.get(config, headers={"Origin": "https://shop.example"}).status_code == 200
    words = text_of(owner.get(DASHBOARD).text)
    assert "2 of 4 steps done" in words and "Seen: the widget has run on your pages." in words


def test_the_dashboard_has_no_inline_style_or_script(db: Session, site: Site,
                                                     logged_in: Callable[..., FlaskClient]) -> None:
    add(db, site, "nps", 0, nps_score=9, comment="Fine")
    db.commit()
    page = logged_in("owner").get(DASHBOARD).text
    assert " style=" not in page and "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
