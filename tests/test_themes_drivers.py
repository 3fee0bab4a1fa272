"""Drivers as a shop owner reads them: what each theme does to the score, and complaints by theme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from feedbackwidget.metrics.periods import Period
from feedbackwidget.core.models import Site
from feedbackwidget.themes.drivers import (
    complaint_themes,
    drivers,
    example_comments,
    fastest_rising_complaint_theme,
)
from feedbackwidget.themes.store import analyse_pending

from .themes_rows import add_complaint, add_response

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 12, 1))


def day(month: int, number: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, number, hour, tzinfo=dt.timezone.utc)


def many(db: Session, site: Site, count: int, score: int, reason: str | None, month: int = 11) -> None:
    for number in range(count):
        add_response(db, site, score=score, reason=reason, at=day(month, 2 + number % 27, number % 24))


@pytest.fixture
def november(app: Flask, site: Site, db: Session) -> Site:
    """105 answers in November, 100 in October; the worker has analysed them."""
    many(db, site, 30, 2, "The delivery was late")
    many(db, site, 5, 7, "The delivery was late")
    many(db, site, 5, 10, "The delivery was late")
    many(db, site, 30, 10, "Friendly staff")
    many(db, site, 10, 3, None)
    many(db, site, 20, 8, None)
    many(db, site, 5, 5, "Too expensive")
    many(db, site, 10, 5, "The delivery was late", month=10)
    many(db, site, 90, 9, None, month=10)
    db.commit()
    analyse_pending(db)
    return site


def test_a_theme_that_lowers_the_score_shows_its_effect_with_an_interval(db: Session, november: Site) -> None:
    result = drivers(db, [november.id], NOVEMBER)
    assert (result.responses, result.previous_responses) == (105, 100)
    delivery = result.theme("delivery")
    assert delivery is not None
    assert (delivery.mentions, delivery.previous_mentions) == (40, 10)
    assert round(delivery.mention_share or 0, 1) == 38.1
    assert delivery.previous_mention_share == 10.0
    assert delivery.rising
    # 30 of the 45 detractors, 5 of the 25 passives, 5 of the 35 promoters mention it.
    assert [round(share or 0, 1) for share in (delivery.detractor_share, delivery.passive_share,
                                               delivery.promoter_share)] == [66.7, 20.0, 14.3]
    effect = delivery.nps_effect
    assert (effect.with_theme, effect.without_theme) == (40, 65)
    assert effect.score_with == -62.5
    assert round(effect.score_without or 0, 1) == 23.1
    assert round(effect.points or 0, 1) == -85.6
    assert (round(effect.low or 0, 1), round(effect.high or 0, 1)) == (-114.6, -56.5)
    assert effect.clear and not effect.too_few


def test_too_few_answers_claim_nothing(db: Session, november: Site) -> None:
    price = drivers(db, [november.id], NOVEMBER).theme("price")
    assert price is not None and price.mentions == 5
    assert price.nps_effect.too_few
    assert (price.nps_effect.points, price.nps_effect.low, price.nps_effect.high) == (None, None, None)
    assert price.nps_effect.score_with == -100.0  # shown as it is, with its n, but no effect claimed


def test_low_score_drivers_and_praise_are_told_apart(db: Session, november: Site) -> None:
    result = drivers(db, [november.id], NOVEMBER, theme_keys=["delivery", "price", "staff", "returns"])
    assert [theme.key for theme in result.themes] == ["delivery", "price", "staff"]
    assert [theme.key for theme in result.lowering()] == ["delivery"]
    [staff] = result.raising()
    assert staff.key == "staff"
    assert staff.nps_effect.score_with == 100.0
    assert round(staff.nps_effect.points or 0, 1) == 153.3


def test_a_theme_mentioned_as_often_as_before_is_not_rising(app: Flask, site: Site, db: Session) -> None:
    many(db, site, 10, 3, "Too expensive")
    many(db, site, 40, 9, None)
    many(db, site, 10, 3, "Too expensive", month=10)
    many(db, site, 40, 9, None, month=10)
    db.commit()
    analyse_pending(db)
    price = drivers(db, [site.id], NOVEMBER).theme("price")
    assert price is not None and price.mention_share == price.previous_mention_share == 20.0
    assert not price.rising and price.mention_share_change == 0.0


def test_csat_answers_count_as_bad_good_and_excellent(app: Flask, site: Site, db: Session) -> None:
    add_response(db, site, survey="csat", csat="bad", reason="The delivery was late", at=day(11, 3))
    add_response(db, site, survey="csat", csat="excellent", reason="Fast delivery", at=day(11, 4))
    add_response(db, site, survey="csat", csat="good", at=day(11, 5))
    db.commit()
    analyse_pending(db)
    delivery = drivers(db, [site.id], NOVEMBER).theme("delivery")
    assert delivery is not None
    assert (delivery.bad_share, delivery.good_share, delivery.excellent_share) == (100.0, 0.0, 100.0)
    assert delivery.detractor_share is None  # no NPS answers at all
    assert delivery.csat_effect.too_few


def test_example_comments_show_the_words_that_matched(app: Flask, site: Site, db: Session) -> None:
    add_response(db, site, score=1, reason="A futár nem jött, a csomag egy hétig nem érkezett meg", locale="hu",
                 at=day(11, 10))
    add_response(db, site, score=2, reason="快递太慢了", locale="zh", at=day(11, 9))
    add_response(db, site, score=10, reason="Fast delivery, thanks", at=day(11, 8))
    add_response(db, site, score=3, reason="Late delivery", at=day(10, 8))  # October
    db.commit()
    analyse_pending(db)
    low = example_comments(db, [site.id], NOVEMBER, "delivery")
    assert [[comment.text[start:end] for start, end in comment.spans] for comment in low] == [
        ["futár", "nem érkezett"], ["快递"]]
    assert [comment.language for comment in low] == ["hu", "zh"]
    [praise] = example_comments(db, [site.id], NOVEMBER, "delivery", low=False)
    assert praise.text == "Fast delivery, thanks" and praise.nps_score == 10


def test_complaints_by_theme_with_cost_justified_share_and_categories(app: Flask, site: Site, db: Session) -> None:
    add_complaint(db, site, "The parcel arrived a week late", at=day(11, 2), verdict="justified", amount="2000")
    add_complaint(db, site, "Courier never came, late delivery", at=day(11, 3), verdict="justified", amount="1500")
    add_complaint(db, site, "Delivery was late", at=day(11, 4), verdict="unfounded", category="other")
    add_complaint(db, site, "The card payment was declined twice", at=day(11, 5), category="payment")
    add_complaint(db, site, "Late delivery again", at=day(10, 20))
    db.commit()
    analyse_pending(db)
    figures = {figure.key: figure for figure in complaint_themes(db, [site.id], NOVEMBER)}
    delivery = figures["delivery"]
    assert (delivery.count, delivery.previous_count, delivery.change) == (3, 1, 2)
    assert round(delivery.justified_share or 0, 1) == 66.7
    assert delivery.cost == {"HUF": Decimal("3500.00")}
    assert delivery.by_category == {"delivery": 2, "other": 1}
    assert (figures["payment"].count, figures["payment"].justified_share) == (1, None)
    rising = fastest_rising_complaint_theme(db, [site.id], day(11, 1, 0), day(12, 1, 0))
    assert rising is not None and rising.key == "delivery"
    assert fastest_rising_complaint_theme(db, [site.id], day(12, 1, 0), day(12, 31, 0)) is None
