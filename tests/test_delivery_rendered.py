"""An e-mail is written out once, when it is queued, and sent as those bytes: batches claimed by two
workers send each message once, a worker that dies in the middle of a batch is replaced and the
messages it had sent go again with the same Message-ID and the same content.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

from flask import Flask
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import OutboxMessage, Site, utcnow
from feedbackwidget.delivery.mail import mail_draft
from feedbackwidget.delivery.outbox import enqueue
from feedbackwidget.delivery.smtp import send_batch
from feedbackwidget.delivery.worker import WorkerSettings, claim, drain, run_once
from feedbackwidget.privacy import Person, correct_person, erase_person

from .smtp import SmtpServer

LEASE = 120.0


def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer, sender: str = "feedback@shop.example") -> Flask:
    return make_app(**smtp.config(), MAIL_DEFAULT_SENDER=sender, FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS=5.0,
                    FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS=LEASE)


def engine_of(app: Flask) -> Engine:
    return get_state(app).engine


def queue_alerts(app: Flask, site: Site, count: int, prefix: str = "alert") -> None:
    """*count* response alerts, rendered from the real templates in Hungarian, into the outbox."""
    with app.test_request_context(), engine_of(app).begin() as connection:
        enqueue(connection, [
            mail_draft(recipient=f"manager{i}@shop.example", subject=f"Új válasz #{i}: 2/10", template="response_alert",
                       context={"site_name": site.name, "score": 2,
                                "answers": [("Miért?", f"Lassú szállítás #{i}")]},
                       locale="hu", dedupe_key=f"{prefix}:{i}", site_id=site.id)
            for i in range(count)])


def rows(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_queued_mail_is_written_once_and_sent_from_the_sender_configured_when_it_goes(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    queue_alerts(mail_app(make_app, smtp, sender="old@shop.example"), site, 1)
    [row] = rows(db)
    assert row.rendered is not None and b"From:" not in row.rendered.split(b"\r\n\r\n")[0]

    later = mail_app(make_app, smtp, sender="Visszajelzés <feedback@shop.example>")
    assert drain(engine_of(later), WorkerSettings.for_app(later)) == {"sent": 1}
    [mail] = smtp.wait_for(1)
    assert mail["From"] == "Visszajelzés <feedback@shop.example>"
    assert mail["To"] == "manager0@shop.example" and mail["Subject"] == "Új válasz #0: 2/10"
    assert mail["Message-ID"] == row.message_id
    assert "Lassú szállítás #0" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Lassú szállítás #0" in mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert smtp.envelopes == [("feedback@shop.example", ["manager0@shop.example"])]


def test_batches_claimed_by_two_workers_at_once_send_each_message_once(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    app, count = mail_app(make_app, smtp), 60
    queue_alerts(app, site, count)
    start = threading.Barrier(2)
    sent: list[int] = []

    def worker() -> None:
        start.wait()
        sent.append(drain(engine_of(app), WorkerSettings.for_app(app), limit=10)["sent"])

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    received = Counter(mail["Message-ID"] for mail in smtp.wait_for(count))
    assert sum(sent) == count and len(received) == count and set(received.values()) == {1}
    assert set(received) == {row.message_id for row in rows(db)}
    assert {row.status for row in rows(db)} == {"sent"}


def test_a_worker_that_dies_in_the_middle_of_a_batch_is_replaced_and_resends_the_same_messages(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    app = mail_app(make_app, smtp)
    queue_alerts(app, site, 10)
    now = utcnow()
    taken = claim(engine_of(app), now, LEASE, limit=10)
    assert send_batch(WorkerSettings.for_app(app).mailer, taken[:4]) == [None] * 4  # ...and the worker dies here
    assert drain(engine_of(app), WorkerSettings.for_app(app), now=now) == {}, "the batch is still leased"

    after_lease = now + dt.timedelta(seconds=LEASE + 1)
    assert drain(engine_of(app), WorkerSettings.for_app(app), now=after_lease) == {"sent": 10}
    received = smtp.wait_for(14)
    by_id: dict[str, list[str]] = {}
    for mail in received:
        by_id.setdefault(str(mail["Message-ID"]), []).append(mail.as_string())
    assert sorted(len(copies) for copies in by_id.values()) == [1] * 6 + [2] * 4
    assert {message_id for message_id, copies in by_id.items() if len(copies) == 2} == {
        row["message_id"] for row in taken[:4]}
    assert all(copies[0] == copies[1] for copies in by_id.values() if len(copies) == 2), "resent as it was"
    assert [row.status for row in rows(db)] == ["sent"] * 10


def test_a_mail_queued_before_the_upgrade_without_its_bytes_is_built_when_sent(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    app = mail_app(make_app, smtp)
    queue_alerts(app, site, 1)
    db.execute(update(OutboxMessage).values(rendered=None))
    db.commit()
    assert drain(engine_of(app), WorkerSettings.for_app(app)) == {"sent": 1}
    [mail] = smtp.wait_for(1)
    assert mail["Message-ID"] == rows(db)[0].message_id and mail["Subject"] == "Új válasz #0: 2/10"
    assert mail["From"] == "feedback@shop.example"
    assert "Lassú szállítás #0" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_batch_longer_than_its_lease_sends_what_fits_and_puts_the_rest_back_without_counting_an_attempt(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    # Each send may take 2 x 2 s: with a 5 s lease, no message starts after the first second of the batch.
    app = make_app(**smtp.config(), FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS=2.0,
                   FEEDBACKWIDGET_WEBHOOK_TIMEOUT_SECONDS=2.0, FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS=5.0)
    queue_alerts(app, site, 6)
    smtp.delay_seconds = 0.4
    first = run_once(engine_of(app), WorkerSettings.for_app(app), limit=6)
    assert 1 <= first["sent"] < 6 and first["sent"] + first["released"] == 6
    put_back = [row for row in rows(db) if row.status == "pending"]
    assert len(put_back) == first["released"] and {row.attempts for row in put_back} == {0}

    assert drain(engine_of(app), WorkerSettings.for_app(app), limit=6) == {"sent": first["released"]}
    received = Counter(mail["Message-ID"] for mail in smtp.wait_for(6))
    assert len(received) == 6 and set(received.values()) == {1}
    assert {row.status for row in rows(db)} == {"sent"} and {row.attempts for row in rows(db)} == {1}


def test_erasing_a_person_leaves_no_copy_of_their_mail_and_a_corrected_address_gets_the_mail(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    app = mail_app(make_app, smtp)
    with app.test_request_context(), engine_of(app).begin() as connection:
        enqueue(connection, [
            mail_draft(recipient=f"{name}@example.com", subject="Your complaint", template="response_alert",
                       context={"site_name": site.name, "answers": [("Comment", f"I am {name.title()}")]},
                       locale="en", dedupe_key=f"to:{name}", site_id=site.id) for name in ("ann", "bob")])
    assert all(b"I am" in (row.rendered or b"") for row in rows(db))

    erase_person(db, Person(email="ann@example.com"))
    correct_person(db, Person(email="bob@example.com"), email="bob.new@example.com")

    erased, corrected = rows(db)
    assert erased.rendered is None and erased.status == "cancelled"
    assert drain(engine_of(app), WorkerSettings.for_app(app)) == {"sent": 1}
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "bob.new@example.com" and mail["Message-ID"] == corrected.message_id
    assert smtp.envelopes == [("feedback@shop.example", ["bob.new@example.com"])]
    assert "I am Bob" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
