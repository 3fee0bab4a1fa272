"""The mail server goes away and comes back while customers keep submitting.

Clients behave like the widget: each submission has its own Idempotency-Key and
is retried with the same key until the server confirms it.  At the end the rows
in the database must be exactly what the clients were told was stored, and the
alerts exactly one per stored low score: nothing lost, nothing twice.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from feedbackwidget import get_state
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import OutboxMessage, Response, Site, utcnow

from .smtp import SmtpServer, free_port

pytestmark = pytest.mark.slow

CLIENTS = 4
SUBMISSIONS_PER_CLIENT = 12


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_SMTP_TIMEOUT_SECONDS=2, FEEDBACKWIDGET_RATELIMIT_ENABLED=False)


@pytest.fixture
def live_url(mail_app: Flask) -> Iterator[str]:
    port = free_port()
    server = make_server("127.0.0.1", port, mail_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


def submit_until_confirmed(url: str, score: int) -> int:
    """Post one submission, retrying with the same key until the server confirms it; its id."""
    key = str(uuid.uuid4())
    body = {"survey": "nps", "answers": {"score": score, "reason": "Too slow"}}
    while True:
        try:
            response = requests.post(url, json=body, headers={"Idempotency-Key": key}, timeout=10)
        except requests.RequestException:
            time.sleep(0.05)
            continue
        if response.status_code == 201:
            return int(response.json()["id"])
        assert response.status_code in (429, 503), response.text
        time.sleep(0.05)


def test_mail_server_down_then_back_under_load_loses_and_duplicates_nothing(
    mail_app: Flask, live_url: str, site: Site, smtp: SmtpServer, db: Session
) -> None:
    engine = get_state(mail_app).engine
    settings = WorkerSettings.for_app(mail_app)
    confirmed: list[int] = []
    lock = threading.Lock()
    stop_sender = threading.Event()

    def client(index: int) -> None:
        for n in range(SUBMISSIONS_PER_CLIENT):
            new_id = submit_until_confirmed(f"{live_url}/feedback/api/v1/sites/{site.key}/responses", (index + n) % 7)
            with lock:
                confirmed.append(new_id)

    def sender() -> None:
        while not stop_sender.is_set():
            drain(engine, settings)
            stop_sender.wait(0.1)

    sender_thread = threading.Thread(target=sender)
    sender_thread.start()
    clients = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in clients:
        thread.start()
    while len(confirmed) < CLIENTS * SUBMISSIONS_PER_CLIENT // 3:
        time.sleep(0.01)
    smtp.stop()  # the mail server goes away mid-load ...
    while len(confirmed) < 2 * CLIENTS * SUBMISSIONS_PER_CLIENT // 3:
        time.sleep(0.01)
    smtp.start()  # ... and comes back on the same port
    for thread in clients:
        thread.join(timeout=120)
    stop_sender.set()
    sender_thread.join(timeout=60)
    drain(engine, settings, now=utcnow() + dt.timedelta(days=1))  # past every retry's backoff

    stored = set(db.scalars(select(Response.id)))
    assert sorted(stored) == sorted(confirmed)  # exactly what the clients were told
    assert len(stored) == CLIENTS * SUBMISSIONS_PER_CLIENT
    statuses = dict(db.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    assert statuses == {"sent": len(stored)}  # one alert per low score (all scores are 0-6)
    assert db.scalar(select(func.max(OutboxMessage.attempts))) > 1  # the outage really hit some alerts
    message_ids = [m["Message-ID"] for m in smtp.messages]
    assert len(message_ids) == len(set(message_ids))  # none delivered twice
    assert len(message_ids) == len(stored)
