"""Alerts: a low score, a bad rating or a complaint mails the site's recipients, in their language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.delivery.models import AlertRule
from feedbackwidget.delivery.outbox import enqueue
from feedbackwidget.delivery.rules import add_rule, set_recipient
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import OutboxMessage, Site

from .conftest import SHOP_ORIGIN
from .smtp import SmtpServer

LOW_NPS = {"survey": "nps", "answers": {"score": 3, "reason": "<b>Slow</b> delivery & rude staff"},
           "page_url": "https://shop.example/checkout?step=2", "locale": "en",
           "customer": {"id": "C-1042", "email": "ann@example.com", "loyalty_tier": "gold"}}


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example")


def submit(app: Flask, site: Site, body: dict[str, Any]) -> int:
    response = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=body,
                                      headers={"Origin": SHOP_ORIGIN})
    assert response.status_code == 201, response.json
    return int(response.json["id"])  # type: ignore[index]


def send_all(app: Flask) -> None:
    drain(get_state(app).engine, WorkerSettings.for_app(app))


def outbox(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_new_site_gets_every_default_rule_for_its_alert_emails(site: Site, db: Session) -> None:
    rules = db.scalars(select(AlertRule).where(AlertRule.site_id == site.id)).all()
    assert {r.kind: r.threshold for r in rules} == {
        "nps_at_or_below": 6, "csat_bad": None, "stock_no": None, "loyalty_at_or_below": 6,
        "complaint_new": None, "complaint_overdue": None}
    assert all(r.recipients == ["owner@shop.example"] for r in rules)


def test_a_low_nps_score_mails_everything_the_owner_needs(
    mail_app: Flask, site: Site, smtp: SmtpServer
) -> None:
    response_id = submit(mail_app, site, LOW_NPS)
    send_all(mail_app)

    [mail] = smtp.wait_for(1)
    assert mail["To"] == "owner@shop.example"
    assert mail["Subject"] == "Feedback alert for Test Shop: Recommendation score 3 (alert at 6 or below)"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    for expected in ("Score given: 3", "How likely are you to recommend us to a friend or colleague?",
                     "<b>Slow</b> delivery & rude staff", "https://shop.example/checkout?step=2",
                     "C-1042", "ann@example.com", "gold",
                     f"https://feedback.shop.example/feedback/admin/responses/{response_id}"):
        assert expected in text
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "&lt;b&gt;Slow&lt;/b&gt; delivery &amp; rude staff" in html
    assert "<b>Slow</b>" not in html
    assert f'href="https://feedback.shop.example/feedback/admin/responses/{response_id}"' in html


@pytest.mark.parametrize(("locale", "subject_word", "question"), [
    ("hu", "Visszajelzés", "Mennyire valószínű"),
    ("zh", "反馈", "推荐"),
])
def test_the_alert_is_in_the_recipients_language(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer, locale: str, subject_word: str, question: str
) -> None:
    set_recipient(db, site, "owner@shop.example", locale=locale)
    db.commit()
    submit(mail_app, site, LOW_NPS)
    send_all(mail_app)

    [mail] = smtp.wait_for(1)
    assert subject_word in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert question in text
    assert "Score given:" not in text


@pytest.mark.parametrize(("body", "reason"), [
    ({"survey": "csat", "answers": {"rating": "bad", "reason": "Cold coffee"}}, "Service rated bad"),
    ({"survey": "stock", "answers": {"in_stock": False, "missing": "Decaf"}}, "Goods not found in stock"),
    ({"survey": "loyalty", "answers": {"member": True, "program_score": 2}}, "Loyalty program score 2"),
])
def test_bad_ratings_missing_goods_and_low_loyalty_scores_alert(
    mail_app: Flask, site: Site, smtp: SmtpServer, body: dict[str, Any], reason: str
) -> None:
    submit(mail_app, site, body)
    send_all(mail_app)
    [mail] = smtp.wait_for(1)
    assert reason in mail["Subject"]


def test_happy_customers_and_other_surveys_do_not_alert(mail_app: Flask, site: Site, db: Session) -> None:
    submit(mail_app, site, {"survey": "nps", "answers": {"score": 7}})
    submit(mail_app, site, {"survey": "csat", "answers": {"rating": "good"}})
    submit(mail_app, site, {"survey": "stock", "answers": {"in_stock": True}})
    submit(mail_app, site, {"survey": "suggestions", "answers": {"suggestion": "More parking"}})
    assert outbox(db) == []


def test_a_rule_for_one_survey_ignores_the_others_and_each_recipient_gets_one_mail(
    mail_app: Flask, site: Site, db: Session
) -> None:
    add_rule(db, site, "nps_at_or_below", ["boss@shop.example", "owner@shop.example"], survey_slug="nps",
             threshold=9)
    add_rule(db, site, "csat_bad", ["boss@shop.example"], survey_slug="other-survey")
    db.commit()

    submit(mail_app, site, {"survey": "nps", "answers": {"score": 8}})
    assert [m.recipient for m in outbox(db)] == ["boss@shop.example", "owner@shop.example"]
    submit(mail_app, site, {"survey": "csat", "answers": {"rating": "bad"}})
    assert [m.recipient for m in outbox(db)][2:] == ["owner@shop.example"]
    submit(mail_app, site, {"survey": "nps", "answers": {"score": 2}})
    assert len(outbox(db)) == 5


def test_a_response_without_alerts_is_a_single_insert(
    make_app: Callable[..., Flask], site: Site, db: Session
) -> None:
    app = make_app(FEEDBACKWIDGET_SITE_CACHE_SECONDS=60)
    submit(app, site, {"survey": "nps", "answers": {"score": 10}})  # warms the site and rule caches
    statements: list[str] = []
    engine = get_state(app).engine
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        submit(app, site, {"survey": "nps", "answers": {"score": 9}})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # The insert itself may run on the raw driver connection, unseen here; nothing else may run.
    assert [s for s in statements if not s.lstrip().upper().startswith("INSERT INTO FW_RESPONSES")] == []
    assert outbox(db) == []


def test_the_alert_is_stored_with_its_response_and_dedupe_keeps_it_single(
    mail_app: Flask, site: Site, db: Session
) -> None:
    response_id = submit(mail_app, site, LOW_NPS)
    [message] = outbox(db)
    assert (message.kind, message.status, message.payload["response_id"]) == ("mail", "pending", response_id)
    with get_state(mail_app).engine.begin() as connection, mail_app.test_request_context():
        from feedbackwidget.delivery.outbox import OutboxDraft

        again = OutboxDraft(kind="mail", recipient="x@shop.example", dedupe_key=message.dedupe_key)
        assert enqueue(connection, [again]) == 0
    assert len(outbox(db)) == 1


def complaint_data(**changes: Any) -> dict[str, Any]:
    return {"id": 7, "reference": "C-2026-0007", "category": "delivery", "channel": "web",
            "description": "Parcel <script>alert(1)</script> arrived broken", "customer_name": "Béla Kiss",
            "customer_email": "bela@example.com", "created_at": "2026-11-20T10:00:00+00:00",
            "due_at": "2026-12-20T10:00:00+00:00", "status": "new", "admin_path": "/admin/complaints/7", **changes}


@pytest.mark.parametrize(("event_name", "subject"), [
    ("complaint.created", "New complaint C-2026-0007 at Test Shop"),
    ("complaint.overdue", "Complaint C-2026-0007 at Test Shop is overdue"),
])
def test_complaint_events_alert_the_recipients_of_their_rules(
    mail_app: Flask, site: Site, smtp: SmtpServer, event_name: str, subject: str
) -> None:
    state = get_state(mail_app)
    with mail_app.test_request_context():
        drafts = state.drafts_for(event_name, state.sites.get(site.key), complaint_data())  # type: ignore[arg-type]
        with state.engine.begin() as connection:
            enqueue(connection, drafts)
    send_all(mail_app)

    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == subject
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert 'href="https://feedback.shop.example/feedback/admin/complaints/7"' in html


def test_create_site_with_alert_emails_sets_the_rules_recipients(mail_app: Flask, db: Session) -> None:
    result = mail_app.test_cli_runner().invoke(args=[
        "feedbackwidget", "create-site", "Café Kiss", "--origin", "https://cafe.example",
        "--alert-email", "anna@cafe.example", "--alert-email", "bela@cafe.example"])
    assert result.exit_code == 0, result.output
    site = db.scalar(select(Site).where(Site.name == "Café Kiss"))
    assert site is not None
    rules = db.scalars(select(AlertRule).where(AlertRule.site_id == site.id)).all()
    assert len(rules) == 6
    assert all(r.recipients == ["anna@cafe.example", "bela@cafe.example"] for r in rules)

    result = mail_app.test_cli_runner().invoke(args=[
        "feedbackwidget", "alerts", "--site", site.key, "--rule", str(rules[0].id), "--email", "chef@cafe.example",
        "--locale", "hu", "--digest", "daily"])
    assert result.exit_code == 0, result.output
    assert f"rule {rules[0].id}: nps_at_or_below 6 -> chef@cafe.example" in result.output
    assert "chef@cafe.example: language hu, digest daily" in result.output


def test_rules_that_still_alert_the_sites_list_follow_it_when_it_changes(site: Site, db: Session) -> None:
    from feedbackwidget.delivery.rules import follow_alert_emails

    edited = db.scalar(select(AlertRule).where(AlertRule.site_id == site.id, AlertRule.kind == "csat_bad"))
    assert edited is not None
    edited.recipients = ["service@shop.example"]
    previous, site.alert_emails = list(site.alert_emails), ["new-owner@shop.example"]
    assert follow_alert_emails(db, site, previous) == 5
    db.commit()
    recipients = {r.kind: r.recipients for r in db.scalars(select(AlertRule).where(AlertRule.site_id == site.id))}
    assert recipients["nps_at_or_below"] == ["new-owner@shop.example"]
    assert recipients["csat_bad"] == ["service@shop.example"]


def test_a_rule_for_one_survey_is_added_from_the_command_line(mail_app: Flask, site: Site, db: Session) -> None:
    result = mail_app.test_cli_runner().invoke(args=[
        "feedbackwidget", "alerts", "--site", site.key, "--add", "nps_at_or_below", "--survey", "nps",
        "--threshold", "8", "--email", "boss@shop.example"])
    assert result.exit_code == 0, result.output
    assert "nps_at_or_below 8 on survey nps -> boss@shop.example" in result.output
    submit(mail_app, site, {"survey": "nps", "answers": {"score": 8}})
    assert [m.recipient for m in outbox(db)] == ["boss@shop.example"]
