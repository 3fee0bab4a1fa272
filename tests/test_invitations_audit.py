"""Points of issue #16 that had no test of their own: the defaults of a site that never saved its policy,
an invitation's link expiring, survey fatigue across channels, one-click unsubscribing as a mailbox
provider does it, and reminders inside the sending hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site, utcnow
from feedbackwidget.invitations import RuleChanges, set_rule
from feedbackwidget.surveys.models import SurveyLink

from .invitation_support import form_fields, invitations, order, path, rule, run, score_links, tomorrow_at
from .smtp import SmtpServer
from .test_invitations_admin import page_url
from .test_invitations_unsubscribe import suppressed, unsubscribe_url
from .test_orders_api import make_secret, order_body, post_order

DAY = dt.timedelta(days=1)


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example",
                    FEEDBACKWIDGET_LINK_MAX_AGE_DAYS=7)


def only_a_rule(db: Session, site: Site) -> None:
    """A rule set, the policy never saved (as after ``feedbackwidget invitations rule``)."""
    set_rule(db, site.id, RuleChanges("nps", "paid", 0, None, 0, 24, 100))
    db.commit()


def test_a_site_that_never_saved_its_policy_asks_only_with_consent_and_once_in_30_days(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    only_a_rule(db, site)
    order(db, site, "D-1", at=tomorrow_at(10), consent=False, email="no@example.com", customer_id="N")
    order(db, site, "D-2", at=tomorrow_at(10))
    order(db, site, "D-3", at=tomorrow_at(10) + 29 * DAY)
    order(db, site, "D-4", at=tomorrow_at(10) + 30 * DAY + dt.timedelta(hours=1))
    for moment in (tomorrow_at(10), tomorrow_at(10) + 29 * DAY, tomorrow_at(10) + 30 * DAY + dt.timedelta(hours=1)):
        run(mail_app, moment)

    assert [(i.order_id, i.status, i.reason) for i in invitations(db)] == [
        ("D-1", "skipped", "no_consent"), ("D-2", "mailed", None), ("D-3", "skipped", "fatigue"), ("D-4", "mailed", None)]
    assert [str(mail["To"]) for mail in smtp.wait_for(2)] == ["ann@example.com", "ann@example.com"]


def test_the_policy_page_opens_with_service_surveys_off_and_30_days(
        site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    page = logged_in("owner").get(page_url(site)).text
    policy = page.split('name="fatigue_days"', 1)[1]

    assert 'value="30"' in policy.split(">", 1)[0]
    checkbox = page.split('name="survey_without_consent"', 1)[1].split(">", 1)[0]
    assert "checked" not in checkbox


def test_an_invitations_link_expires_after_the_configured_days_and_then_takes_no_answer(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    only_a_rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)
    [link] = db.scalars(select(SurveyLink)).all()
    assert link.expires_at - link.created_at == 7 * DAY
    customer = mail_app.test_client()
    opened = customer.get(path(score_links(mail)["9"]), follow_redirects=True)
    fields = form_fields(opened.get_data(as_text=True))

    db.execute(update(SurveyLink).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    again = customer.get(path(score_links(mail)["9"]), follow_redirects=True)
    posted = customer.post(opened.request.full_path.rstrip("?"), data={**fields, "q_score": "9"})

    assert again.status_code == 410 and "This link has expired" in again.get_data(as_text=True)
    assert posted.status_code == 410
    db.expire_all()
    assert db.scalars(select(Response)).all() == []


def test_a_widget_answer_counts_as_a_contact_whatever_the_case_of_the_addresss_domain(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    only_a_rule(db, site)
    sent = mail_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json={
        "survey": "nps", "answers": {"score": 9}, "customer": {"email": "Ann.Smith@Example.COM"}},
        headers={"Origin": "https://shop.example", "Idempotency-Key": "widget-case"})
    assert sent.status_code == 201, sent.text
    reported = post_order(mail_app.test_client(), site, order_body(
        occurred_at=utcnow().isoformat(), customer={"email": "Ann.Smith@Example.COM"}),
        make_secret(mail_app, site))
    assert reported.status_code == 201, reported.text

    run(mail_app, utcnow() + dt.timedelta(minutes=1))

    assert smtp.messages == [] and [i.reason for i in invitations(db)] == ["fatigue"]


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_the_one_click_post_needs_no_session_cookie_or_csrf_token(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer, content_type: str) -> None:
    assert mail_app.config.get("WTF_CSRF_ENABLED", True), "forms check their token in these tests"
    only_a_rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)

    # What a mailbox provider sends (RFC 8058 section 3.2): no cookie, no token, no Origin or Referer.
    provider = mail_app.test_client(use_cookies=False)
    clicked = provider.post(path(unsubscribe_url(mail)), data={"List-Unsubscribe": "One-Click"},
                            content_type=content_type)

    assert clicked.status_code == 200
    assert suppressed(db) == [("ann@example.com", "unsubscribed")]


def test_a_survey_link_the_shop_printed_for_the_customer_counts_as_a_contact(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    only_a_rule(db, site)
    printed = mail_app.test_cli_runner().invoke(args=[
        "feedbackwidget", "survey-link", site.key, "nps", "--order", "P-1", "--email", "ann@example.com"])
    assert printed.exit_code == 0, printed.output
    order(db, site, "A-2", at=utcnow() - dt.timedelta(minutes=5))
    order(db, site, "A-3", at=utcnow() + 31 * DAY)

    run(mail_app, utcnow())
    run(mail_app, utcnow() + 31 * DAY)

    assert [(i.order_id, i.status, i.reason) for i in invitations(db)] == [
        ("A-2", "skipped", "fatigue"), ("A-3", "mailed", None)]
    assert len(smtp.wait_for(1)) == 1


def test_a_reminder_waits_for_the_sending_hours_too(mail_app: Flask, site: Site, db: Session,
                                                    smtp: SmtpServer) -> None:
    rule(db, site, reminder_minutes=12 * 60, hours=(9, 20))
    order(db, site, at=tomorrow_at(19))
    run(mail_app, tomorrow_at(19))
    smtp.wait_for(1)

    run(mail_app, tomorrow_at(19) + dt.timedelta(hours=13))  # 8:00 the next morning in Budapest
    assert len(smtp.messages) == 1, "not at night"
    run(mail_app, tomorrow_at(19) + dt.timedelta(hours=14))

    assert [mail["Subject"] for mail in smtp.wait_for(2)][1] == "Reminder: How was your order from Test Shop?"


def test_the_unsubscribe_link_still_works_once_the_survey_link_has_expired(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    only_a_rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)
    db.execute(update(SurveyLink).values(expires_at=utcnow() - dt.timedelta(days=1)))

    clicked = mail_app.test_client(use_cookies=False).post(path(unsubscribe_url(mail)),
                                                           data={"List-Unsubscribe": "One-Click"})

    assert clicked.status_code == 200
    assert suppressed(db) == [("ann@example.com", "unsubscribed")]
