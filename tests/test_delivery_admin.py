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
from feedbackwidget.core.state import get_state
from feedbackwidget.core.models import OutboxMessage, Site, utcnow
from feedbackwidget.provisioning import create_site

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
    row = client.get(f"{OUTBOX_URL}sites/{site.id}").text.split(f'id="rule-row-{rule.id}"')[1].split("</tr>")[0]
    assert "Loyalty program score at or below the threshold" in row and '<span class="fw-badge">loyalty</span>' in row


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


def _health(text: str) -> str:
    return text.split('aria-labelledby="fw-health-title"')[1].split("</section>")[0]


def test_the_alerts_page_leads_with_failing_delivery_since_when_why_and_how_to_fix(
    app: Flask, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    failed_message(app, site, error="554 Relay access denied")
    text = logged_in("owner").get(f"{OUTBOX_URL}sites/{site.id}").text

    health = _health(text)
    assert text.index("Delivery health") < text.index('id="fw-rules-title"')
    assert "E-mail is not going out." in health and f"Since {utcnow():%Y-%m-%d}" in health
    assert "1 message is waiting or failed." in health
    assert "Why:</strong> The mail server said: <code>554 Relay access denied</code>" in health
    assert "How to fix it:</strong> The mail server refused the message" in health
    assert ">Send a test e-mail</button>" in health
    assert text.count("E-mail is not going out.") == 1  # the page's block, not the banner as well
    hungarian = _health(logged_in("owner", email="hu@shop.example").get(f"{OUTBOX_URL}sites/{site.id}?lang=hu").text)
    assert "A kézbesítés állapota" in hungarian and "1 üzenet vár vagy nem ment ki." in hungarian


def test_the_alerts_page_says_when_mail_last_went_out_when_all_is_well(
    app: Flask, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("manager")
    assert "No e-mail has gone out yet." in _health(client.get(f"{OUTBOX_URL}sites/{site.id}").text)
    failed_message(app, site)
    with get_state(app).engine.begin() as connection:
        connection.execute(update(OutboxMessage).values(status="sent", last_error=None))

    health = _health(client.get(f"{OUTBOX_URL}sites/{site.id}").text)

    assert "E-mail is going out." in health and f"The newest e-mail was sent on {utcnow():%Y-%m-%d}" in health
    assert "Only an owner of the site can send a test e-mail." in health and "<button" not in health


def test_the_rules_are_one_table_with_a_row_each_and_one_form_to_add(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    rules = db.scalars(select(AlertRule).where(AlertRule.site_id == site.id)).all()
    text = logged_in("owner").get(f"{OUTBOX_URL}sites/{site.id}?lang=zh").text

    table = text.split('<table class="fw-table fw-rules fw-stack">')[1].split("</table>")[0]
    assert len(rules) >= 2 and table.count('<tr id="rule-row-') == len(rules)
    assert table.count('<th scope="row" class="fw-rule-name">') == len(rules)
    assert '<th scope="row" class="fw-rule-name">推荐评分等于或低于阈值' in table
    assert text.count('action="/feedback/admin/outbox/sites/%d/rules"' % site.id) == 1
    assert text.count("<h2>") + text.count("<h2 ") < 8  # no longer a heading and a form per rule


def test_webhook_events_and_the_digest_column_read_as_words(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    from feedbackwidget.delivery.rules import set_recipient

    db.add(Webhook(site_id=site.id, url="https://crm.shop.example/hook", secret="s",
                   events=["response.created", "complaint.created"]))
    set_recipient(db, site, "boss@shop.example", locale="hu", digest="daily")
    db.commit()
    client = logged_in("owner")
    text = client.get(f"{OUTBOX_URL}sites/{site.id}").text

    hooks = text.split("Webhooks of this site")[1].split("</table>")[0]
    assert "<li>A new response</li><li>A new complaint</li>" in hooks and "response.created" not in hooks
    assert 'value="complaint.updated" checked> A complaint changed (status, answer or deadline)' in text
    assert "<li>Új kitöltés érkezett</li>" in client.get(f"{OUTBOX_URL}sites/{site.id}?lang=hu").text
    recipients = text.split('<table class="fw-table fw-recipients fw-stack">')[1].split("</table>")[0]
    header, row = recipients.split("</thead>")[0], recipients.split("boss@shop.example</th>")[1].split("</tr>")[0]
    assert header.count("<th ") == 4 and row.count("<td") == 3  # e-mail, language, digest, save: one a column
    assert '<select id="digest-' in row.split("<td")[2]
