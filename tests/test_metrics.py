"""The dashboard's figures on a hand-computed set of responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.metrics import build_dashboard, custom, last_days, refresh
from feedbackwidget.metrics.words import frequent_words
from feedbackwidget.core.models import Response, Site, Survey

NOW = dt.datetime.now(dt.timezone.utc)
TODAY = NOW.date()
ROLLED_UP_DAYS = 120


def roll_up(app: Any) -> int:
    """What the maintenance job does: roll up the closed days; how many batches it took."""
    return refresh(get_state(app).engine, TODAY - dt.timedelta(days=ROLLED_UP_DAYS), TODAY)


def survey_id(db: Session, site: Site, template: str) -> int:
    return int(db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == template)))


def add(db: Session, site: Site, template: str, days_ago: float, **values: Any) -> None:
    created = NOW - dt.timedelta(days=days_ago) if days_ago else NOW
    db.add(Response(site_id=site.id, survey_id=survey_id(db, site, template), locale="en",
                    answers=values.pop("answers", {}), created_at=created, **values))


@pytest.fixture
def stored(db: Session, site: Site) -> Site:
    """This week: NPS 10,10,9,9,9,8,7,6,2,0 (5 promoters, 2 passives, 3 detractors: NPS +20),
    half of them today and half on earlier days; the week before: 0,0,10,5 (NPS -50)."""
    for index, score in enumerate((10, 10, 9, 9, 9, 8, 7, 6, 2, 0)):
        tier = "gold" if score >= 9 else ("silver" if score == 8 else None)
        comment = "Slow delivery, rude courier" if score <= 6 else None
        add(db, site, "nps", 0 if index % 2 else 1 + index % 5, nps_score=score, loyalty_tier=tier,
            comment=comment, page_url=f"https://shop.example/{'cart' if index < 4 else 'home'}?utm=x")
    for score in (0, 0, 10, 5):
        add(db, site, "nps", 10, nps_score=score, comment="Slow checkout" if score < 6 else None)
    for rating in ("excellent", "excellent", "good", "bad"):
        add(db, site, "csat", 2, csat=rating, comment="Delivery too slow" if rating == "bad" else None)
    for in_stock in (False, True, True, True):
        add(db, site, "stock", 0, in_stock=in_stock)
    for score, reward in ((10, "points"), (4, "points"), (8, "gift")):
        add(db, site, "loyalty", 3, loyalty_score=score, answers={"member": True, "preferred_reward": reward})
    db.commit()
    return site


@pytest.fixture
def known(app: Any, stored: Site) -> Site:
    """:func:`stored`'s responses, rolled up as the maintenance job does."""
    roll_up(app)
    return stored


def test_nps_is_promoters_minus_detractors_compared_with_the_week_before(db: Session, known: Site) -> None:
    board = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)

    assert (board.current.promoters, board.current.passives, board.current.detractors) == (5, 2, 3)
    assert board.current.nps == pytest.approx(20.0)
    assert board.previous.nps == pytest.approx(-50.0)
    assert board.current.responses == 10 + 4 + 4 + 3
    assert board.previous.responses == 4


def test_csat_stock_and_loyalty_figures(db: Session, known: Site) -> None:
    board = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)

    assert board.current.csat_excellent_share == pytest.approx(50.0)
    assert board.current.stock_no_share == pytest.approx(25.0)
    assert board.current.loyalty_average == pytest.approx(22 / 3)
    assert board.current.loyalty_nps == pytest.approx(0.0)  # one promoter, one detractor, one passive
    assert {r.key: r.current.responses for r in board.rewards} == {"points": 2, "gift": 1}


def test_members_and_tiers(db: Session, known: Site) -> None:
    board = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)

    assert board.members.current.nps == pytest.approx(100.0 * 5 / 6)  # 10,10,9,9,9 gold + 8 silver
    assert board.non_members.current.nps_total == 4 and board.non_members.current.nps == pytest.approx(-75.0)
    assert {t.key: t.current.nps_total for t in board.tiers} == {"gold": 5, "silver": 1}


def test_distribution_pages_trend_and_words(db: Session, known: Site) -> None:
    board = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)

    assert [board.score_count(s) for s in range(11)] == [1, 0, 1, 0, 0, 0, 1, 1, 1, 3, 2]
    assert {p.key: p.current.nps_total for p in board.pages} == {"https://shop.example/cart": 4,
                                                                 "https://shop.example/home": 6}
    assert sum(point.totals.nps_total for point in board.trend) == 10
    assert board.trend[-1].last == TODAY
    assert ("slow", 4) in board.words and ("delivery", 4) in board.words


def test_figures_are_the_same_when_read_again_from_the_rollups(db: Session, known: Site) -> None:
    first = build_dashboard(db, [known.id], last_days(30, TODAY), today=TODAY)
    again = build_dashboard(db, [known.id], last_days(30, TODAY), today=TODAY)
    assert again == first
    assert first.current.nps == pytest.approx(100.0 * (6 - 6) / 14)


def test_responses_stored_later_with_an_earlier_date_are_counted_once_rolled_up_again(
    app: Any, db: Session, known: Site
) -> None:
    add(db, known, "nps", 3, nps_score=0)
    db.commit()

    before = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)
    roll_up(app)
    after = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)

    assert before.pending_days == 1 and before.current.detractors == 3
    assert after.pending_days == 0
    assert after.current.detractors == 4 and after.current.nps == pytest.approx(100.0 * (5 - 4) / 11)


def test_a_custom_period_and_weekly_buckets(db: Session, known: Site) -> None:
    period = custom(TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=8))
    board = build_dashboard(db, [known.id], period, today=TODAY)
    board = build_dashboard(db, [known.id], period, "week", today=TODAY)
    assert board.current.nps_total == 4 and board.bucket == "week" and not board.bucket_automatic
    assert all(point.first.weekday() == 0 for point in board.trend[1:])
    assert board.trend[0].first == period.start and board.trend[-1].last == period.last_day


def test_words_count_each_comment_once() -> None:
    words = frequent_words(["Slow slow delivery", "The delivery was late", "送货太慢了，送货"])
    assert words[0] == ("delivery", 2)
    assert ("slow", 1) in words and ("送货", 1) in words


def test_the_nightly_command_sums_the_closed_days_ahead_of_time(app: Any, db: Session, stored: Site) -> None:
    from sqlalchemy import func

    from feedbackwidget.metrics.models import StatsDay

    result = app.test_cli_runner().invoke(args=["feedbackwidget", "stats", "refresh", "--days", "30"])

    assert result.exit_code == 0, result.output
    assert db.scalar(select(func.count()).select_from(StatsDay).where(StatsDay.site_id == stored.id)) == 30
    board = build_dashboard(db, [stored.id], last_days(7, TODAY), today=TODAY)
    assert board.current.nps == pytest.approx(20.0)


def test_a_dashboard_over_days_not_rolled_up_shows_what_is_ready_and_builds_nothing(
    app: Any, db: Session, stored: Site
) -> None:
    from sqlalchemy import func

    from feedbackwidget.metrics.models import StatsDay

    board = build_dashboard(db, [stored.id], last_days(7, TODAY), today=TODAY)

    assert board.pending_days == 14 - 1 - 2  # both weeks but today and the last two closed days
    assert board.current.responses == (5 + 4) + 1 + (1 + 4)  # today and the two days before, summed live
    assert db.scalar(select(func.count()).select_from(StatsDay)) == 0
    assert roll_up(app) > 1  # one small batch per site and month, and the watermark
    assert build_dashboard(db, [stored.id], last_days(7, TODAY), today=TODAY).current.responses == 21


def test_the_dashboard_page_says_days_are_being_prepared_until_the_maintenance_job_ran(
    app: Any, stored: Site, logged_in: Any
) -> None:
    from feedbackwidget.maintenance import run_daily_commands

    client = logged_in("viewer")
    preparing = "still being prepared"

    first = client.get("/feedback/admin/?period=7")
    assert first.status_code == 200 and preparing in first.text
    assert run_daily_commands(app) == []
    assert preparing not in client.get("/feedback/admin/?period=7").text


def test_the_background_builder_a_dashboard_starts_fills_the_missing_days(app: Any, db: Session, stored: Site) -> None:
    from feedbackwidget.metrics.background import BUILDER_KEY, build_in_background

    state = get_state(app)
    assert build_in_background(state.engine, state.extras, TODAY - dt.timedelta(days=14))
    state.extras[BUILDER_KEY].join(timeout=120)

    board = build_dashboard(db, [stored.id], last_days(7, TODAY), today=TODAY)
    assert board.pending_days == 0 and board.current.responses == 21


def test_a_dashboard_has_the_builder_look_at_many_new_responses_so_its_own_look_stays_short(
    app: Any, db: Session, known: Site, monkeypatch: Any
) -> None:
    monkeypatch.setattr("feedbackwidget.metrics.rollup.UNSEEN_LIMIT", 1)
    for score in (9, 10):
        add(db, known, "nps", 0, nps_score=score)
    db.commit()

    assert build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY).wants_builder
    roll_up(app)
    after = build_dashboard(db, [known.id], last_days(7, TODAY), today=TODAY)
    assert not after.wants_builder and after.pending_days == 0 and after.current.responses == 23
