"""The drivers' daily sums (``fw_theme_daily``) give the figures the stored themes give,
and the dashboard's example comments are read, never analysed, in a request."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.metrics.periods import Period
from feedbackwidget.core.models import Site
from feedbackwidget.themes import matching, store
from feedbackwidget.themes.daily import rebuild_site
from feedbackwidget.themes.drivers import drivers, example_comments
from feedbackwidget.themes.model import Theme
from feedbackwidget.themes.models import ThemeDaily
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
