"""Admin login sessions and failed-login throttling: plain functions on an ORM session.

A session is a row of ``fw_admin_sessions`` whose id is the SHA-256 of a random
token kept in an HttpOnly cookie: logging out deletes the row, so a copied cookie
is worthless afterwards.  Nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ..accounts import hash_password, normalize_email, verify_password
from ..models import AdminUser, utcnow
from .models import AdminSession, LoginThrottle

# Sessions last at most this long even when used all the time.
ABSOLUTE_LIFETIME = dt.timedelta(hours=12)
# last_seen_at is written at most this often, not on every page view.
TOUCH_INTERVAL = dt.timedelta(seconds=60)
# Old failed-login counters are swept on about one failure in this many.
CLEANUP_ONE_IN = 50


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    lockout: dt.timedelta


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Session, user: AdminUser) -> str:
    """Store a new session for *user*; returns the token for the cookie.

    Sessions past their absolute lifetime are dropped on the way (they can no longer be used).
    """
    db.execute(delete(AdminSession).where(AdminSession.created_at < utcnow() - ABSOLUTE_LIFETIME))
    token = secrets.token_urlsafe(32)
    db.add(AdminSession(id=_token_id(token), user_id=user.id))
    return token


def end_session(db: Session, token: str | None) -> None:
    """Delete the session of *token* (if any)."""
    if token:
        db.execute(delete(AdminSession).where(AdminSession.id == _token_id(token)))


def session_user(db: Session, token: str | None, idle: dt.timedelta) -> AdminUser | None:
    """The user of a live session *token*; expired sessions are deleted."""
    if not token:
        return None
    row = db.get(AdminSession, _token_id(token))
    if row is None:
        return None
    now = utcnow()
    if now - row.last_seen_at > idle or now - row.created_at > ABSOLUTE_LIFETIME:
        db.delete(row)
        db.commit()
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
        db.commit()
    return db.get(AdminUser, row.user_id)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def is_locked(db: Session, email: str) -> bool:
    row = db.get(LoginThrottle, normalize_email(email))
    return row is not None and row.locked_until is not None and row.locked_until > utcnow()


def _forget_old_failures(db: Session, policy: ThrottlePolicy) -> None:
    """Drop counters whose window and lock are over, now and then (guessed addresses pile up)."""
    if secrets.randbelow(CLEANUP_ONE_IN) == 0:
        ended = utcnow() - policy.lockout
        db.execute(delete(LoginThrottle).where(
            LoginThrottle.window_started_at < ended,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < utcnow())))


def _record_failure(db: Session, email: str, policy: ThrottlePolicy) -> None:
    _forget_old_failures(db, policy)
    now = utcnow()
    row = db.get(LoginThrottle, email)
    if row is None:
        row = LoginThrottle(email=email, failures=0, window_started_at=now)
        db.add(row)
    if now - row.window_started_at > policy.lockout:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= policy.max_failures:
        row.locked_until = now + policy.lockout


def authenticate(db: Session, email: str, password: str, policy: ThrottlePolicy) -> AdminUser | None:
    """The user whose *email* and *password* match, else None (and the failure counted).

    An unknown address costs the same work (a hash verified) and is throttled the
    same way as a wrong password, so neither timing nor messages tell them apart.
    """
    email = normalize_email(email)
    if is_locked(db, email):
        verify_password(_dummy_hash(), password)
        return None
    user = db.scalar(select(AdminUser).where(AdminUser.email == email))
    matched = verify_password(user.password_hash if user else _dummy_hash(), password)
    if user is None or not matched:
        _record_failure(db, email, policy)
        db.commit()
        return None
    db.execute(delete(LoginThrottle).where(LoginThrottle.email == email))
    return user
