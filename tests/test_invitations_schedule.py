"""When invitations go, to whom, and how often: delays, sending hours, reminders, fatigue, consent, sampling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from feedbackwidget.invitations.timing import in_sending_hours, parse_duration, parse_hours
from feedbackwidget.core.models import Site

from .invitation_support import BUDAPEST, invitations, order, rule, run, score_links, tomorrow_at
from .smtp import SmtpServer
from .test_invitations_flow import answer

DAY = dt.timedelta(days=1)


@pytest.fixture
def mail_app(make_app: Any, smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def recipients(smtp: SmtpServer) -> list[str]:
    return [str(mail["To"]) for mail in smtp.messages]


def test_an_order_late_in_the_evening_is_asked_about_at_nine_the_next_morning(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site, hours=(9, 20))
    order(db, site, at=tomorrow_at(21, 30))

    run(mail_app, tomorrow_at(23))
    run(mail_app, tomorrow_at(8, 59) + DAY)
    assert smtp.messages == []
    run(mail_app, tomorrow_at(9) + DAY)

    assert recipients(smtp) == ["ann@example.com"]
    assert invitations(db)[0].due_at == tomorrow_at(9) + DAY


def test_sending_hours_are_read_in_the_sites_time_zone() -> None:
    evening_in_budapest = dt.datetime(2026, 12, 10, 19, 30, tzinfo=dt.timezone.utc)  # 20:30 in Budapest

    assert in_sending_hours(evening_in_budapest, BUDAPEST, 9, 20) == dt.datetime(2026, 12, 11, 8, tzinfo=dt.timezone.utc)
    assert in_sending_hours(evening_in_budapest, dt.timezone.utc, 9, 20) == evening_in_budapest  # type: ignore[arg-type]


def test_the_sending_hours_follow_daylight_saving_time() -> None:
    spring_night = dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.timezone.utc)  # clocks go forward at 2:00 that night

    assert in_sending_hours(spring_night, BUDAPEST, 9, 20) == dt.datetime(2027, 3, 28, 7, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(("text", "minutes"), [("3d", 4320), ("12h", 720), ("90m", 90), ("0", 0), ("2", 2880)])
def test_delays_are_written_in_days_hours_or_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["soon", "-1d", "3w", "400d"])
def test_a_delay_that_cannot_be_read_is_refused_with_the_form_to_write(text: str) -> None:
    with pytest.raises(ValueError, match="3d|at most"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["20-9", "9-25", "9", "nine-five"])
def test_sending_hours_that_cannot_be_read_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="9-20"):
        parse_hours(text)


def test_an_event_that_arrives_twice_and_a_second_run_send_one_mail(mail_app: Flask, site: Site, db: Session,
                                                                    smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10))
    order(db, site, at=tomorrow_at(10))  # the platform retried

    run(mail_app, tomorrow_at(10))
    run(mail_app, tomorrow_at(11))

    assert recipients(smtp) == ["ann@example.com"] and len(invitations(db)) == 1


@pytest.mark.parametrize("event", ["cancelled", "refunded"])
def test_a_cancelled_or_refunded_order_cancels_its_pending_invitation(mail_app: Flask, site: Site, db: Session,
                                                                      smtp: SmtpServer, event: str) -> None:
    rule(db, site, delay_minutes=3 * 24 * 60)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(11))
    order(db, site, event=event, at=tomorrow_at(12))

    run(mail_app, tomorrow_at(10) + 4 * DAY)

    assert smtp.messages == []
    assert [(i.status, i.reason) for i in invitations(db)] == [("cancelled", "cancelled_order")]


def test_an_order_cancelled_before_it_was_paid_gets_no_invitation(mail_app: Flask, site: Site, db: Session,
                                                                  smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, event="cancelled", at=tomorrow_at(9))
    order(db, site, event="paid", at=tomorrow_at(10))  # the shop reported the payment late

    run(mail_app, tomorrow_at(11))

    assert smtp.messages == [] and invitations(db)[0].status == "cancelled"


def test_one_reminder_goes_to_those_who_have_not_answered_and_none_to_those_who_have(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site, reminder_minutes=4 * 24 * 60)
    order(db, site, "R-1", at=tomorrow_at(10), email="quiet@example.com", customer_id="Q")
    order(db, site, "R-2", at=tomorrow_at(10), email="keen@example.com", customer_id="K")
    run(mail_app, tomorrow_at(10))
    first = {str(mail["To"]): mail for mail in smtp.wait_for(2)}
    answer(mail_app, score_links(first["keen@example.com"])["10"])

    run(mail_app, tomorrow_at(10) + 3 * DAY)
    assert len(smtp.messages) == 2, "not before its time"
    run(mail_app, tomorrow_at(10) + 4 * DAY)
    run(mail_app, tomorrow_at(10) + 9 * DAY)

    reminder = smtp.messages[2]
    assert recipients(smtp)[2:] == ["quiet@example.com"]
    assert reminder["Subject"] == "Reminder: How was your order from Test Shop?"
    assert score_links(reminder) == score_links(first["quiet@example.com"]), "the same link: one answer"


def test_a_cancelled_order_gets_no_reminder(mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site, reminder_minutes=4 * 24 * 60)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    order(db, site, event="refunded", at=tomorrow_at(12))

    run(mail_app, tomorrow_at(10) + 5 * DAY)

    assert len(smtp.messages) == 1


def test_a_customer_is_invited_at_most_once_in_the_fatigue_days(mail_app: Flask, site: Site, db: Session,
                                                                smtp: SmtpServer) -> None:
    rule(db, site, fatigue_days=30)
    order(db, site, "F-1", at=tomorrow_at(10))
    order(db, site, "F-2", at=tomorrow_at(10), customer_id="C-1", email="ANN.other@example.com")  # same customer id
    run(mail_app, tomorrow_at(10))
    order(db, site, "F-3", at=tomorrow_at(10) + 10 * DAY)
    order(db, site, "F-4", at=tomorrow_at(10) + 31 * DAY)
    run(mail_app, tomorrow_at(10) + 10 * DAY)
    run(mail_app, tomorrow_at(10) + 31 * DAY)

    assert len(smtp.messages) == 2
    assert [(i.order_id, i.status, i.reason) for i in invitations(db)] == [
        ("F-1", "mailed", None), ("F-2", "skipped", "fatigue"), ("F-3", "skipped", "fatigue"), ("F-4", "mailed", None)]


def test_an_answer_through_the_widget_by_an_identified_customer_counts_as_a_contact(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site)
    sent = mail_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json={
        "survey": "nps", "answers": {"score": 9}, "customer": {"email": "ann@example.com"}},
        headers={"Origin": "https://shop.example", "Idempotency-Key": "widget-1"})
    assert sent.status_code == 201, sent.text
    order(db, site, at=tomorrow_at(10))

    run(mail_app, tomorrow_at(10))

    assert smtp.messages == [] and invitations(db)[0].reason == "fatigue"


def test_without_marketing_consent_only_if_the_site_allows_service_surveys(make_app: Any, site: Site, db: Session,
                                                                           smtp: SmtpServer) -> None:
    app = make_app(**smtp.config())
    rule(db, site)
    order(db, site, "N-1", at=tomorrow_at(10), consent=False)
    order(db, site, "N-2", at=tomorrow_at(10), consent=None, email="b@example.com", customer_id="B")
    run(app, tomorrow_at(10))
    assert smtp.messages == [] and {i.reason for i in invitations(db)} == {"no_consent"}

    rule(db, site, without_consent=True)
    order(db, site, "N-3", at=tomorrow_at(10), consent=False, email="c@example.com", customer_id="C")
    run(app, tomorrow_at(10))

    assert recipients(smtp) == ["c@example.com"]


def test_the_sampled_share_is_kept_and_the_same_order_is_always_in_or_out(mail_app: Flask, site: Site, db: Session,
                                                                          smtp: SmtpServer) -> None:
    rule(db, site, sample=30, fatigue_days=0)
    for number in range(200):
        order(db, site, f"S-{number}", at=tomorrow_at(10), email=f"s{number}@example.com", customer_id=f"S{number}")

    run(mail_app, tomorrow_at(10))

    asked = [i for i in invitations(db) if i.status == "mailed"]
    assert 40 <= len(asked) <= 80
    assert {i.reason for i in invitations(db) if i.status != "mailed"} == {"sample"}


def test_an_order_without_an_address_or_too_old_is_not_asked_about(mail_app: Flask, site: Site, db: Session,
                                                                   smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, "O-1", at=tomorrow_at(10), email=None)
    order(db, site, "O-2", at=tomorrow_at(10) - 60 * DAY, email="old@example.com", customer_id="OLD")

    run(mail_app, tomorrow_at(10))

    assert smtp.messages == []
    assert [i.reason for i in invitations(db)] == ["no_email", "too_old"]


def test_a_delay_of_zero_sends_at_the_next_run(mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site, delay_minutes=0, hours=(0, 24))
    order(db, site, at=tomorrow_at(3))

    run(mail_app, tomorrow_at(3, 1))

    assert recipients(smtp) == ["ann@example.com"]
