"""feedbackwidget's own database engine and sessions, separate from any host app's.

SQLite (the embedded default) is set up for concurrent writers: WAL journal, a
busy timeout, and two kinds of transaction, so that reading never blocks writing:

- A *write unit* begins ``BEGIN IMMEDIATE``: it takes the write lock at its first
  statement (waiting for the busy timeout), so two writers queue instead of failing
  with "database is locked", and what it read stays true until it commits.  This is
  the default: any session the code does not say only reads (the CLI, the workers,
  a POST, PUT, PATCH or DELETE request).
- A *read* begins ``BEGIN DEFERRED``: in WAL mode it reads a snapshot and takes no
  lock a writer waits for.  Sessions of GET, HEAD and OPTIONS requests read (see
  :func:`request_session`), and so does anything bound to :func:`reading_engine`.

A read that then writes (a GET request's bookkeeping: an admin session's last-seen
time, a chosen language) must not upgrade its snapshot to the write lock: once
another connection has committed since the snapshot began, SQLite refuses at once
with ``SQLITE_BUSY_SNAPSHOT``, without waiting.  So the first writing statement of
a read ends the read (nothing to commit) and begins a write unit
(``BEGIN IMMEDIATE``) before it runs.  The price: what was read before is not held
under the lock, so a read path writes only what needs no such guarantee.
PostgreSQL goes through psycopg 3; its reads never block writes, so nothing of
this applies there.

Pooled PostgreSQL connections are not pinged before every use (SQLAlchemy's
``pool_pre_ping`` costs a round trip per request, as much as the submission's
own INSERT); only a connection that sat idle for ``IDLE_PING_SECONDS`` is
pinged, and a dead one is replaced at once.  A connection that dropped while in
use (a database restart under load) fails its statement: SQLAlchemy then marks
every older pooled connection stale, and the submit path retries once
(see :mod:`feedbackwidget.responses`).  Set ``FEEDBACKWIDGET_ENGINE_OPTIONS =
{"pool_pre_ping": True}`` to ping always.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import click
from flask import g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
IDLE_PING_SECONDS = 5.0
_CHECKED_IN_AT = "feedbackwidget_checked_in_at"
SESSION_G_KEY = "_feedbackwidget_session"
# The execution option choosing how a SQLite transaction begins: DEFERRED (a read) or IMMEDIATE.
BEGIN_OPTION = "feedbackwidget_begin"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_READING_STATEMENTS = ("SELECT", "PRAGMA", "EXPLAIN")
_WRITING = "feedbackwidget_writing"
POSTGRES_DRIVER = "postgresql+psycopg"
POSTGRES_DRIVER_MISSING = 'PostgreSQL needs the psycopg driver: pip install "feedbackwidget[postgres]"'


class MissingDriverError(click.ClickException, RuntimeError):
    """The database URL's driver is not installed.  A :class:`click.ClickException` too, so
    ``feedbackwidget ...`` and ``flask run`` print its one line instead of a traceback."""


def default_database_url(instance_path: str) -> str:
    """The embedded default: ``feedbackwidget.sqlite`` in the app's instance folder.

    A new instance folder is made 0700 and a new database file 0600: only the server's user
    reads the answers (SQLite gives its ``-wal`` and ``-shm`` files the database file's mode).
    An existing folder or file keeps its mode.
    """
    os.makedirs(instance_path, mode=0o700, exist_ok=True)
    path = os.path.join(instance_path, "feedbackwidget.sqlite")
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # SQLite takes an empty file
    except FileExistsError:
        pass
    return "sqlite:///" + path


def normalize_url(url: str | URL) -> URL:
    """Use psycopg 3 for a bare ``postgresql://`` URL."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=POSTGRES_DRIVER)
    return parsed


def create_feedback_engine(url: str | URL, options: dict[str, Any] | None = None, *,
                           autocommit: bool = False) -> Engine:
    """Create the engine for *url* with the settings each backend needs.

    With *autocommit* every statement commits itself (the submit path's engine: no BEGIN, no
    COMMIT, and, unlike a connection switched to AUTOCOMMIT per use, nothing to switch back
    when a connection returns to its pool).
    """
    parsed = normalize_url(url)
    kwargs: dict[str, Any] = dict(options or {})
    if autocommit:
        kwargs["isolation_level"] = "AUTOCOMMIT"
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).update(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine, transactions=not autocommit)
        return engine
    engine = _create_server_engine(parsed, kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_idle_connections(engine)
    return engine


def _create_server_engine(url: URL, kwargs: dict[str, Any]) -> Engine:
    try:
        return create_engine(url, **kwargs)
    except ImportError as err:  # psycopg is the optional "postgres" extra
        if url.drivername != POSTGRES_DRIVER:
            raise
        raise MissingDriverError(POSTGRES_DRIVER_MISSING) from err


def _ping_idle_connections(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, connection_record: Any) -> None:
        connection_record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
        checked_in_at = connection_record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as err:
            # The pool discards this connection and checks out a fresh one.
            raise DisconnectionError("idle database connection is dead") from err


def _configure_sqlite(engine: Engine, transactions: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    if transactions:
        _begin_transactions_ourselves(engine)


def _begin_transactions_ourselves(engine: Engine) -> None:
    """BEGIN IMMEDIATE for writes, DEFERRED for reads (see the module's docstring)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, connection_record: Any) -> None:
        # Returning an AUTOCOMMIT connection to the pool resets pysqlite to its implicit
        # transactions; this engine wants none (see _on_connect), so undo that.
        if dbapi_connection is not None:
            dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") != "AUTOCOMMIT":
            mode = "DEFERRED" if options.get(BEGIN_OPTION) == "DEFERRED" else "IMMEDIATE"
            connection.exec_driver_sql(f"BEGIN {mode}")
            connection.info[_WRITING] = mode == "IMMEDIATE"

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> None:
        if connection.info.get(_WRITING, True) or not _writes(statement, context):
            return
        connection.info[_WRITING] = True
        if cursor.connection.in_transaction:  # a read's snapshot: end it, then wait for the write lock
            cursor.connection.execute("COMMIT")
            cursor.connection.execute("BEGIN IMMEDIATE")


def _writes(statement: str, context: Any) -> bool:
    """Whether *statement* may write (anything but a plain read counts)."""
    if context is not None and context.is_crud:
        return True
    return not statement.lstrip()[:7].upper().startswith(_READING_STATEMENTS)


@lru_cache(maxsize=16)
def reading_engine(engine: Engine) -> Engine:
    """*engine* for sessions that only read: on SQLite their transactions begin DEFERRED,
    holding no lock a writer waits for (see the module's docstring)."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def request_session(factory: sessionmaker[Session]) -> Session:
    """The ORM session of the current app context, opened on first use.

    In a GET, HEAD or OPTIONS request it reads (:func:`reading_engine`): a page
    that only shows data never holds SQLite's write lock while it renders.
    """
    session: Session | None = g.get(SESSION_G_KEY)
    if session is None:
        session = factory()
        if has_request_context() and request.method in READING_METHODS:
            session.bind = reading_engine(session.get_bind())
        setattr(g, SESSION_G_KEY, session)
    return session


def close_request_session(exc: BaseException | None = None) -> None:
    """Teardown: close the app context's session, rolling back anything uncommitted."""
    session: Session | None = g.pop(SESSION_G_KEY, None)
    if session is not None:
        session.close()


@contextmanager
def export_session(engine: Engine) -> Iterator[Session]:
    """A session of its own for a streamed download, which outlives the request's session.

    On SQLite it reads without a transaction: every transaction here begins
    IMMEDIATE (a write lock), which a long download must not hold.
    """
    bind = engine.execution_options(isolation_level="AUTOCOMMIT") if engine.dialect.name == "sqlite" else engine
    with Session(bind) as session:
        yield session


def dialect_insert(dialect_name: str, table: Any) -> sqlite.Insert | postgresql.Insert:
    """``INSERT`` into *table* in the dialect's own flavour, which has the ``ON CONFLICT`` clauses
    (SQLite and PostgreSQL spell them alike: ``on_conflict_do_nothing``, ``on_conflict_do_update``)."""
    return postgresql.insert(table) if dialect_name == "postgresql" else sqlite.insert(table)
