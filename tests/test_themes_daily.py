"""The drivers' daily sums (``fw_theme_daily``) give the figures the stored themes give,
and the dashboard's example comments are read, never analysed, in a request."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from feedbackwidget.metrics.periods import Period
from feedbackwidget.core.models import Response, Site
from feedbackwidget.provisioning import create_site
from feedbackwidget.themes import matching, store
from feedbackwidget.themes.daily import day_of, rebuild_site, refresh_days
from feedbackwidget.themes.drivers import drivers, example_comments
from feedbackwidget.themes.parallel import analyse_in_processes
from feedbackwidget.core.state import get_state
from feedbackwidget.themes.model import Theme
from feedbackwidget.themes.models import ResponseTheme, ThemeDaily
from feedbackwidget.themes.site import SiteTaxonomy
from feedbackwidget.themes.store import analyse_pending, save_site_edits

from .themes_rows import add_response

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 12, 1))
ALL_LIVE = dt.date.min


def day(month: int, number: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, number, hour, tzinfo=dt.timezone.utc)


@pytest.fixture
def answers(app: Flask, site: Site, db: Session) -> Site:
    """NPS and CSAT answers over October and November, at every hour; the worker has analysed them."""
    reasons = ["The delivery was late", "Friendly staff", "Too expensive", None, "Late delivery and rude staff",
               "No parking near the shop"]
    for number in range(120):
        at = day(10 + number // 60, 1 + number % 30, number % 24)
        reason = reasons[number % len(reasons)]
        if number % 5 == 0:
            add_response(db, site, survey="csat", csat=("bad", "good", "excellent")[number % 3], reason=reason, at=at)
        else:
            add_response(db, site, score=number % 11, reason=reason, at=at)
    db.commit()
    analyse_pending(db, batch=7)
    return site


def rolled_up(db: Session, site: Site) -> dict[str, int]:
    d = ThemeDaily
    rows = db.execute(select(d.theme_key, func.sum(d.mentions)).where(d.site_id == site.id).group_by(d.theme_key))
    return {key: int(count) for key, count in rows}


def test_the_daily_sums_give_the_figures_of_the_stored_themes(db: Session, answers: Site) -> None:
    assert rolled_up(db, answers) == {"": 120, "delivery": 40, "price": 20, "staff": 40}  # "": every answer
    live = drivers(db, [answers.id], NOVEMBER, rolled_until=ALL_LIVE)
    assert drivers(db, [answers.id], NOVEMBER) == live  # November is closed: read from the sums
    assert drivers(db, [answers.id], NOVEMBER, rolled_until=dt.date(2026, 11, 16)) == live  # half and half
    delivery = live.theme("delivery")
    assert delivery is not None and (delivery.mentions, delivery.previous_mentions) == (20, 18)  # from 2 October


def test_a_rebuild_after_an_edit_keeps_the_sums_and_the_stored_themes_agreeing(db: Session, answers: Site) -> None:
    edits = SiteTaxonomy(hidden=frozenset({"delivery"}),
                         added=(Theme("parking", {"en": "Parking", "hu": "Parkolás"}, {"en": ("parking",)}),))
    save_site_edits(db, answers.id, edits)
    db.commit()
    analyse_pending(db, batch=7)
    assert rolled_up(db, answers) == {"": 120, "parking": 20, "price": 20, "staff": 40}
    figures = drivers(db, [answers.id], NOVEMBER)
    assert figures == drivers(db, [answers.id], NOVEMBER, rolled_until=ALL_LIVE)
    assert figures.theme("delivery") is None and figures.theme("parking") is not None
    rebuild_site(db.connection(), answers.id)  # summing every day again changes nothing
    db.commit()
    assert drivers(db, [answers.id], NOVEMBER) == figures


def test_example_comments_compile_nothing_in_a_request(app: Flask, site: Site, db: Session,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    add_response(db, site, score=1, reason="A futár nem jött, a csomag egy hétig nem érkezett meg", locale="hu",
                 at=day(11, 10))
    add_response(db, site, score=2, reason="快递太慢了", locale="zh", at=day(11, 9))
    db.commit()
    analyse_pending(db)

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request compiled the site's matcher")

    monkeypatch.setattr("feedbackwidget.themes.settings._taxonomies", {})  # as after a restart
    monkeypatch.setattr(SiteTaxonomy, "build", no_compile)
    monkeypatch.setattr(matching.Matcher, "__init__", no_compile)
    low = example_comments(db, [site.id], NOVEMBER, "delivery")
    assert [[comment.text[start:end] for start, end in comment.spans] for comment in low] == [
        ["futár", "nem érkezett"], ["快递"]]
    assert [comment.language for comment in low] == ["hu", "zh"]


def test_an_anonymised_comment_is_no_example_any_more(app: Flask, site: Site, db: Session) -> None:
    late = add_response(db, site, score=1, reason="The delivery was late", at=day(11, 10))
    add_response(db, site, score=2, reason="Late delivery again", at=day(11, 9))
    db.commit()
    analyse_pending(db)
    late.answers = {**late.answers, "reason": "[erased]"}
    late.comment = "[erased]"
    db.commit()
    low = example_comments(db, [site.id], NOVEMBER, "delivery")
    assert [comment.text for comment in low] == ["Late delivery again"]


SumsByDay = dict[tuple[int, dt.date, str], tuple[int, ...]]
REASONS = ("The delivery was late", "Friendly staff", "Too expensive", None, "Late delivery and rude staff",
           "Késett a futár", "快递太慢了，客服也不回")


def stored_sums(db: Session) -> SumsByDay:
    d = ThemeDaily
    rows = db.execute(select(d.site_id, d.day, d.theme_key, d.mentions, d.detractors, d.passives, d.promoters,
                             d.bad, d.good, d.excellent))
    return {(site_id, on, key): tuple(sums) for site_id, on, key, *sums in rows}


def _add(sums: dict[tuple[int, dt.date, str], list[int]], key: tuple[int, dt.date, str], score: int | None,
         csat: str | None) -> None:
    row = sums.setdefault(key, [0] * 7)
    flags = (True, score is not None and score <= 6, score is not None and 7 <= score <= 8,
             score is not None and score >= 9, csat == "bad", csat == "good", csat == "excellent")
    for index, flag in enumerate(flags):
        row[index] += int(flag)


def sums_day_by_day(db: Session) -> SumsByDay:
    """The roll-up counted here, one stored row at a time, from the responses and their stored themes."""
    sums: dict[tuple[int, dt.date, str], list[int]] = {}
    for site_id, at, score, csat in db.execute(select(Response.site_id, Response.created_at, Response.nps_score,
                                                      Response.csat)):
        _add(sums, (site_id, day_of(at), ""), score, csat)
    themes = ResponseTheme
    for site_id, at, key, score, csat in db.execute(select(themes.site_id, themes.created_at, themes.theme_key,
                                                           themes.nps_score, themes.csat)):
        _add(sums, (site_id, day_of(at), key), score, csat)
    return {key: tuple(row) for key, row in sums.items()}


@pytest.fixture
def two_shops(app: Flask, site: Site, db: Session) -> tuple[Site, Site]:
    """Two shops' answers interleaved over six days, some a moment before or at midnight, none analysed yet."""
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps", "csat"))
    db.commit()
    moments = [day(11, 1 + number // 12, (number * 5) % 24) for number in range(72)]
    moments += [dt.datetime(2026, 11, 3, 23, 59, 59, 999000, tzinfo=dt.timezone.utc),
                dt.datetime(2026, 11, 4, 0, 0, tzinfo=dt.timezone.utc)]
    for number, at in enumerate(moments):
        shop, reason = (site, other)[number % 2], REASONS[number % len(REASONS)]
        if number % 4 == 0:
            add_response(db, shop, survey="csat", csat=("bad", "good", "excellent")[number % 3], reason=reason, at=at)
        else:
            add_response(db, shop, score=number % 11, reason=reason, at=at)
    db.commit()
    return site, other


def test_a_batch_over_several_days_and_shops_sums_each_day_once(db: Session, two_shops: tuple[Site, Site]) -> None:
    analyse_pending(db, batch=25)  # each batch: both shops, two or three days
    counted = sums_day_by_day(db)
    assert stored_sums(db) == counted
    assert {key for site_id, on, key in counted} == {"", "delivery", "price", "staff"}
    assert len({(site_id, on) for site_id, on, key in counted}) == 12  # six days of two shops
    assert sum(sums[0] for (site_id, on, key), sums in counted.items() if key == "") == 74
    assert counted[(two_shops[0].id, dt.date(2026, 11, 3), "")][0] == 7  # 23:59:59.999 is still the 3rd
    assert counted[(two_shops[1].id, dt.date(2026, 11, 4), "")][0] == 7  # midnight is the 4th


def test_summing_again_replaces_the_touched_days_and_only_them(db: Session, two_shops: tuple[Site, Site]) -> None:
    analyse_pending(db, batch=25)
    counted = sums_day_by_day(db)
    first, other = two_shops
    db.execute(update(ThemeDaily).values(mentions=999))  # wrong everywhere, and a theme no one mentioned
    db.execute(insert(ThemeDaily).values(site_id=first.id, day=dt.date(2026, 11, 2), theme_key="quality",
                                         mentions=5, detractors=5, passives=0, promoters=0, bad=0, good=0,
                                         excellent=0))
    touched = {(first.id, dt.date(2026, 11, 1)), (first.id, dt.date(2026, 11, 2)), (other.id, dt.date(2026, 11, 2)),
               (other.id, dt.date(2026, 11, 4)), (other.id, dt.date(2026, 11, 5))}
    refresh_days(db.connection(), touched)
    refresh_days(db.connection(), touched)  # twice: nothing counted twice
    db.commit()
    stored = stored_sums(db)
    for (site_id, on, key), sums in counted.items():
        assert stored[(site_id, on, key)] == (sums if (site_id, on) in touched else (999, *sums[1:]))
    assert (first.id, dt.date(2026, 11, 2), "quality") not in stored
    rebuild_site(db.connection())  # every shop's every day
    db.commit()
    assert stored_sums(db) == counted


def test_a_rebuild_of_one_shop_sums_its_days_as_counted_day_by_day(db: Session,
                                                                   two_shops: tuple[Site, Site]) -> None:
    analyse_pending(db, batch=25)
    first, other = two_shops
    before = {key: sums for key, sums in stored_sums(db).items() if key[0] == other.id}
    save_site_edits(db, first.id, SiteTaxonomy(hidden=frozenset({"staff"})))
    db.commit()
    analyse_pending(db, batch=9)
    counted = sums_day_by_day(db)
    assert stored_sums(db) == counted
    assert {key for site_id, on, key in counted if site_id == first.id} == {"", "delivery", "price"}
    assert {key: sums for key, sums in counted.items() if key[0] == other.id} == before
    rebuild_site(db.connection(), first.id)
    db.commit()
    assert stored_sums(db) == counted


def test_a_backfill_on_two_processes_analyses_every_answer_and_sums_each_day_once(
        app: Flask, db: Session, two_shops: tuple[Site, Site]) -> None:
    # `themes refresh --jobs 2`: both processes store batches of the same shops' same days at once.
    analysed = analyse_in_processes(get_state(app).engine, 2, batch=5)

    assert analysed == 74
    assert db.scalar(select(func.count()).where(Response.themes_analysed_at.is_(None))) == 0
    counted = sums_day_by_day(db)
    assert stored_sums(db) == counted
    assert {key for site_id, on, key in counted} == {"", "delivery", "price", "staff"}
    assert sum(sums[0] for (site_id, on, key), sums in counted.items() if key == "") == 74
