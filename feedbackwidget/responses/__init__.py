"""Recording survey responses: the submit path, one database round trip, public APIs only.

A submission without side effects is a single ``INSERT ... ON CONFLICT DO NOTHING
RETURNING id`` run with SQLAlchemy Core on a pooled connection of an engine created in
``AUTOCOMMIT`` mode: no BEGIN, no COMMIT, the statement commits itself, and nothing is
switched back when the connection returns to the pool.  SQLAlchemy caches the
statement's compiled form; on PostgreSQL psycopg prepares it on the server after
a few uses on a connection (its ``prepare_threshold``: set it to ``None`` in
``FEEDBACKWIDGET_ENGINE_OPTIONS["connect_args"]`` behind PgBouncer in transaction
mode), and encodes every parameter in the connection's ``client_encoding``.  On
SQLite a writer that finds the database locked waits for it with the engine's
busy timeout (see :mod:`feedbackwidget.core.db`).  Only when a hook (an alert rule, a
webhook) wants messages written is a transaction opened, so that the response
and its outbox rows are stored together or not at all.

The engine does not ping a connection before each use (that would be a second
round trip per submission); instead a submission that meets a dropped
connection (a database restart) is retried once on a fresh one: SQLAlchemy has
then invalidated the dropped connection and the pool's older ones.  That is
safe: the ``Idempotency-Key`` makes a repeated insert a replay, never a duplicate.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Insert, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from ..delivery.outbox import OutboxDraft, enqueue
from ..core.models import Response, utcnow
from ..sites import CompiledSurvey

RESPONSES: Table = Response.__table__  # type: ignore[assignment]
CONFLICT_COLUMNS = ("site_id", "idempotency_key")

# Which answer feeds which indexed column, by the question's metric.
METRIC_COLUMNS = {"nps": "nps_score", "csat": "csat", "in_stock": "in_stock", "loyalty": "loyalty_score",
                  "reason": "comment"}

Result = TypeVar("Result")


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used with a different body."""


class StorageUnavailable(Exception):
    """The database cannot store the response now (down, locked, read-only, disk full)."""


@dataclass(frozen=True)
class RecordResult:
    id: int
    replayed: bool


def body_hash(body: Any) -> str:
    """A stable digest of a parsed JSON body (key order and spacing do not matter)."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def metric_values(survey: CompiledSurvey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed score columns for *answers*: the first answered question of each metric."""
    values: dict[str, Any] = {}
    for question in survey.questions:
        column = METRIC_COLUMNS.get(question.metric or "")
        if column and column not in values and question.key in answers:
            values[column] = answers[question.key]
    return values


@functools.lru_cache(maxsize=4)
def insert_statement(dialect_name: str) -> Insert:
    """``INSERT ... ON CONFLICT (site_id, idempotency_key) DO NOTHING RETURNING id`` for *dialect_name*.

    Built once per dialect: SQLAlchemy's compiled cache does the rest.
    """
    if dialect_name == "postgresql":
        pg = postgresql.insert(RESPONSES).on_conflict_do_nothing(index_elements=CONFLICT_COLUMNS)
        return pg.returning(RESPONSES.c.id)
    if dialect_name == "sqlite":
        lite = sqlite.insert(RESPONSES).on_conflict_do_nothing(index_elements=CONFLICT_COLUMNS)
        return lite.returning(RESPONSES.c.id)
    raise RuntimeError(f"{dialect_name} is not supported: use SQLite or PostgreSQL")


def _existing(connection: Connection, row: Mapping[str, Any]) -> RecordResult:
    found = connection.execute(
        select(RESPONSES.c.id, RESPONSES.c.body_hash).where(
            RESPONSES.c.site_id == row["site_id"], RESPONSES.c.idempotency_key == row["idempotency_key"]
        )
    ).one()
    if found.body_hash != row["body_hash"]:
        raise IdempotencyConflict(row["idempotency_key"])
    return RecordResult(found.id, replayed=True)


def _insert(connection: Connection, row: Mapping[str, Any]) -> int | None:
    """The new row's id, or None when its Idempotency-Key is stored already."""
    new_id: int | None = connection.execute(insert_statement(connection.dialect.name), row).scalar()
    return new_id


def _store_alone(engine: Engine, row: Mapping[str, Any]) -> RecordResult:
    """One statement that commits itself on *engine* (an AUTOCOMMIT engine): a single round trip."""
    with engine.connect() as connection:
        new_id = _insert(connection, row)
        return _existing(connection, row) if new_id is None else RecordResult(new_id, replayed=False)


def _store_with_drafts(engine: Engine, row: Mapping[str, Any], drafts: Sequence[OutboxDraft]) -> RecordResult:
    """The response and its outbox messages in one transaction."""
    with engine.begin() as connection:
        new_id = _insert(connection, row)
        if new_id is None:
            return _existing(connection, row)
        enqueue(connection, drafts, response_id=new_id)
        return RecordResult(new_id, replayed=False)


def _with_reconnect(action: Callable[[], Result]) -> Result:
    """Run *action*, once more if the database connection had dropped (e.g. a restart).

    :raises StorageUnavailable: when the database still cannot store the row.
    """
    for attempt in (1, 2):
        try:
            return action()
        except DBAPIError as err:
            if attempt == 1 and err.connection_invalidated:
                continue
            raise StorageUnavailable(str(err.orig)) from err
    raise AssertionError("unreachable")


def record_response(engine: Engine, row: dict[str, Any], drafts: Sequence[OutboxDraft] = (), *,
                    submit_engine: Engine | None = None) -> RecordResult:
    """Store the response *row* once, with its outbox *drafts* in the same transaction.

    *submit_engine* is the same database in AUTOCOMMIT mode (the extension's
    ``submit_engine``), used when there is nothing to store with the row; without it a
    connection of *engine* is switched to AUTOCOMMIT for the statement.

    A row whose ``idempotency_key`` is already stored is not stored again: the
    first response's id is returned with ``replayed=True``.

    :raises IdempotencyConflict: when that key was stored with another body.
    :raises StorageUnavailable: when the database cannot take the row now.
    """
    row.setdefault("created_at", utcnow())
    if drafts:
        return _with_reconnect(lambda: _store_with_drafts(engine, row, drafts))
    alone = submit_engine or engine.execution_options(isolation_level="AUTOCOMMIT")
    return _with_reconnect(lambda: _store_alone(alone, row))
