"""SQLite with 20 concurrent writers: WAL, busy timeout and BEGIN IMMEDIATE mean no "database is locked"."""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from feedbackwidget.core.db import create_feedback_engine
from feedbackwidget.delivery.outbox import OutboxDraft
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import OutboxMessage, Response, Site, Survey
from feedbackwidget.responses import record_response
from feedbackwidget.provisioning import create_site

WRITERS = 20
SUBMISSIONS_EACH = 10


def _row(site_id: int, survey_id: int, key: str) -> dict[str, Any]:
    return {"site_id": site_id, "survey_id": survey_id, "answers": {"score": 2}, "nps_score": 2, "locale": "en",
            "idempotency_key": key, "body_hash": "h" + key}


def _writer(url: str, site_id: int, survey_id: int, writer: int, errors: Any) -> None:
    """One process: plain submissions, submissions with an alert in the same transaction, and ORM reads."""
    engine = create_feedback_engine(url)
    try:
        for n in range(SUBMISSIONS_EACH):
            key = f"w{writer}-{n}"
            drafts = [OutboxDraft("mail", "owner@shop.example", f"alert-{key}", "Low score")] if n % 2 else []
            record_response(engine, _row(site_id, survey_id, key), drafts)
            with Session(engine) as session:
                session.scalar(select(func.count()).select_from(Response))
                session.commit()
    except Exception as err:  # noqa: BLE001 - reported to the parent process
        errors.put(f"writer {writer}: {err!r}")
    finally:
        engine.dispose()


def _prepared(path: Path) -> tuple[str, int, int]:
    url = f"sqlite:///{path}"
    engine = create_feedback_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        site = create_site(session, "Busy Shop", ["https://shop.example"], templates=("nps",))
        session.commit()
        site_id = site.id
        survey_id = session.scalar(select(Survey.id).where(Survey.site_id == site.id))
    engine.dispose()
    assert survey_id is not None
    return url, site_id, survey_id


def test_twenty_writer_processes_never_see_database_is_locked(tmp_path: Path) -> None:
    url, site_id, survey_id = _prepared(tmp_path / "busy.sqlite")
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    processes = [context.Process(target=_writer, args=(url, site_id, survey_id, n, errors)) for n in range(WRITERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)

    reported = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    engine = create_feedback_engine(url)
    with engine.connect() as connection:
        responses = connection.execute(select(func.count()).select_from(Response)).scalar_one()
        alerts = connection.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
        journal = connection.execute(text("PRAGMA journal_mode")).scalar_one()
    engine.dispose()
    assert reported == []
    assert [process.exitcode for process in processes] == [0] * WRITERS
    assert (responses, alerts) == (WRITERS * SUBMISSIONS_EACH, WRITERS * SUBMISSIONS_EACH // 2)
    assert journal == "wal"


def test_twenty_threads_submitting_through_the_api_all_get_201(
    make_app: Callable[..., Flask], site: Site, db: Session
) -> None:
    app = make_app(FEEDBACKWIDGET_RATELIMIT_ENABLED=False)
    statuses: list[int] = []
    lock = threading.Lock()

    def submit() -> None:
        client = app.test_client()
        for _ in range(SUBMISSIONS_EACH):
            response = client.post(f"/feedback/api/v1/sites/{site.key}/responses",
                                   json={"survey": "nps", "answers": {"score": 3, "reason": "Slow"}},
                                   headers={"Idempotency-Key": uuid.uuid4().hex})
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=submit) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == [201] * (WRITERS * SUBMISSIONS_EACH)
    assert db.scalar(select(func.count()).select_from(Response)) == WRITERS * SUBMISSIONS_EACH


SHORT_BUSY_TIMEOUT_MS = 300  # a submission that waited for a reader would fail instead of hanging


def _submit(app: Flask, site: Site, reason: str) -> int:
    response = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses",
                                      json={"survey": "nps", "answers": {"score": 9, "reason": reason}})
    return response.status_code


def test_a_page_that_is_reading_does_not_hold_up_a_submission(
    make_app: Callable[..., Flask], site: Site, db: Session, monkeypatch: Any
) -> None:
    monkeypatch.setattr("feedbackwidget.core.db.SQLITE_BUSY_TIMEOUT_MS", SHORT_BUSY_TIMEOUT_MS)
    app = make_app(FEEDBACKWIDGET_RATELIMIT_ENABLED=False)
    from feedbackwidget import get_state

    with app.test_request_context("/feedback/admin/", method="GET"):
        page = get_state().session()
        assert page.scalar(select(func.count()).select_from(Site)) == 1  # its transaction is open now

        assert _submit(app, site, "Stored while a dashboard reads") == 201

    assert db.scalar(select(Response.comment)) == "Stored while a dashboard reads"


def test_a_get_request_writing_after_others_committed_is_not_refused(
    make_app: Callable[..., Flask], site: Site, db: Session, monkeypatch: Any
) -> None:
    monkeypatch.setattr("feedbackwidget.core.db.SQLITE_BUSY_TIMEOUT_MS", SHORT_BUSY_TIMEOUT_MS)
    app = make_app(FEEDBACKWIDGET_RATELIMIT_ENABLED=False)
    from feedbackwidget import get_state

    with app.test_request_context("/feedback/admin/", method="GET"):
        page = get_state().session()
        shop = page.get(Site, site.id)
        assert shop is not None
        assert _submit(app, site, "Committed after the page began reading") == 201
        shop.name = "Renamed by a GET's bookkeeping"
        page.commit()  # a read snapshot upgraded to a write would fail here with SQLITE_BUSY_SNAPSHOT

    assert db.scalar(select(Site.name)) == "Renamed by a GET's bookkeeping"
    assert db.scalar(select(Response.comment)) == "Committed after the page began reading"
