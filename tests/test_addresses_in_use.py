"""Whatever an admin saves (or an old install stored), a public submission is stored:
addresses are refused where they are typed, and one that still cannot be mailed fails
visibly in the outbox, never in the request."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from feedbackwidget.delivery import invalidate_delivery
from feedbackwidget.delivery.admin_outbox import retry
from feedbackwidget.delivery.models import AlertRule
from feedbackwidget.models import OutboxMessage, Response, Site

from .conftest import SHOP_ORIGIN, csrf_token
from .smtp import SmtpServer
from .test_alerts import LOW_NPS, send_all

BAD_STORED = ["owner@shop.example", "boss\x01@shop.example", "a,b@shop.example", "<c@shop.example>"]


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config())


def _store_recipients_directly(app: Flask, db: Session, site: Site, recipients: list[str]) -> None:
    db.execute(update(AlertRule).where(AlertRule.site_id == site.id).values(recipients=recipients))
    invalidate_delivery(app, site.id)


def test_a_bad_stored_recipient_still_stores_the_response_and_fails_in_the_outbox(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    _store_recipients_directly(mail_app, db, site, BAD_STORED)

    answer = mail_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=LOW_NPS,
                                         headers={"Origin": SHOP_ORIGIN})
    send_all(mail_app)

    assert answer.status_code == 201
    assert db.scalar(select(func.count()).select_from(Response).where(Response.site_id == site.id)) == 1
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "owner@shop.example"
    failed = {m.recipient: m.last_error for m in db.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))}
    assert set(failed) == {"boss\N{REPLACEMENT CHARACTER}@shop.example", "a,b@shop.example", "<c@shop.example>"}
    assert "control character" in failed["boss\N{REPLACEMENT CHARACTER}@shop.example"]
    assert "is not one e-mail address" in failed["a,b@shop.example"]


def test_the_outbox_page_shows_the_refused_recipient_and_why(
    mail_app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    _store_recipients_directly(mail_app, db, site, ["a,b@shop.example"])
    mail_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=LOW_NPS,
                                headers={"Origin": SHOP_ORIGIN})

    page = logged_in("manager").get("/feedback/admin/outbox/")

    assert "a,b@shop.example" in page.text and "is not one e-mail address" in page.text


def test_a_complaint_is_stored_whatever_its_alert_recipients(
    mail_app: Flask, site: Site, db: Session
) -> None:
    _store_recipients_directly(mail_app, db, site, BAD_STORED)
    body = {"name": "Ann", "email": "ann@example.com", "category": "delivery", "description": "Late",
            "desired_resolution": "Refund", "consent": True}

    answer = mail_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/complaints", json=body,
                                         headers={"Origin": SHOP_ORIGIN})

    assert answer.status_code == 201, answer.json
    failed = db.scalars(select(OutboxMessage.recipient).where(OutboxMessage.status == "failed")).all()
    assert len(failed) == 3


def test_retrying_a_message_whose_recipient_is_still_refused_fails_it_again_without_mailing(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    _store_recipients_directly(mail_app, db, site, ["a,b@shop.example"])
    mail_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=LOW_NPS,
                                headers={"Origin": SHOP_ORIGIN})
    [message_id] = db.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "failed")).all()

    assert retry(db, message_id)
    send_all(mail_app)

    db.expire_all()
    message = db.get(OutboxMessage, message_id)
    assert message is not None and (message.status, message.attempts) == ("failed", 1)
    assert message.last_error is not None and "is not one e-mail address" in message.last_error
    assert smtp.messages == []
