"""Whatever an admin saves (or an old install stored), a public submission is stored:
addresses are refused where they are typed, and one that still cannot be mailed fails
visibly in the outbox, never in the request."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from feedbackwidget.delivery import invalidate_delivery
from feedbackwidget.delivery.admin_outbox import retry
from feedbackwidget.delivery.models import AlertRule
from feedbackwidget.core.models import OutboxMessage, Response, Site

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


# --- refused where they are typed ------------------------------------------------------------

OUTBOX_URL = "/feedback/admin/outbox/"


def _rule(db: Session, site: Site, kind: str = "nps_at_or_below") -> AlertRule:
    rule = db.scalar(select(AlertRule).where(AlertRule.site_id == site.id, AlertRule.kind == kind))
    assert rule is not None
    return rule


def test_the_alert_rule_form_refuses_each_bad_recipient_by_name_and_submissions_go_on(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client, rule = logged_in("manager"), _rule(db, site)
    page = client.get(f"{OUTBOX_URL}sites/{site.id}")

    refused = client.post(f"{OUTBOX_URL}sites/{site.id}/rules/{rule.id}", data={
        "csrf_token": csrf_token(page.text), "active": "y",
        "recipients": "boss@shop.example\r\nboss\x01@shop.example\r\na,b@shop.example\r\nü@shop.example"})
    answer = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=LOW_NPS,
                                    headers={"Origin": SHOP_ORIGIN})

    assert refused.status_code == 200
    assert "“boss\N{REPLACEMENT CHARACTER}@shop.example” contains a control character" in refused.text
    assert "“a,b@shop.example” is not one e-mail address: put one address per line." in refused.text
    assert "“ü@shop.example” has letters before the @" in refused.text
    db.expire_all()
    assert _rule(db, site).recipients == ["owner@shop.example"]
    assert answer.status_code == 201


def test_a_new_rule_with_an_angle_bracketed_recipient_is_refused_in_the_admins_language(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("manager")
    page = client.get(f"{OUTBOX_URL}sites/{site.id}")
    rules_before = len(db.scalars(select(AlertRule).where(AlertRule.site_id == site.id)).all())

    refused = client.post(f"{OUTBOX_URL}sites/{site.id}/rules?lang=hu", data={
        "csrf_token": csrf_token(page.text), "kind": "csat_bad", "survey": "", "recipients": "<c@shop.example>"})

    assert refused.status_code == 200 and "„<c@shop.example>” a cím mellett nevet" in unescape(refused.text)
    assert len(db.scalars(select(AlertRule).where(AlertRule.site_id == site.id)).all()) == rules_before


def test_site_settings_refuse_a_comma_list_of_alert_emails_instead_of_failing(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("owner")
    page = client.get(f"/feedback/admin/sites/{site.id}")
    data = {"csrf_token": csrf_token(page.text), "name": site.name, "allowed_origins": SHOP_ORIGIN,
            "default_locale": "en", "complaint_categories": "delivery", "privacy_policy_url": "",
            "privacy_policy_version": "1"}

    refused = client.post(f"/feedback/admin/sites/{site.id}", data={**data, "alert_emails": "a,b@x.test"})
    saved = client.post(f"/feedback/admin/sites/{site.id}",
                        data={**data, "alert_emails": "Boss@Shop.Example\nboss@shop.example\n"})

    assert refused.status_code == 200
    assert "“a,b@x.test” is not one e-mail address: put one address per line." in refused.text
    assert saved.status_code == 200
    db.expire_all()
    stored = db.get(Site, site.id)
    assert stored is not None and stored.alert_emails == ["Boss@shop.example"]
    assert _rule(db, site).recipients == ["Boss@shop.example"]


@pytest.mark.parametrize("name", ["Test\r\nShop", "Test\x00Shop", "Test\u2028Shop", "Test\x1bShop"])
def test_a_site_name_must_be_one_line(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient], name: str
) -> None:
    client = logged_in("owner")
    page = client.get(f"/feedback/admin/sites/{site.id}?lang=hu")
    data = {"csrf_token": csrf_token(page.text), "name": name, "allowed_origins": SHOP_ORIGIN,
            "default_locale": "en", "alert_emails": "owner@shop.example", "complaint_categories": "delivery",
            "privacy_policy_url": "", "privacy_policy_version": "1\n2"}

    refused = client.post(f"/feedback/admin/sites/{site.id}", data=data)

    assert refused.status_code == 200
    assert refused.text.count("Egy sor lehet, vezérlőkarakterek nélkül.") == 2
    db.expire_all()
    stored = db.get(Site, site.id)
    assert stored is not None and stored.name == "Test Shop"


def test_complaint_categories_with_control_characters_are_refused(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    client = logged_in("owner")
    page = client.get(f"/feedback/admin/sites/{site.id}")
    data = {"csrf_token": csrf_token(page.text), "name": site.name, "allowed_origins": SHOP_ORIGIN,
            "default_locale": "en", "alert_emails": "owner@shop.example", "complaint_categories": "deli\x07very",
            "privacy_policy_url": "", "privacy_policy_version": "1"}

    refused = client.post(f"/feedback/admin/sites/{site.id}", data=data)

    assert "Write each category on a line of its own, without control characters." in refused.text


def test_a_question_label_must_be_one_line(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    from feedbackwidget.core.models import Survey

    client = logged_in("owner")
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "csat"))
    assert survey is not None
    url = f"/feedback/admin/surveys/{survey.id}"
    token = csrf_token(client.get(url).text)

    refused = client.post(url, data={"csrf_token": token, "text__rating____en": "How was it?\r\nBcc: x",
                                     "triggers": "{}"})

    assert refused.status_code == 200 and "Must be one line without control characters." in refused.text
    db.expire_all()
    stored = db.get(Survey, survey.id)
    assert stored is not None and stored.questions[0]["text"]["en"] == "How would you rate our service?"


def test_a_member_address_that_cannot_be_mailed_is_refused(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    from feedbackwidget.core.models import AdminUser

    client = logged_in("owner")
    page = client.get(f"/feedback/admin/sites/{site.id}")

    refused = client.post(f"/feedback/admin/sites/{site.id}/members", data={
        "csrf_token": csrf_token(page.text), "email": "new@shop.example>", "role": "manager",
        "password": "a long enough password"})

    assert refused.status_code == 200
    assert "“new@shop.example&gt;” has a name or angle brackets around the address" in refused.text
    assert db.scalar(select(func.count()).select_from(AdminUser).where(AdminUser.email.like("new@%"))) == 0


@pytest.mark.parametrize(("email", "problem"), [
    ("ann@example.com>", "has a name or angle brackets"), ("<ann@example.com>", "has a name or angle brackets"),
    ("ü@example.com", "has letters before the @"), ("ann@example.com, bob@example.com", "is not one e-mail address"),
    ("ann@shop.test", "only a test or local network uses"),
])
def test_the_complaint_api_refuses_an_address_it_could_not_mail(
    client: FlaskClient, site: Site, db: Session, email: str, problem: str
) -> None:
    from feedbackwidget.complaints.models import Complaint

    body = {"name": "Ann", "email": email, "category": "delivery", "description": "Late",
            "desired_resolution": "Refund", "consent": True}

    answer = client.post(f"/feedback/api/v1/sites/{site.key}/complaints", json=body, headers={"Origin": SHOP_ORIGIN})

    assert answer.status_code == 422 and answer.json is not None
    assert problem in str(answer.json) and email in str(answer.json)
    assert db.scalar(select(func.count()).select_from(Complaint)) == 0


def test_a_complaints_address_is_stored_normalised(client: FlaskClient, site: Site, db: Session) -> None:
    from feedbackwidget.complaints.models import Complaint

    body = {"name": "Ann", "email": " Ann@Bücher.Example ", "category": "delivery", "description": "Late",
            "desired_resolution": "Refund", "consent": True}

    answer = client.post(f"/feedback/api/v1/sites/{site.key}/complaints", json=body, headers={"Origin": SHOP_ORIGIN})

    assert answer.status_code == 201
    assert db.scalars(select(Complaint.customer_email)).all() == ["Ann@xn--bcher-kva.example"]


def test_cli_options_that_take_addresses_refuse_what_cannot_be_mailed(app: Flask, site: Site) -> None:
    runner = app.test_cli_runner()

    new_site = runner.invoke(args=["feedbackwidget", "create-site", "Branch", "--origin", "https://branch.example",
                                   "--alert-email", "a,b@x.test"])
    alerts = runner.invoke(args=["feedbackwidget", "alerts", "--site", site.key, "--add", "csat_bad",
                                 "--email", "<c@shop.example>"])
    admin = runner.invoke(args=["feedbackwidget", "create-admin", "ü@shop.example", "--password",
                                "a long enough password"])

    assert new_site.exit_code == 2 and "“a,b@x.test” is not one e-mail address" in new_site.output
    assert alerts.exit_code == 2 and "“<c@shop.example>” has a name or angle brackets" in alerts.output
    assert admin.exit_code == 2 and "“ü@shop.example” has letters before the @" in admin.output


def test_a_privacy_correction_to_an_address_that_cannot_be_mailed_is_refused(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=LOW_NPS, headers={"Origin": SHOP_ORIGIN})
    manager = logged_in("manager")
    token = csrf_token(manager.get("/feedback/admin/privacy/", query_string={"email": "ann@example.com"}).text)

    from_admin = manager.post("/feedback/admin/privacy/correct", data={
        "email": "ann@example.com", "new_email": "<ann@new.example>", "csrf_token": token}, follow_redirects=True)
    from_cli = app.test_cli_runner().invoke(args=["feedbackwidget", "person", "correct", "--email", "ann@example.com",
                                                  "--set-email", "ann@new.example>"])

    assert "The data was corrected." not in from_admin.text
    assert from_cli.exit_code == 2 and "“ann@new.example>” has a name or angle brackets" in from_cli.output
    assert db.scalars(select(Response.customer_email)).all() == ["ann@example.com"]


def test_a_corrected_customer_id_must_be_one_line(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=LOW_NPS, headers={"Origin": SHOP_ORIGIN})
    manager = logged_in("manager")
    token = csrf_token(manager.get("/feedback/admin/privacy/", query_string={"customer_id": "C-1042"}).text)

    refused = manager.post("/feedback/admin/privacy/correct", data={
        "customer_id": "C-1042", "new_customer_id": "C-1042\r\nC-9", "csrf_token": token}, follow_redirects=True)

    assert "The data was corrected." not in refused.text
    assert db.scalars(select(Response.customer_id)).all() == ["C-1042"]


def test_an_old_recipient_stored_bad_can_still_get_another_language(
    site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    from feedbackwidget.delivery.models import AlertRecipient

    old = AlertRecipient(site_id=site.id, email="a,b@shop.example", locale="en", digest="weekly")
    db.add(old)
    db.commit()
    client = logged_in("manager")
    page = client.get(f"{OUTBOX_URL}sites/{site.id}")

    changed = client.post(f"{OUTBOX_URL}sites/{site.id}/recipients/{old.id}", data={
        "csrf_token": csrf_token(page.text), "locale": "hu", "digest": "none"})

    assert changed.status_code == 302
    db.expire_all()
    assert (old.locale, old.digest) == ("hu", "none")
