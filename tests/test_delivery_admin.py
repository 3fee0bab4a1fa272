"""The admin area shows failed messages with their error, retries them, and edits alert rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget.delivery.models import AlertRecipient, AlertRule, Webhook
from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.extension import get_state
from feedbackwidget.models import OutboxMessage, Site, utcnow
from feedbackwidget.site_admin import create_site

from .conftest import csrf_token

OUTBOX_URL = "/feedback/admin/outbox/"


def failed_message(app: Flask, site: Site, error: str = "550 No such user here") -> int:
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [OutboxDraft(kind="mail", recipient="owner@shop.example", subject="Alert <b>1</b>",
                                         dedupe_key=f"test:{site.id}", site_id=site.id,
                                         payload={"text": "x", "html": None, "locale": "en"})])
        connection.execute(update(OutboxMessage).values(status="failed", attempts=1, last_error=error))
        return int(connection.scalar(select(OutboxMessage.id).where(OutboxMessage.site_id == site.id)) or 0)


def test_a_manager_sees_a_failed_message_with_its_error_and_retries_it(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    message_id = failed_message(app, site)
    client = logged_in("manager")
    page = client.get(OUTBOX_URL)
    assert page.status_code == 200
    assert "550 No such user here" in page.text and "Alert &lt;b&gt;1&lt;/b&gt;" in page.text

    response = client.post(f"{OUTBOX_URL}{message_id}/retry", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    db.expire_all()
    message = db.get(OutboxMessage, message_id)
    assert message is not None and (message.status, message.attempts) == ("pending", 0)
    assert "No failed messages." in client.get(OUTBOX_URL).text


def test_viewers_and_other_sites_managers_cannot_see_or_retry(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    message_id = failed_message(app, site)
    assert logged_in("viewer").get(OUTBOX_URL).status_code == 404
    other = create_site(db, "Other Shop", ["https://other.example"])
    db.commit()
    client = logged_in(sites=[(other, "owner")], email="other@other.example")
    page = client.get(OUTBOX_URL)
    assert "550 No such user here" not in page.text
    response = client.post(f"{OUTBOX_URL}{message_id}/retry", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 404
    assert client.get(f"{OUTBOX_URL}sites/{site.id}").status_code == 404


def test_an_owner_changes_a_rules_recipients_and_threshold_and_a_recipients_language(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("owner")
    page = client.get(f"{OUTBOX_URL}sites/{site.id}")
    assert page.status_code == 200 and "Recommendation score at or below the threshold" in page.text
    rule = db.scalar(select(AlertRule).where(AlertRule.site_id == site.id, AlertRule.kind == "nps_at_or_below"))
    assert rule is not None

    response = client.post(f"{OUTBOX_URL}sites/{site.id}/rules/{rule.id}", data={
        "csrf_token": csrf_token(page.text), "recipients": "boss@shop.example\nowner@shop.example",
        "threshold": "8", "active": "y"})
    assert response.status_code == 302
    db.expire_all()
    assert (rule.recipients, rule.threshold, rule.active) == (["boss@shop.example", "owner@shop.example"], 8, True)

    bad = client.post(f"{OUTBOX_URL}sites/{site.id}/rules/{rule.id}", data={
        "csrf_token": csrf_token(page.text), "recipients": "not-an-address", "active": "y"})
    assert bad.status_code == 200 and "Write one e-mail address a line" in bad.text

    boss = db.scalar(select(AlertRecipient).where(AlertRecipient.email == "boss@shop.example"))
    assert boss is not None
    client.post(f"{OUTBOX_URL}sites/{site.id}/recipients/{boss.id}", data={
        "csrf_token": csrf_token(page.text), "locale": "zh", "digest": "daily"})
    db.expire_all()
    assert (boss.locale, boss.digest) == ("zh", "daily")


def test_a_webhook_to_an_internal_address_is_refused_in_the_form(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("owner")
    page = client.get(f"{OUTBOX_URL}sites/{site.id}")
    response = client.post(f"{OUTBOX_URL}sites/{site.id}/webhooks", data={
        "csrf_token": csrf_token(page.text), "url": "http://169.254.169.254/latest", "events": ["response.created"]})
    assert response.status_code == 200
    assert "loopback, private or link-local" in response.text
    assert db.scalars(select(Webhook)).all() == []


def test_an_owner_adds_a_rule_for_one_survey(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("owner")
    page = client.get(f"{OUTBOX_URL}sites/{site.id}")
    response = client.post(f"{OUTBOX_URL}sites/{site.id}/rules", data={
        "csrf_token": csrf_token(page.text), "kind": "loyalty_at_or_below", "survey": "loyalty", "threshold": "4",
        "recipients": "club@shop.example", "active": "y"})
    assert response.status_code == 302
    rule = db.scalar(select(AlertRule).where(AlertRule.site_id == site.id, AlertRule.survey_slug == "loyalty"))
    assert rule is not None
    assert (rule.kind, rule.threshold, rule.recipients) == ("loyalty_at_or_below", 4, ["club@shop.example"])
    assert "(loyalty)" in client.get(f"{OUTBOX_URL}sites/{site.id}").text


def test_another_sites_recipient_and_webhook_answer_404_and_stay_unchanged(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    from feedbackwidget.delivery.rules import set_recipient

    other = create_site(db, "Other Shop", ["https://other.example"])
    theirs = set_recipient(db, other, "them@other.example", locale="hu", digest="none")
    hook = Webhook(site_id=other.id, url="https://crm.other.example/hook", secret="s", events=["response.created"])
    db.add(hook)
    db.commit()
    # The owner of both sites asks through the page of the one that does not own these.
    client = logged_in(sites=[(site, "owner"), (other, "owner")], email="both@shop.example")
    token = csrf_token(client.get(f"{OUTBOX_URL}sites/{site.id}").text)

    recipient = client.post(f"{OUTBOX_URL}sites/{site.id}/recipients/{theirs.id}",
                            data={"csrf_token": token, "locale": "zh", "digest": "daily"})
    deleted = client.post(f"{OUTBOX_URL}sites/{site.id}/webhooks/{hook.id}/delete", data={"csrf_token": token})

    assert (recipient.status_code, deleted.status_code) == (404, 404)
    db.expire_all()
    assert (theirs.locale, theirs.digest) == ("hu", "none")
    assert db.get(Webhook, hook.id) is not None
