"""Delivery never loses a message and never sends one twice, whatever the mail server does.

Each test drives the worker with an explicit clock (``now``) instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.delivery.admin_outbox import list_failed, retry
from feedbackwidget.delivery.mail import mail_draft
from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.delivery.smtp import send_mail
from feedbackwidget.delivery.worker import WorkerSettings, backoff_seconds, claim, drain
from feedbackwidget.core.models import OutboxMessage, Site, utcnow

from .conftest import SHOP_ORIGIN
from .smtp import SmtpServer

LOW_SCORE = {"survey": "nps", "answers": {"score": 1, "reason": "Never again"}}
LEASE = 120.0


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS=5.0,
                    FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS=LEASE, FEEDBACKWIDGET_OUTBOX_MAX_ATTEMPTS=3)


def engine_of(app: Flask) -> Engine:
    return get_state(app).engine


def settings(app: Flask) -> WorkerSettings:
    return WorkerSettings.for_app(app)


def submit(app: Flask, site: Site, body: dict[str, Any] = LOW_SCORE) -> None:
    response = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=body,
                                      headers={"Origin": SHOP_ORIGIN})
    assert response.status_code == 201, response.json


def messages(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def plain_draft(recipient: str, subject: str, dedupe_key: str, site_id: int) -> OutboxDraft:
    return OutboxDraft(kind="mail", recipient=recipient, subject=subject, dedupe_key=dedupe_key, site_id=site_id,
                       payload={"text": "A plain test message.", "html": None, "locale": "en"})


def later(minutes: float) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


def test_with_the_mail_server_down_the_submission_succeeds_and_the_alert_arrives_once_it_is_back(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    smtp.stop()
    submit(mail_app, site)
    [message] = messages(db)
    assert message.status == "pending"

    assert drain(engine_of(mail_app), settings(mail_app)) == {"pending": 1}
    [message] = messages(db)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "unavailable" in (message.last_error or "")
    assert message.next_attempt_at > utcnow()

    smtp.start()
    assert drain(engine_of(mail_app), settings(mail_app)) == {}, "not before its retry time"
    assert drain(engine_of(mail_app), settings(mail_app), now=later(5)) == {"sent": 1}
    assert drain(engine_of(mail_app), settings(mail_app), now=later(60)) == {}
    [mail] = smtp.wait_for(1)
    assert mail["Message-ID"] == message.message_id
    assert messages(db)[0].status == "sent"


def test_a_slow_mail_server_times_out_and_the_message_is_retried(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    mail_app = make_app(**smtp.config(), FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS=2.0)
    submit(mail_app, site)
    smtp.delay_seconds = 6
    assert drain(engine_of(mail_app), settings(mail_app)) == {"pending": 1}
    assert "timed out" in (messages(db)[0].last_error or "")

    smtp.delay_seconds = 0
    assert drain(engine_of(mail_app), settings(mail_app), now=later(5)) == {"sent": 1}
    [message] = messages(db)
    assert (message.status, message.attempts) == ("sent", 2)
    # The slow server may still have accepted the first copy: it carries the same Message-ID.
    received = smtp.wait_for(1)
    assert {mail["Message-ID"] for mail in received} == {message.message_id}


def test_a_permanent_refusal_fails_at_once_shows_the_error_and_is_not_retried(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    submit(mail_app, site)
    smtp.reply_code = "550 No such user here"
    assert drain(engine_of(mail_app), settings(mail_app)) == {"failed": 1}
    assert drain(engine_of(mail_app), settings(mail_app), now=later(24 * 60)) == {}

    [failed] = list_failed(db, [site.id])
    assert (failed.recipient, failed.attempts) == ("owner@shop.example", 1)
    assert failed.last_error == "550 No such user here"
    assert list_failed(db, [site.id + 1000]) == []

    smtp.reply_code = None
    assert retry(db, failed.id)
    db.commit()
    assert drain(engine_of(mail_app), settings(mail_app)) == {"sent": 1}
    assert smtp.wait_for(1)[0]["To"] == "owner@shop.example"


def test_temporary_failures_stop_after_the_maximum_number_of_attempts(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    submit(mail_app, site)
    smtp.reply_code = "451 Try again later"
    outcomes = [drain(engine_of(mail_app), settings(mail_app), now=later(24 * 60 * day)) for day in range(4)]
    assert outcomes == [{"pending": 1}, {"pending": 1}, {"failed": 1}, {}]
    assert messages(db)[0].last_error == "451 Try again later"


def test_retries_back_off_exponentially_with_jitter() -> None:
    delays = [backoff_seconds(attempt) for attempt in range(1, 8)]
    for attempt, delay in enumerate(delays, start=1):
        full = 30.0 * 2 ** (attempt - 1)
        assert full / 2 <= delay <= full
    assert len({round(backoff_seconds(3), 6) for _ in range(20)}) > 1


def test_a_worker_killed_before_sending_leaves_the_message_to_the_next_one(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    submit(mail_app, site)
    now = utcnow()
    [taken] = claim(engine_of(mail_app), now, LEASE)  # ...and the worker dies here
    assert messages(db)[0].status == "sending"

    assert drain(engine_of(mail_app), settings(mail_app), now=now) == {}, "still leased"
    after_lease = now + dt.timedelta(seconds=LEASE + 1)
    assert drain(engine_of(mail_app), settings(mail_app), now=after_lease) == {"sent": 1}
    [mail] = smtp.wait_for(1)
    assert mail["Message-ID"] == taken["message_id"]
    assert drain(engine_of(mail_app), settings(mail_app), now=after_lease + dt.timedelta(hours=1)) == {}


def test_a_worker_killed_between_sending_and_marking_resends_the_same_message(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    submit(mail_app, site)
    now = utcnow()
    [taken] = claim(engine_of(mail_app), now, LEASE)
    send_mail(settings(mail_app).mailer, taken)  # ...and the worker dies before marking it sent

    after_lease = now + dt.timedelta(seconds=LEASE + 1)
    assert drain(engine_of(mail_app), settings(mail_app), now=after_lease) == {"sent": 1}
    first, second = smtp.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"] == taken["message_id"]
    assert first.get_body(("plain",)).as_string() == second.get_body(("plain",)).as_string()  # type: ignore[union-attr]
    assert [m.status for m in messages(db)] == ["sent"]


def test_two_workers_never_send_the_same_message(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    # On PostgreSQL the claim is SELECT ... FOR UPDATE SKIP LOCKED; on SQLite BEGIN IMMEDIATE.
    count = 24
    with mail_app.test_request_context(), engine_of(mail_app).begin() as connection:
        enqueue(connection, [plain_draft(f"r{i}@shop.example", f"Message {i}", f"test:{i}", site.id)
                             for i in range(count)])
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def worker() -> None:
        start.wait()
        results.append(dict(drain(engine_of(mail_app), settings(mail_app))))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    received = smtp.wait_for(count)
    assert sorted(m["Subject"] for m in received) == sorted(f"Message {i}" for i in range(count))
    assert sum(r.get("sent", 0) for r in results) == count
    assert {m.status for m in messages(db)} == {"sent"}


def test_subject_and_recipient_cannot_inject_headers(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    with mail_app.test_request_context(), engine_of(mail_app).begin() as connection:
        enqueue(connection, [plain_draft("owner@shop.example", "Hello\r\nBcc: victim@example.com", "test:inject",
                                         site.id)])
        injected = mail_draft(recipient="a@shop.example\r\nBcc: victim@example.com", subject="x",
                              template="response_alert", context={}, locale="en", dedupe_key="x")
        enqueue(connection, [injected])  # written as failed, with the reason: never sent
    drain(engine_of(mail_app), settings(mail_app))
    assert injected.error is not None and "is not one e-mail address" in injected.error
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "Hello  Bcc: victim@example.com"
    assert mail["Bcc"] is None
    assert smtp.envelopes == [("feedback@shop.example", ["owner@shop.example"])]


def test_send_outbox_command_delivers_and_outbox_commands_show_and_retry_failures(
    mail_app: Flask, site: Site, smtp: SmtpServer
) -> None:
    submit(mail_app, site)
    smtp.reply_code = "554 Rejected"
    runner = mail_app.test_cli_runner()
    assert runner.invoke(args=["feedbackwidget", "send-outbox"]).output.strip() == "failed: 1"

    listing = runner.invoke(args=["feedbackwidget", "outbox", "failed"]).output
    assert "to owner@shop.example after 1 attempt(s): 554 Rejected" in listing
    message_id = int(listing.split("#", 1)[1].split()[0])
    smtp.reply_code = None
    assert "will be sent again" in runner.invoke(args=["feedbackwidget", "outbox", "retry", str(message_id)]).output
    assert runner.invoke(args=["feedbackwidget", "send-outbox"]).output.strip() == "sent: 1"
    assert runner.invoke(args=["feedbackwidget", "outbox", "retry", str(message_id)]).exit_code != 0


def test_on_postgresql_a_claim_skips_rows_another_worker_is_claiming(
    mail_app: Flask, site: Site, db: Session
) -> None:
    engine = engine_of(mail_app)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: BEGIN IMMEDIATE serialises claims, nothing to skip")
    with engine.begin() as connection:
        enqueue(connection, [plain_draft(f"r{i}@shop.example", f"Message {i}", f"test:{i}", site.id)
                             for i in range(3)])
    first_id = messages(db)[0].id
    with engine.connect() as other_worker:
        other_worker.execute(select(OutboxMessage.id).where(OutboxMessage.id == first_id).with_for_update())
        taken = claim(engine, utcnow(), LEASE)  # does not wait for the other worker's lock
        other_worker.rollback()
    assert [row["id"] for row in taken] == [m.id for m in messages(db)][1:]


def test_a_message_that_breaks_the_worker_fails_after_its_attempts_without_stopping_the_others(
    mail_app: Flask, site: Site, db: Session, smtp: SmtpServer
) -> None:
    with engine_of(mail_app).begin() as connection:
        enqueue(connection, [OutboxDraft(kind="mail", recipient="a@shop.example", dedupe_key="broken",
                                         site_id=site.id, payload={"text": None, "html": 42}),
                             plain_draft("b@shop.example", "Fine", "fine", site.id)])
    outcomes = [drain(engine_of(mail_app), settings(mail_app), now=later(24 * 60 * day)) for day in range(3)]
    assert outcomes == [{"pending": 1, "sent": 1}, {"pending": 1}, {"failed": 1}]
    assert [mail["To"] for mail in smtp.wait_for(1)] == ["b@shop.example"]
