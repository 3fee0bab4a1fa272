"""The outbox worker: claim due messages, deliver them, record the outcome.

Claiming takes a *lease*: the row becomes ``sending`` with ``next_attempt_at``
set to when the lease ends.  A worker that crashes leaves its rows ``sending``;
once the lease has ended any worker takes them again.  On PostgreSQL the claim
is ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers never take the
same row; on SQLite the claim's transaction is ``BEGIN IMMEDIATE``, which
serialises writers, so the select and the update are one atomic step.

A batch's messages are sent one after another, each of which may take up to twice the
timeout; none starts once less than that is left of the lease (measured on the monotonic
clock from before the claim): those go back to the queue, their attempt not counted, so a
batch may hold more messages than the lease could cover one by one at their slowest.

Every function takes ``now`` so that tests (and the retry schedule) need no sleeping.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Engine, Table, select, update

from ..core import config
from ..core.models import OutboxMessage, utcnow
from .errors import DeliveryError
from .models import Webhook
from .safe_http import Resolver, system_resolver
from .smtp import Mailer, NotAttempted, send_batch
from .webhooks import deliver_webhook, webhook_body

log = logging.getLogger(__name__)
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
WEBHOOKS: Table = Webhook.__table__  # type: ignore[assignment]
BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 6 * 3600.0
CLAIM_BATCH = 20
#: Where an app keeps its refusal hooks (see :func:`on_permanent_refusal`).
REFUSAL_HOOKS_KEY = "delivery.refusal_hooks"
#: Called, in the transaction that marks the message failed, with the message's row and the address
#: its mail server refused for good (a 5xx reply to RCPT TO).
RefusalHook = Callable[[Connection, Mapping[str, Any], str], None]


def on_permanent_refusal(app: Flask, hook: RefusalHook) -> None:
    """Call *hook* whenever the mail server of one of *app*'s messages refuses its recipient for good."""
    from ..core.state import get_state

    hooks: list[RefusalHook] = get_state(app).extras.setdefault(REFUSAL_HOOKS_KEY, [])
    if hook not in hooks:
        hooks.append(hook)


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs from its app: where mail goes, and the settings of delivery."""

    mailer: Mailer
    max_attempts: int = 8
    lease_seconds: float = 120.0
    webhook_timeout: float = 10.0
    allow_private_webhooks: bool = False
    resolve: Resolver = field(default=system_resolver)
    refusal_hooks: tuple[RefusalHook, ...] = ()

    @classmethod
    def for_app(cls, app: Flask) -> WorkerSettings:
        from ..core.state import get_state

        app_config = app.config
        return cls(
            refusal_hooks=tuple(get_state(app).extras.get(REFUSAL_HOOKS_KEY, ())),
            mailer=Mailer.for_app(app, float(app_config[config.SMTP_TIMEOUT_SECONDS])),
            max_attempts=int(app_config[config.OUTBOX_MAX_ATTEMPTS]),
            lease_seconds=float(app_config[config.OUTBOX_LEASE_SECONDS]),
            webhook_timeout=float(app_config[config.WEBHOOK_TIMEOUT_SECONDS]),
            allow_private_webhooks=bool(app_config[config.ALLOW_PRIVATE_WEBHOOKS]),
        )


def backoff_seconds(attempts: int, rng: random.Random | None = None) -> float:
    """How long to wait after the *attempts*-th failure: doubling, capped, with jitter (50-100 %)."""
    delay: float = min(BACKOFF_BASE_SECONDS * 2.0 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)
    jitter: float = (rng or random).random()
    return delay * (0.5 + jitter / 2)


def claim(engine: Engine, now: dt.datetime, lease_seconds: float, limit: int = CLAIM_BATCH) -> list[dict[str, Any]]:
    """Take up to *limit* due messages (pending, or sending with an ended lease) for this worker."""
    due = select(OUTBOX.c.id).where(
        OUTBOX.c.status.in_(("pending", "sending")), OUTBOX.c.next_attempt_at <= now
    ).order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id).limit(limit)
    if engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with engine.begin() as connection:
        ids = list(connection.scalars(due))
        if not ids:
            return []
        connection.execute(
            update(OUTBOX).where(OUTBOX.c.id.in_(ids)).values(
                status="sending", attempts=OUTBOX.c.attempts + 1,
                next_attempt_at=now + dt.timedelta(seconds=lease_seconds),
            )
        )
        rows = connection.execute(select(OUTBOX).where(OUTBOX.c.id.in_(ids)).order_by(OUTBOX.c.id))
        return [dict(row) for row in rows.mappings()]


def deliver(engine: Engine, settings: WorkerSettings, row: Mapping[str, Any], now: dt.datetime) -> None:
    """Hand *row* over to the mail server or the webhook's URL.

    :raises DeliveryError: when that failed.
    """
    if row["kind"] == "mail":
        error = send_batch(settings.mailer, [row])[0]
        if error is not None:
            raise error
        return
    if row["kind"] != "webhook":
        raise DeliveryError(f"unknown message kind {row['kind']!r}", permanent=True)
    payload = row["payload"] or {}
    with engine.connect() as connection:
        hook = connection.execute(select(WEBHOOKS).where(WEBHOOKS.c.id == payload.get("webhook_id"))).first()
    if hook is None or not hook.active:
        raise DeliveryError("the webhook was deleted or disabled: nothing to send", permanent=True)
    deliver_webhook(hook.url, hook.secret, webhook_body(payload, row["message_id"]),
                    allow_private=settings.allow_private_webhooks, timeout=settings.webhook_timeout,
                    resolve=settings.resolve, now=now.timestamp())


def _owned(row: Mapping[str, Any]) -> Any:
    # Only the worker still holding the lease may record an outcome.
    return (OUTBOX.c.id == row["id"]) & (OUTBOX.c.status == "sending") & (OUTBOX.c.attempts == row["attempts"])


def mark_sent(engine: Engine, row: Mapping[str, Any], now: dt.datetime) -> None:
    with engine.begin() as connection:
        connection.execute(update(OUTBOX).where(_owned(row)).values(status="sent", sent_at=now, last_error=None))


def mark_failed_attempt(
    engine: Engine, settings: WorkerSettings, row: Mapping[str, Any], error: DeliveryError, now: dt.datetime
) -> str:
    """Schedule a retry, or give up (permanent error, or no attempts left); the new status."""
    final = error.permanent or row["attempts"] >= settings.max_attempts
    values: dict[str, Any] = {"status": "failed" if final else "pending", "last_error": str(error)[:2000]}
    if not final:
        values["next_attempt_at"] = now + dt.timedelta(seconds=backoff_seconds(row["attempts"]))
    with engine.begin() as connection:
        marked = connection.execute(update(OUTBOX).where(_owned(row)).values(**values)).rowcount
        if marked and error.refused_address is not None:
            for hook in settings.refusal_hooks:
                hook(connection, {**row, **values}, error.refused_address)
    return str(values["status"])


def process(engine: Engine, settings: WorkerSettings, row: Mapping[str, Any], now: dt.datetime) -> str:
    """Deliver one claimed *row* and record the outcome: ``sent``, ``pending`` (retry) or ``failed``."""
    try:
        deliver(engine, settings, row, now)
    except DeliveryError as err:
        return mark_failed_attempt(engine, settings, row, err, now)
    except Exception as err:  # a bad row must not stop the worker; it fails after its attempts
        log.exception("feedbackwidget: could not deliver outbox message %s", row["id"])
        return mark_failed_attempt(engine, settings, row, DeliveryError(repr(err), permanent=False), now)
    mark_sent(engine, row, now)
    return "sent"


def process_mails(engine: Engine, settings: WorkerSettings, rows: Sequence[Mapping[str, Any]],
                  now: dt.datetime, deadline: float | None = None) -> list[str]:
    """Deliver claimed mail *rows* over one SMTP connection (none started after *deadline*, a
    :func:`time.monotonic` value: those are released) and record each outcome."""
    if not rows:
        return []
    try:
        errors = send_batch(settings.mailer, rows, deadline)
    except Exception as err:  # a bad row must not stop the worker; the batch fails after its attempts
        log.exception("feedbackwidget: could not deliver a batch of %d outbox mails", len(rows))
        errors = [DeliveryError(repr(err), permanent=False)] * len(rows)
    release(engine, [row for row, error in zip(rows, errors) if isinstance(error, NotAttempted)], now)
    failed = [(row, error) for row, error in zip(rows, errors) if error is not None and not isinstance(error, NotAttempted)]
    mark_sent_many(engine, [row for row, error in zip(rows, errors) if error is None], now)
    statuses = {row["id"]: mark_failed_attempt(engine, settings, row, error, now) for row, error in failed}
    statuses.update({row["id"]: "released" for row, error in zip(rows, errors) if isinstance(error, NotAttempted)})
    return [statuses.get(row["id"], "sent") for row in rows]


def _update_owned(connection: Connection, rows: Sequence[Mapping[str, Any]], **values: Any) -> None:
    """Update the *rows* this worker still holds (claimed with these attempts), one statement per attempts count."""
    for attempts in {row["attempts"] for row in rows}:
        ids = [row["id"] for row in rows if row["attempts"] == attempts]
        connection.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids), OUTBOX.c.status == "sending",
                                                OUTBOX.c.attempts == attempts).values(**values))


def mark_sent_many(engine: Engine, rows: Sequence[Mapping[str, Any]], now: dt.datetime) -> None:
    """Record *rows* as sent, in one transaction."""
    if rows:
        with engine.begin() as connection:
            _update_owned(connection, rows, status="sent", sent_at=now, last_error=None)


def release(engine: Engine, rows: Sequence[Mapping[str, Any]], now: dt.datetime) -> None:
    """Put claimed *rows* that were not attempted back in the queue, due at *now*, their attempt not counted."""
    if rows:
        with engine.begin() as connection:
            _update_owned(connection, rows, status="pending", attempts=OUTBOX.c.attempts - 1, next_attempt_at=now)


def run_once(
    engine: Engine, settings: WorkerSettings, now: dt.datetime | None = None, limit: int = CLAIM_BATCH
) -> Counter[str]:
    """Claim and deliver one batch of due messages (its mails over one connection); how many ended in each
    status (``released``: not attempted before the lease ran short, due again at once)."""
    now = now or utcnow()
    outcomes: Counter[str] = Counter()
    # No message starts unless the slowest send still ends within the lease, or another worker retakes it.
    slowest = 2 * max(settings.mailer.timeout, settings.webhook_timeout)
    deadline = time.monotonic() + settings.lease_seconds - slowest
    rows = claim(engine, now, settings.lease_seconds, limit)
    outcomes.update(process_mails(engine, settings, [row for row in rows if row["kind"] == "mail"], now, deadline))
    for row in rows:
        if row["kind"] == "mail":
            continue
        if outcomes and time.monotonic() >= deadline:
            release(engine, [row], now)
            outcomes["released"] += 1
        else:
            outcomes[process(engine, settings, row, now)] += 1
    return outcomes


def drain(engine: Engine, settings: WorkerSettings, now: dt.datetime | None = None,
          limit: int = CLAIM_BATCH) -> Counter[str]:
    """Run batches (each batch's mails over one SMTP connection) until nothing is due at *now*; how many
    ended in each status."""
    total: Counter[str] = Counter()
    while True:
        outcomes = run_once(engine, settings, now, limit)
        if not outcomes:
            return total
        released = outcomes.pop("released", 0)
        total.update(outcomes)
        if released and not outcomes:  # nothing could start in a whole batch: leave the rest to the next drain
            return total
