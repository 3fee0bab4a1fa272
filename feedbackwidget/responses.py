"""Recording survey responses: the submit path, kept to one database round trip.

A submission without side effects is a single ``INSERT ... ON CONFLICT DO NOTHING
RETURNING id`` in autocommit mode.  Only when a hook (an alert rule, a webhook)
wants messages written is a transaction opened, so that the response and its
outbox rows are stored together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Insert, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from .delivery.outbox import OutboxDraft, enqueue
from .models import Response, utcnow
from .sites import CompiledSurvey

RESPONSES: Table = Response.__table__  # type: ignore[assignment]

# Which answer feeds which indexed column, by the question's metric.
METRIC_COLUMNS = {"nps": "nps_score", "csat": "csat", "in_stock": "in_stock", "loyalty": "loyalty_score",
                  "reason": "comment"}


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used with a different body."""


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


def _insert_statement(engine: Engine) -> Insert:
    conflict_columns = ["site_id", "idempotency_key"]
    if engine.dialect.name == "postgresql":
        pg = postgresql.insert(RESPONSES).on_conflict_do_nothing(index_elements=conflict_columns)
        return pg.returning(RESPONSES.c.id)
    if engine.dialect.name == "sqlite":
        lite = sqlite.insert(RESPONSES).on_conflict_do_nothing(index_elements=conflict_columns)
        return lite.returning(RESPONSES.c.id)
    raise RuntimeError(f"{engine.dialect.name} is not supported: use SQLite or PostgreSQL")


def _existing(connection: Connection, row: Mapping[str, Any]) -> RecordResult:
    found = connection.execute(
        select(RESPONSES.c.id, RESPONSES.c.body_hash).where(
            RESPONSES.c.site_id == row["site_id"], RESPONSES.c.idempotency_key == row["idempotency_key"]
        )
    ).one()
    if found.body_hash != row["body_hash"]:
        raise IdempotencyConflict(row["idempotency_key"])
    return RecordResult(found.id, replayed=True)


def record_response(engine: Engine, row: dict[str, Any], drafts: Sequence[OutboxDraft] = ()) -> RecordResult:
    """Store the response *row* once, with its outbox *drafts* in the same transaction.

    A row whose ``idempotency_key`` is already stored is not stored again: the
    first response's id is returned with ``replayed=True``.

    :raises IdempotencyConflict: when that key was stored with another body.
    """
    row.setdefault("created_at", utcnow())
    statement = _insert_statement(engine)
    if not drafts:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            new_id = connection.execute(statement, row).scalar()
            return RecordResult(new_id, False) if new_id is not None else _existing(connection, row)
    with engine.begin() as connection:
        new_id = connection.execute(statement, row).scalar()
        if new_id is None:
            return _existing(connection, row)
        enqueue(connection, drafts, response_id=new_id)
        return RecordResult(new_id, False)
