"""The submit path's single INSERT stores every column as given, on the backend under test.

On PostgreSQL it runs through psycopg's libpq wrapper (feedbackwidget/pg_insert.py),
not psycopg's cursor: these tests hold it to what the cursor stored.  On SQLite it
waits out another writer in short steps instead of SQLite's millisecond sleeps.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.db import SQLITE_BUSY_TIMEOUT_MS, create_feedback_engine, sqlite_execute_briefly_waiting
from feedbackwidget.extension import get_state
from feedbackwidget.models import Response, Site, Survey
from feedbackwidget.responses import StorageUnavailable, body_hash, record_response

BUDAPEST = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def nps(db: Session, site: Site) -> Survey:
    return db.scalars(select(Survey).where(Survey.site_id == site.id, Survey.slug == "nps")).one()


def full_row(survey: Survey, key: str, **changes: Any) -> dict[str, Any]:
    answers = {"score": 0, "reason": 'Árvíztűrő tükörfúrógép, 退货太慢 😞 "quoted" \\ back\\slash', "nested": [1, None]}
    row = {
        "site_id": survey.site_id, "survey_id": survey.id, "answers": answers, "nps_score": 0, "csat": "bad",
        "in_stock": False, "loyalty_score": 10, "comment": answers["reason"],
        "page_url": "https://shop.example/kosár?q=a%20b&x=1", "locale": "zh", "customer_id": "C-42",
        "customer_email": "vevő@shop.example", "loyalty_tier": "gold", "idempotency_key": key,
        "body_hash": body_hash({"k": key}), "created_at": dt.datetime(2026, 3, 29, 2, 30, 15, 123456, BUDAPEST),
    }
    return {**row, **changes}


def stored(db: Session, response_id: int) -> Response:
    db.expire_all()
    return db.scalars(select(Response).where(Response.id == response_id)).one()


def test_every_column_is_stored_as_given(app: Flask, db: Session, nps: Survey) -> None:
    row = full_row(nps, "all-columns")
    result = record_response(get_state(app).engine, dict(row))

    response = stored(db, result.id)
    assert not result.replayed
    for column, value in row.items():
        if column == "created_at":
            assert response.created_at == value  # the same instant, given in UTC+1
            assert response.created_at.utcoffset() == dt.timedelta(0)
        else:
            assert getattr(response, column) == value, column


def test_null_columns_stay_null_and_true_is_true(app: Flask, db: Session, nps: Survey) -> None:
    row = full_row(nps, "nulls", csat=None, in_stock=True, loyalty_score=None, comment=None, page_url=None,
                   customer_id=None, customer_email=None, loyalty_tier=None)
    response = stored(db, record_response(get_state(app).engine, dict(row)).id)

    assert (response.csat, response.loyalty_score, response.comment, response.page_url) == (None, None, None, None)
    assert (response.customer_id, response.customer_email, response.loyalty_tier) == (None, None, None)
    assert response.in_stock is True


def test_the_same_key_is_stored_once_and_replays_the_first_id(app: Flask, db: Session, nps: Survey) -> None:
    engine = get_state(app).engine
    first = record_response(engine, full_row(nps, "twice"))
    again = record_response(engine, full_row(nps, "twice"))

    assert (again.id, again.replayed) == (first.id, True)
    assert db.query(Response).filter_by(idempotency_key="twice").count() == 1


def test_text_with_a_nul_character_is_stored_whole_or_refused_whole(app: Flask, db: Session, nps: Survey) -> None:
    engine = get_state(app).engine
    row = full_row(nps, "nul", comment="cut\x00here")
    if engine.dialect.name == "postgresql":  # PostgreSQL text cannot hold NUL; libpq would cut the text there
        with pytest.raises(StorageUnavailable, match="NUL"):
            record_response(engine, row)
        assert db.query(Response).filter_by(idempotency_key="nul").count() == 0
    else:
        assert stored(db, record_response(engine, row).id).comment == "cut\x00here"


def test_a_statement_the_server_forgot_is_prepared_again(database_url: str, db: Session, nps: Survey) -> None:
    # One pooled connection, so the second insert meets the connection the first one prepared on.
    engine = create_feedback_engine(database_url, {"pool_size": 1, "max_overflow": 0})
    try:
        first = record_response(engine, full_row(nps, "before-discard"))
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:  # what a connection pooler's DISCARD ALL does
                connection.exec_driver_sql("DEALLOCATE ALL")
        second = record_response(engine, full_row(nps, "after-discard"))
    finally:
        engine.dispose()

    assert stored(db, first.id).idempotency_key == "before-discard"
    assert stored(db, second.id).idempotency_key == "after-discard"


def locked_database(path: Any) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    """Two connections to a WAL database with a table; the first holds the write lock."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t (v) VALUES ('holder')")
    waiter = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    return holder, waiter


def test_an_sqlite_insert_waits_out_another_writer_and_keeps_the_busy_timeout(tmp_path: Any) -> None:
    holder, waiter = locked_database(tmp_path / "busy.sqlite")
    threading.Timer(0.05, holder.commit).start()

    row = sqlite_execute_briefly_waiting(waiter, "INSERT INTO t (v) VALUES (?) RETURNING id, v", ["waiter"])

    assert row == (2, "waiter")
    assert waiter.execute("SELECT v FROM t ORDER BY id").fetchall() == [("holder",), ("waiter",)]
    assert waiter.execute("PRAGMA busy_timeout").fetchone() == (SQLITE_BUSY_TIMEOUT_MS,)


def test_an_sqlite_insert_gives_up_after_the_busy_timeout(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("feedbackwidget.db.SQLITE_BUSY_TIMEOUT_MS", 30)
    holder, waiter = locked_database(tmp_path / "busy.sqlite")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        sqlite_execute_briefly_waiting(waiter, "INSERT INTO t (v) VALUES (?)", ["waiter"])

    holder.commit()
    assert waiter.execute("SELECT v FROM t").fetchall() == [("holder",)]


def test_no_prepared_statement_where_the_engine_turns_them_off(database_url: str, db: Session, nps: Survey) -> None:
    # Behind PgBouncer in transaction mode: FEEDBACKWIDGET_ENGINE_OPTIONS = {"connect_args": {"prepare_threshold": None}}.
    options: dict[str, Any] = {"pool_size": 1, "max_overflow": 0}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"prepare_threshold": None}
    engine = create_feedback_engine(database_url, options)
    try:
        for key in ("unprepared-1", "unprepared-2", "unprepared-3", "unprepared-4", "unprepared-5", "unprepared-6"):
            record_response(engine, full_row(nps, key))
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                prepared = connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar()
            assert prepared == 0
    finally:
        engine.dispose()

    assert db.query(Response).filter(Response.idempotency_key.like("unprepared-%")).count() == 6
