"""The digest: last period's responses, NPS, CSAT and their change, low-score words, complaints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.digest import enqueue_digests, period_bounds
from feedbackwidget.delivery.rules import set_recipient
from feedbackwidget.digest.words import top_words
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import Base, Response, Site, Survey

from .smtp import SmtpServer

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 18, 8, 0, tzinfo=UTC)  # a Wednesday
TUESDAY, MONDAY = dt.datetime(2026, 11, 17, 12, tzinfo=UTC), dt.datetime(2026, 11, 16, 12, tzinfo=UTC)


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example")


def add_responses(db: Session, site: Site, when: dt.datetime, *rows: dict[str, Any]) -> None:
    surveys = {s.slug: s.id for s in db.scalars(select(Survey).where(Survey.site_id == site.id))}
    for row in rows:
        slug = "csat" if "csat" in row else "nps"
        db.add(Response(site_id=site.id, survey_id=surveys[slug], locale="en", created_at=when, answers={}, **row))
    db.commit()


@pytest.fixture
def history(db: Session, site: Site) -> Site:
    add_responses(db, site, TUESDAY,
                  {"nps_score": 10}, {"nps_score": 9},
                  {"nps_score": 3, "comment": "Slow delivery, very slow delivery"},
                  {"nps_score": 2, "comment": "Rude staff and slow delivery"},
                  {"csat": "excellent", "comment": "Lovely staff"}, {"csat": "bad", "comment": "Dirty tables"})
    add_responses(db, site, MONDAY, {"nps_score": 10}, {"nps_score": 10}, {"csat": "good"})
    set_recipient(db, site, "owner@shop.example", digest="daily")
    set_recipient(db, site, "weekly@shop.example", locale="hu", digest="weekly")
    db.commit()
    return site


def send(app: Flask) -> None:
    drain(get_state(app).engine, WorkerSettings.for_app(app))


def test_periods_are_the_last_full_day_and_iso_week() -> None:
    assert period_bounds("daily", NOW) == (dt.datetime(2026, 11, 17, tzinfo=UTC), dt.datetime(2026, 11, 18, tzinfo=UTC))
    assert period_bounds("weekly", NOW) == (dt.datetime(2026, 11, 9, tzinfo=UTC), dt.datetime(2026, 11, 16, tzinfo=UTC))
    with pytest.raises(ValueError, match="daily or weekly"):
        period_bounds("monthly", NOW)


def test_the_daily_digest_shows_the_figures_their_change_and_the_words_of_unhappy_customers(
    mail_app: Flask, history: Site, smtp: SmtpServer
) -> None:
    with mail_app.app_context():
        assert enqueue_digests(get_state(mail_app).engine, "daily", NOW) == 1
    send(mail_app)

    [mail] = smtp.wait_for(1)
    assert (mail["To"], mail["Subject"]) == ("owner@shop.example", "Daily feedback digest for Test Shop")
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "2026-11-17 to 2026-11-17" in text
    assert "Number of responses: 6 (previous period: 3)" in text
    assert "Net Promoter Score (NPS): 0.0 (change since the previous period: -100.0)" in text
    assert "Satisfied customers (CSAT): 50.0% (change since the previous period: -50.0)" in text
    words = text.split("Most frequent words in low-score reasons:")[1]
    assert words.index("delivery (3)") < words.index("rude (1)")
    assert "slow (3)" in words and "dirty (1)" in words
    assert "lovely" not in words, "a happy customer's comment is not a low-score reason"


def test_running_the_digest_twice_sends_it_once_and_only_to_who_chose_that_period(
    mail_app: Flask, history: Site, smtp: SmtpServer
) -> None:
    runner = mail_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["feedbackwidget", "digest", "--period", "weekly", "--site", history.key,
                                     "--now", "2026-11-23T06:00"])
        assert result.exit_code == 0, result.output
    assert "0 weekly digest(s) queued" in result.output
    send(mail_app)
    [mail] = smtp.wait_for(1)
    assert (mail["To"], mail["Subject"]) == ("weekly@shop.example", "Heti visszajelzés-összefoglaló – Test Shop")

    # Run every day without --period: the daily digests, and each week's weekly digest once.
    result = runner.invoke(args=["feedbackwidget", "digest", "--now", "2026-11-18T06:00"])
    assert result.output.splitlines() == ["1 daily digest(s) queued", "0 weekly digest(s) queued"]
    result = runner.invoke(args=["feedbackwidget", "digest", "--now", "2026-11-23T18:00"])
    assert result.output.splitlines() == ["0 daily digest(s) queued", "0 weekly digest(s) queued"]


def test_the_digest_counts_open_and_overdue_complaints(mail_app: Flask, history: Site, smtp: SmtpServer,
                                                      db: Session) -> None:
    complaints = Base.metadata.tables["fw_complaints"]
    base = {"site_id": history.id, "status_token_hash": "x" * 64, "channel": "web", "customer_name": "Ann",
            "category": "delivery", "description": "Late", "desired_resolution": "Refund", "locale": "en",
            "escalation_level": 1, "reopen_count": 0, "received_at": MONDAY, "updated_at": MONDAY}
    db.execute(insert(complaints), [
        {**base, "reference": "C-1", "status": "received", "due_at": NOW + dt.timedelta(days=20)},
        {**base, "reference": "C-2", "status": "in_progress", "due_at": NOW - dt.timedelta(days=1)},
        {**base, "reference": "C-3", "status": "resolved", "due_at": NOW - dt.timedelta(days=1)},
    ])
    db.commit()
    with mail_app.app_context():
        enqueue_digests(get_state(mail_app).engine, "daily", NOW)
    send(mail_app)
    text = smtp.wait_for(1)[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Open complaints: 2" in text and "Overdue complaints: 1" in text


def test_top_words_drop_stop_words_in_every_language_and_pair_chinese_characters() -> None:
    texts = ["The delivery was slow and the delivery man was rude", "A szállítás nagyon lassú volt, lassú",
             "送货太慢了", "送货员不礼貌"]
    words = dict(top_words(texts, limit=20))
    assert words["delivery"] == 2 and words["lassú"] == 2 and words["送货"] == 2
    assert not {"the", "was", "and", "nagyon", "volt", "慢了"} & words.keys()


def test_a_site_with_nothing_to_report_gets_no_digest(mail_app: Flask, site: Site, db: Session) -> None:
    set_recipient(db, site, "owner@shop.example", digest="daily")
    db.commit()
    with mail_app.app_context():
        assert enqueue_digests(get_state(mail_app).engine, "daily", NOW) == 0
    add_responses(db, site, MONDAY, {"nps_score": 9})  # the day before: a drop to nothing is news
    with mail_app.app_context():
        assert enqueue_digests(get_state(mail_app).engine, "daily", NOW) == 1
