"""The submit path's INSERT on PostgreSQL, through psycopg's libpq wrapper.

For a single ``INSERT ... RETURNING id`` psycopg's cursor costs the web worker
more CPU than the statement costs the database: a cursor and its transformer
per call, a dumper looked up for each of the sixteen parameters, its own
prepare bookkeeping (about 0.1 ms of the ~0.25 ms a submission spent on the
database, measured in bench/RESULTS.md).  Here the statement is prepared once
per connection under a fixed name and run with ``PQexecPrepared``
(:meth:`psycopg.pq.PGconn.exec_prepared`), its parameters encoded as text by
encoders chosen once from the table's column types.

Nothing else changes: the statement runs outside any transaction block (the
server commits it on its own, one round trip, as psycopg's autocommit mode
would), failures are raised as the :class:`psycopg.Error` psycopg's cursor
would raise, so SQLAlchemy recognises a dropped connection as before, and a
statement the server forgot (``DISCARD ALL`` from a connection pooler) is
prepared again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import pq
from psycopg.errors import error_from_result
from sqlalchemy import Dialect, Insert, Table, types
from sqlalchemy.dialects.postgresql import psycopg as psycopg_dialect
from sqlalchemy.pool import PoolProxiedConnection

STATEMENT_NAME = b"feedbackwidget_insert_response"
PREPARED_INFO_KEY = "feedbackwidget_insert_prepared"  # in the pool's per-connection info: gone on reconnect
INVALID_STATEMENT_NAME = b"26000"  # "prepared statement ... does not exist"
DUPLICATE_PREPARED_STATEMENT = b"42P05"

Encoder = Callable[[Any], bytes]


def _integer(value: Any) -> bytes:
    if isinstance(value, bool) or not isinstance(value, int):
        raise psycopg.DataError(f"an integer column was given {value!r}")
    return b"%d" % value


def _boolean(value: Any) -> bytes:
    if not isinstance(value, bool):
        raise psycopg.DataError(f"a boolean column was given {value!r}")
    return b"true" if value else b"false"


def _text(value: Any) -> bytes:
    text = str(value)
    if "\x00" in text:  # libpq would cut the text there: refuse it, as psycopg does
        raise psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return text.encode()


def _timestamp(value: Any) -> bytes:
    return value.isoformat().encode()  # type: ignore[no-any-return]


def column_encoder(column_type: types.TypeEngine[Any], dialect: Dialect, json_dumps: Callable[[Any], str]) -> Encoder:
    """How a non-NULL value of *column_type* is sent as text (a type decorator's bind step first)."""
    if isinstance(column_type, types.TypeDecorator):
        decorator: types.TypeDecorator[Any] = column_type
        inner = column_encoder(decorator.impl_instance, dialect, json_dumps)
        return lambda value: inner(decorator.process_bind_param(value, dialect))
    if isinstance(column_type, types.JSON):
        return lambda value: json_dumps(value).encode()
    if isinstance(column_type, types.Boolean):
        return _boolean
    if isinstance(column_type, types.Integer):
        return _integer
    if isinstance(column_type, types.DateTime):
        return _timestamp
    if isinstance(column_type, types.String):
        return _text
    raise TypeError(f"no text encoding for {column_type!r}: add one to feedbackwidget/pg_insert.py")


@dataclass(frozen=True)
class PqInsert:
    """An INSERT ... RETURNING id, compiled with ``$n`` parameters, and the encoders of its columns."""

    sql: bytes
    names: tuple[str, ...]
    encoders: tuple[Encoder, ...]

    @classmethod
    def compile(cls, statement: Insert, table: Table, columns: list[str], dialect: Dialect) -> PqInsert:
        numbered = psycopg_dialect.dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
        compiled = statement.compile(dialect=numbered, column_keys=columns)
        names = tuple(compiled.positiontup or ())
        json_dumps: Callable[[Any], str] = getattr(dialect, "_json_serializer", None) or json.dumps
        encoders = tuple(column_encoder(table.c[name].type, dialect, json_dumps) for name in names)
        return cls(compiled.string.encode(), names, encoders)

    def parameters(self, row: Mapping[str, Any]) -> list[bytes | None]:
        values = [row.get(name) for name in self.names]
        return [None if value is None else encode(value) for value, encode in zip(values, self.encoders)]

    def run(self, raw: PoolProxiedConnection, row: Mapping[str, Any]) -> int | None:
        """Insert *row* on the pooled psycopg connection *raw*: its id, or None if the statement skipped it.

        :raises psycopg.Error: as psycopg's cursor would (a dropped connection, a constraint, ...).
        """
        connection: psycopg.Connection[Any] = raw.driver_connection  # type: ignore[assignment]
        pgconn = connection.pgconn
        parameters = self.parameters(row)
        for attempt in (1, 2):
            if not raw.info.get(PREPARED_INFO_KEY):
                self._prepare(connection)
                raw.info[PREPARED_INFO_KEY] = True
            # None is SQL NULL (libpq takes a null pointer; psycopg's own calls pass None too).
            result = pgconn.exec_prepared(STATEMENT_NAME, parameters)  # type: ignore[arg-type]
            if result.status == pq.ExecStatus.TUPLES_OK:
                return None if result.ntuples == 0 else int(result.get_value(0, 0) or b"")
            if attempt == 1 and result.error_field(pq.DiagnosticField.SQLSTATE) == INVALID_STATEMENT_NAME:
                del raw.info[PREPARED_INFO_KEY]  # the server forgot it: prepare it again
                continue
            raise error_from_result(result, connection.info.encoding)
        raise AssertionError("unreachable")

    def _prepare(self, connection: psycopg.Connection[Any]) -> None:
        result = connection.pgconn.prepare(STATEMENT_NAME, self.sql)
        if result.status == pq.ExecStatus.COMMAND_OK:
            return
        if result.error_field(pq.DiagnosticField.SQLSTATE) == DUPLICATE_PREPARED_STATEMENT:
            return  # prepared on this connection already
        raise error_from_result(result, connection.info.encoding)


def usable(raw: PoolProxiedConnection) -> bool:
    """Whether *raw* is a psycopg connection outside any transaction (the pool hands them out so)
    that may keep prepared statements: ``prepare_threshold=None`` in the engine's ``connect_args``
    (as behind PgBouncer in transaction mode) turns them off for psycopg and for this path alike."""
    connection = raw.driver_connection
    return (isinstance(connection, psycopg.Connection)
            and connection.prepare_threshold is not None
            and connection.pgconn.transaction_status == pq.TransactionStatus.IDLE)
