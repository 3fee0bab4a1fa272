"""Recording survey responses: the submit path, kept to one database round trip.

A submission without side effects is a single ``INSERT ... ON CONFLICT DO NOTHING
RETURNING id`` in autocommit mode, compiled once per database dialect and run on
the pooled driver connection (no ORM, no per-request SQL compilation; on
PostgreSQL a statement prepared once per connection and run through psycopg's
libpq wrapper, see :mod:`feedbackwidget.pg_insert`).  Only when
a hook (an alert rule, a webhook) wants messages written is a transaction
opened, so that the response and its outbox rows are stored together or not at
all.

The engine does not ping a connection before each use (that would be a second
round trip per submission); instead a submission that meets a dropped
connection (a database restart) is retried once on a fresh one.  That is safe:
the ``Idempotency-Key`` makes a repeated insert a replay, never a duplicate.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from sqlalchemy import Connection, Dialect, Engine, Insert, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection

from .db import sqlite_execute_briefly_waiting
from .delivery.outbox import OutboxDraft, enqueue
from .models import Response, utcnow
from .sites import CompiledSurvey

if TYPE_CHECKING:
    from .pg_insert import PqInsert

RESPONSES: Table = Response.__table__  # type: ignore[assignment]
INSERT_COLUMNS: tuple[str, ...] = tuple(column.name for column in RESPONSES.columns if column.name != "id")

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


def _insert_statement(dialect_name: str) -> Insert:
    conflict_columns = ["site_id", "idempotency_key"]
    if dialect_name == "postgresql":
        pg = postgresql.insert(RESPONSES).on_conflict_do_nothing(index_elements=conflict_columns)
        return pg.returning(RESPONSES.c.id)
    if dialect_name == "sqlite":
        lite = sqlite.insert(RESPONSES).on_conflict_do_nothing(index_elements=conflict_columns)
        return lite.returning(RESPONSES.c.id)
    raise RuntimeError(f"{dialect_name} is not supported: use SQLite or PostgreSQL")


@dataclass(frozen=True)
class PreparedInsert:
    """The INSERT's SQL for one dialect and how to turn a row into its driver parameters."""

    sql: str
    positional: bool
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def parameters(self, row: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        values = [row.get(name) for name in self.names]
        values = [value if proc is None or value is None else proc(value)
                  for value, proc in zip(values, self.processors)]
        return values if self.positional else dict(zip(self.names, values))


@functools.lru_cache(maxsize=16)
def prepared_insert(dialect: Dialect) -> PreparedInsert:
    """Compile the response INSERT once for *dialect* (types' bind processors included)."""
    compiled = _insert_statement(dialect.name).compile(dialect=dialect, column_keys=list(INSERT_COLUMNS))
    names = tuple(compiled.positiontup or ()) if compiled.positional else INSERT_COLUMNS
    processors = tuple(RESPONSES.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
    return PreparedInsert(compiled.string, compiled.positional, names, processors)


@functools.lru_cache(maxsize=16)
def pq_insert(dialect: Dialect) -> PqInsert:
    """The INSERT for psycopg's libpq wrapper (see :mod:`feedbackwidget.pg_insert`), compiled once."""
    from .pg_insert import PqInsert  # psycopg is the postgres extra's: imported only when in use

    return PqInsert.compile(_insert_statement("postgresql"), RESPONSES, list(INSERT_COLUMNS), dialect)


def _insert_autocommit(engine: Engine, row: Mapping[str, Any]) -> int | None:
    """Run the prepared INSERT on a pooled driver connection outside a transaction block: one round trip."""
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        raw = engine.raw_connection()
    except dbapi_error as err:  # the pool hands out driver errors unwrapped
        raise DBAPIError.instance(None, None, err, dbapi_error, dialect=engine.dialect) from err
    try:
        if engine.dialect.driver == "psycopg" and _pq_usable(raw):
            return pq_insert(engine.dialect).run(raw, row)
        return _insert_with_cursor(engine, raw, row)
    except dbapi_error as err:
        _raise_translated(engine, raw, err)
    finally:
        raw.close()


def _pq_usable(raw: PoolProxiedConnection) -> bool:
    from .pg_insert import usable

    return usable(raw)


def _insert_with_cursor(engine: Engine, raw: PoolProxiedConnection, row: Mapping[str, Any]) -> int | None:
    prepared = prepared_insert(engine.dialect)
    parameters = prepared.parameters(row)
    with _autocommit(engine, raw):
        if engine.dialect.name == "sqlite":
            driver: Any = raw.driver_connection
            found = sqlite_execute_briefly_waiting(driver, prepared.sql, parameters)
        else:
            cursor = raw.cursor()
            try:
                cursor.execute(prepared.sql, parameters)
                found = cursor.fetchone()
            finally:
                cursor.close()
    return None if found is None else int(found[0])


@contextlib.contextmanager
def _autocommit(engine: Engine, raw: PoolProxiedConnection) -> Iterator[None]:
    """No BEGIN/COMMIT around the single INSERT: the statement commits itself."""
    driver: Any = raw.driver_connection
    if engine.dialect.name == "sqlite":
        # pysqlite's own implicit BEGIN must be off (SQLAlchemy sets it back after an AUTOCOMMIT use).
        if driver.isolation_level is not None:
            driver.isolation_level = None
        yield
        return
    driver.autocommit = True
    try:
        yield
    finally:
        try:
            driver.autocommit = False
        except engine.dialect.loaded_dbapi.Error:
            raw.invalidate()  # a broken connection: never hand it back in autocommit mode


def _raise_translated(engine: Engine, raw: PoolProxiedConnection, err: Any) -> NoReturn:
    """Re-raise a driver error as SQLAlchemy would: dropping the pool's connections on a disconnect."""
    disconnected = engine.dialect.is_disconnect(err, raw.dbapi_connection, None)
    if disconnected:
        # As SQLAlchemy's own Connection does: every pooled connection opened before now is stale.
        engine.pool._invalidate(raw, err)  # noqa: SLF001
    raise DBAPIError.instance(
        None, None, err, engine.dialect.loaded_dbapi.Error, connection_invalidated=disconnected,
        dialect=engine.dialect,
    ) from err


def _existing(connection: Connection, row: Mapping[str, Any]) -> RecordResult:
    found = connection.execute(
        select(RESPONSES.c.id, RESPONSES.c.body_hash).where(
            RESPONSES.c.site_id == row["site_id"], RESPONSES.c.idempotency_key == row["idempotency_key"]
        )
    ).one()
    if found.body_hash != row["body_hash"]:
        raise IdempotencyConflict(row["idempotency_key"])
    return RecordResult(found.id, replayed=True)


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


def _store(engine: Engine, row: dict[str, Any], drafts: Sequence[OutboxDraft]) -> RecordResult:
    if not drafts:
        new_id = _insert_autocommit(engine, row)
        if new_id is not None:
            return RecordResult(new_id, False)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return _existing(connection, row)
    with engine.begin() as connection:
        new_id = connection.execute(_insert_statement(engine.dialect.name), row).scalar()
        if new_id is None:
            return _existing(connection, row)
        enqueue(connection, drafts, response_id=new_id)
        return RecordResult(new_id, False)


def record_response(engine: Engine, row: dict[str, Any], drafts: Sequence[OutboxDraft] = ()) -> RecordResult:
    """Store the response *row* once, with its outbox *drafts* in the same transaction.

    A row whose ``idempotency_key`` is already stored is not stored again: the
    first response's id is returned with ``replayed=True``.

    :raises IdempotencyConflict: when that key was stored with another body.
    :raises StorageUnavailable: when the database cannot take the row now.
    """
    row.setdefault("created_at", utcnow())
    return _with_reconnect(lambda: _store(engine, row, drafts))
