"""Failed-login throttling: a limit per client network and a growing delay per account.

- **Per network** (an IPv4 address, an IPv6 /64): after ``max_failures`` failed logins in
  one window, every further attempt from there is refused until the window ends.  A stranger
  only ever blocks their own network.
- **Per account** (known or not, so the answers never tell them apart): the first
  :data:`ACCOUNT_FREE_FAILURES` failures cost nothing; each further one makes the account's next
  attempt wait :data:`ACCOUNT_DELAYS` (1 s, 2 s, 4 s... at most a minute), from any network.
  The owner is never locked out for longer than that: a guesser spread over many networks
  gets one guess a minute, the owner gets in between.  A success clears the account's count.

Every attempt is counted *before* its password is checked, in one ``INSERT ... ON CONFLICT
DO UPDATE ... RETURNING`` statement per subject (atomic on SQLite and PostgreSQL alike), so
concurrent guesses can neither slip past a limit nor lose a count.  Every attempt counts
for the network, refused ones too; a success refunds its own.  No password is hashed while these rows are locked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ...core.models import UTCDateTime
from ..ratelimit import client_key
from ...accounts.models import LoginThrottle

# An account's first failures are free (typos); the next attempt after each later one waits this long.
ACCOUNT_FREE_FAILURES = 3
ACCOUNT_DELAYS = tuple(dt.timedelta(seconds=s) for s in (1, 2, 4, 8, 15, 30, 60))
# Old counters are swept on about one attempt in this many (guessed addresses pile up).
CLEANUP_ONE_IN = 50

_table = LoginThrottle.__table__


@dataclass(frozen=True)
class ThrottlePolicy:
    """*max_failures* failed logins per network in each *window*."""

    max_failures: int
    window: dt.timedelta


@dataclass(frozen=True)
class Throttled:
    """An attempt refused without checking its password: *subject* waits *retry_after* seconds."""

    subject: Literal["network", "account"]
    retry_after: int


def account_key(email: str) -> str:
    """The counter key of an account; the e-mail itself is not stored."""
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def network_key(client_ip: str, secret: str) -> str:
    """The counter key of the network *client_ip* belongs to (a keyed hash: no address is stored)."""
    return "address:" + hmac.new(secret.encode(), client_key(client_ip).encode(), hashlib.sha256).hexdigest()


def account_delay(failures: int) -> dt.timedelta:
    """How long an account's next attempt waits after *failures* failures in a row."""
    if failures <= ACCOUNT_FREE_FAILURES:
        return dt.timedelta(0)
    return ACCOUNT_DELAYS[min(failures - ACCOUNT_FREE_FAILURES, len(ACCOUNT_DELAYS)) - 1]


def _insert(db: Session) -> Any:
    dialect = db.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(LoginThrottle)
    if dialect == "postgresql":
        return postgresql.insert(LoginThrottle)
    raise RuntimeError(f"login throttling supports SQLite and PostgreSQL, not {dialect}")


def _at(moment: dt.datetime) -> ColumnElement[Any]:
    return literal(moment, UTCDateTime())


def _counted(now: dt.datetime, window: dt.timedelta) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The row's failure count and window start after one more failure (a stale window starts anew)."""
    stale = _table.c.window_started_at < _at(now - window)
    return (case((stale, 1), else_=_table.c.failures + 1),
            case((stale, _at(now)), else_=_table.c.window_started_at))


def _sweep(db: Session, now: dt.datetime, window: dt.timedelta) -> None:
    if secrets.randbelow(CLEANUP_ONE_IN) == 0:
        db.execute(delete(LoginThrottle).where(LoginThrottle.window_started_at < now - window,
                                               LoginThrottle.next_attempt_at < now))


def count_network_attempt(db: Session, key: str, policy: ThrottlePolicy, now: dt.datetime) -> Throttled | None:
    """Count an attempt from the network *key*; refused when it is over the limit."""
    _sweep(db, now, policy.window)
    failures, started = _counted(now, policy.window)
    statement = _insert(db).values(key=key, failures=1, window_started_at=now, next_attempt_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[_table.c.key], set_={"failures": failures, "window_started_at": started},
    ).returning(_table.c.failures, _table.c.window_started_at)
    row = db.execute(statement).one()
    if row.failures <= policy.max_failures:
        return None
    return Throttled("network", _seconds_until(row.window_started_at + policy.window, now))


def count_account_attempt(db: Session, key: str, window: dt.timedelta, now: dt.datetime) -> Throttled | None:
    """Count an attempt on the account *key* unless its delay is still running (then refused, not counted)."""
    failures, _ = _counted(now, window)
    waits = [(failures == n, _at(now + account_delay(n)))
             for n in range(ACCOUNT_FREE_FAILURES + 1, ACCOUNT_FREE_FAILURES + len(ACCOUNT_DELAYS))]
    next_attempt = case((failures <= ACCOUNT_FREE_FAILURES, _at(now)), *waits, else_=_at(now + ACCOUNT_DELAYS[-1]))
    statement = _insert(db).values(key=key, failures=1, window_started_at=now, next_attempt_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[_table.c.key], where=_table.c.next_attempt_at <= _at(now),
        # An account's window restarts with each attempt: its count fades only after a quiet window.
        set_={"failures": failures, "window_started_at": _at(now), "next_attempt_at": next_attempt},
    ).returning(_table.c.failures)
    if db.execute(statement).first() is not None:
        return None
    waits_until = db.scalar(select(LoginThrottle.next_attempt_at).where(LoginThrottle.key == key))
    return Throttled("account", _seconds_until(waits_until or now, now))


def refund_network_attempt(db: Session, key: str) -> None:
    """Take back an attempt counted on the network *key* (it was a success)."""
    db.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.failures > 0)
               .values(failures=LoginThrottle.failures - 1))


def clear_account(db: Session, key: str) -> None:
    """Forget an account's failures (after a successful login or a new password)."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


__all__ = ["ThrottlePolicy", "Throttled", "account_key", "network_key", "account_delay",
           "count_network_attempt", "count_account_attempt", "refund_network_attempt", "clear_account"]
