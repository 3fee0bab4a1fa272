"""A real worker process killed with SIGKILL in the middle of sending: the message still
arrives, once the lease has ended, as the same message (same Message-ID)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import OutboxMessage, Site, utcnow

from .smtp import SmtpServer

LEASE_SECONDS = 30


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_worker_killed_while_sending_is_replaced_without_a_new_message(
    make_app: Callable[..., Flask], database_url: str, site: Site, db: Session, smtp: SmtpServer
) -> None:
    app = make_app(**smtp.config(), FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS=LEASE_SECONDS)
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [OutboxDraft(kind="mail", recipient="owner@shop.example", subject="Alert",
                                         dedupe_key="crash:1", site_id=site.id,
                                         payload={"text": "Low score", "html": None, "locale": "en"})])
    smtp.delay_seconds = 60  # the server swallows the message and does not answer
    env = {**os.environ, "FEEDBACKWIDGET_DATABASE_URL": database_url, "FEEDBACKWIDGET_AUTO_MIGRATE": "false",
           "FEEDBACKWIDGET_SECRET_KEY": "a-test-secret-key-of-32-characters", "FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
           "FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS": "120", "MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port),
           "MAIL_DEFAULT_SENDER": "feedback@shop.example"}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "feedbackwidget", "feedbackwidget",
                               "send-outbox", "--loop"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def taken() -> bool:
            db.expire_all()
            return db.scalar(select(OutboxMessage.status)) == "sending"

        wait_until(taken)
        time.sleep(0.5)  # let it reach the mail server (either moment of death must be survived)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)

    smtp.delay_seconds = 0
    settings = WorkerSettings.for_app(app)
    assert drain(get_state(app).engine, settings) == {}, "the dead worker's lease still holds"
    after_lease = utcnow() + dt.timedelta(seconds=LEASE_SECONDS + 1)
    assert drain(get_state(app).engine, settings, now=after_lease) == {"sent": 1}
    db.expire_all()
    message = db.scalars(select(OutboxMessage)).one()
    assert (message.status, message.attempts) == ("sent", 2)
    received = smtp.wait_for(1)
    # The killed worker's copy may also reach the mailbox; if so it is the same message.
    assert {mail["Message-ID"] for mail in received} == {message.message_id}
