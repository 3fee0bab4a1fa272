"""The submit path's single INSERT stores every column as given, on the backend under test.

It runs through SQLAlchemy Core on a pooled connection in autocommit mode, with
public APIs only: the driver encodes the text in the connection's encoding, and
psycopg prepares the statement itself after a few uses.
"""

from __future__ import annotations

import ast
import datetime as dt
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

import feedbackwidget.responses
from feedbackwidget.core.db import create_feedback_engine
from feedbackwidget.core.state import get_state
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Response, Site, Survey
from feedbackwidget.responses import StorageUnavailable, body_hash, record_response
from feedbackwidget.provisioning import create_site

from .conftest import SHOP_ORIGIN

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
    if engine.dialect.name == "postgresql":  # PostgreSQL text cannot hold NUL: psycopg refuses it whole
        with pytest.raises(StorageUnavailable, match="NUL"):
            record_response(engine, row)
        assert db.query(Response).filter_by(idempotency_key="nul").count() == 0
    else:
        assert stored(db, record_response(engine, row).id).comment == "cut\x00here"


def test_a_statement_the_server_forgot_is_prepared_again(database_url: str, db: Session, nps: Survey) -> None:
    # One pooled connection, so every insert meets the connection the earlier ones prepared on.
    engine = create_feedback_engine(database_url, {"pool_size": 1, "max_overflow": 0})
    try:
        before = [record_response(engine, full_row(nps, f"before-discard-{n}")) for n in range(6)]
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar()
                connection.exec_driver_sql("DEALLOCATE ALL")  # what a connection pooler's DISCARD ALL does
        after = record_response(engine, full_row(nps, "after-discard"))
    finally:
        engine.dispose()

    assert [stored(db, result.id).idempotency_key for result in before] == [f"before-discard-{n}" for n in range(6)]
    assert stored(db, after.id).idempotency_key == "after-discard"


def sqlite_survey(path: Path) -> tuple[str, Survey]:
    """A migrated SQLite database at *path* with a shop and its NPS survey."""
    url = f"sqlite:///{path}"
    engine = create_feedback_engine(url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        site = create_site(session, "Busy Shop", [SHOP_ORIGIN], templates=("nps",))
        session.commit()
        survey = session.scalars(select(Survey).where(Survey.site_id == site.id)).one()
    engine.dispose()
    return url, survey


def holding_the_write_lock(path: Path) -> sqlite3.Connection:
    """Another connection to the database at *path*, in the middle of a write."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE fw_sites SET name = name")
    return holder


def keys_stored(url: str) -> list[str]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return [key for (key,) in connection.execute("SELECT idempotency_key FROM fw_responses ORDER BY id")]


def test_an_sqlite_submission_waits_out_another_writer(tmp_path: Path) -> None:
    url, survey = sqlite_survey(tmp_path / "busy.sqlite")
    engine = create_feedback_engine(url)
    holder = holding_the_write_lock(tmp_path / "busy.sqlite")
    threading.Timer(0.2, holder.commit).start()
    try:
        result = record_response(engine, full_row(survey, "waited"))
    finally:
        engine.dispose()

    assert not result.replayed
    assert keys_stored(url) == ["waited"]


def test_an_sqlite_submission_gives_up_after_the_busy_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, survey = sqlite_survey(tmp_path / "busy.sqlite")
    monkeypatch.setattr("feedbackwidget.core.db.SQLITE_BUSY_TIMEOUT_MS", 50)
    engine = create_feedback_engine(url)
    holder = holding_the_write_lock(tmp_path / "busy.sqlite")
    try:
        with pytest.raises(StorageUnavailable, match="locked"):
            record_response(engine, full_row(survey, "gave-up"))
    finally:
        holder.commit()
        engine.dispose()

    assert keys_stored(url) == []


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


def test_text_is_stored_as_sent_whatever_the_connections_client_encoding(
    make_app: Callable[..., Flask], database_url: str, site: Site, db: Session
) -> None:
    # A LATIN1 connection must get the text in LATIN1: the driver encodes it, not the submit path.
    options = {"connect_args": {"options": "-c client_encoding=LATIN1"}} if database_url.startswith("postgresql") else {}
    app = make_app(FEEDBACKWIDGET_ENGINE_OPTIONS=options, FEEDBACKWIDGET_RATELIMIT_ENABLED=False)
    body = {"survey": "nps", "answers": {"score": 9, "reason": "café"}, "page_url": "https://shop.example/café"}

    submitted = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=body,
                                       headers={"Idempotency-Key": "latin1", "Origin": SHOP_ORIGIN})

    assert submitted.status_code == 201
    response = stored(db, submitted.json["id"])
    assert (response.comment, response.answers["reason"], response.page_url) == (
        "café", "café", "https://shop.example/café")
    if database_url.startswith("postgresql"):
        with get_state(app).engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW client_encoding").scalar() == "LATIN1"


def test_the_submit_path_uses_public_apis_only() -> None:
    # No private attribute (`engine.pool._invalidate`), no driver module: they break on the next upgrade.
    source = Path(feedbackwidget.responses.__file__).read_text()
    tree = ast.parse(source)
    private = [f"line {node.lineno}: .{node.attr}" for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")]
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert private == []
    assert imported.isdisjoint({"psycopg", "psycopg2", "sqlite3", "pg_insert"})
    assert "driver_connection" not in source and "raw_connection" not in source
