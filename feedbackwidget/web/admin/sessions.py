"""Admin login sessions and logging in: plain functions on an ORM session.

A session is a row of ``fw_admin_sessions`` whose id is the SHA-256 of a random
token kept in an HttpOnly cookie: logging out deletes the row, so a copied cookie
is worthless afterwards.  Nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...accounts import hash_password, normalize_email, verify_password
from ...core.models import AdminUser, utcnow
from .login_throttle import (
    ThrottlePolicy,
    Throttled,
    account_key,
    clear_account,
    count_account_attempt,
    count_network_attempt,
    refund_network_attempt,
)
from ...accounts.models import AdminSession

# Sessions last at most this long even when used all the time.
ABSOLUTE_LIFETIME = dt.timedelta(hours=12)
# last_seen_at is written at most this often, not on every page view.
TOUCH_INTERVAL = dt.timedelta(seconds=60)
USER_AGENT_LENGTH = 300


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Session, user: AdminUser, user_agent: str = "") -> str:
    """Store a new session for *user* on the browser *user_agent*; returns the token for the cookie.

    Sessions past their absolute lifetime are dropped on the way (they can no longer be used).
    """
    db.execute(delete(AdminSession).where(AdminSession.created_at < utcnow() - ABSOLUTE_LIFETIME))
    token = secrets.token_urlsafe(32)
    db.add(AdminSession(id=_token_id(token), user_id=user.id, user_agent=user_agent[:USER_AGENT_LENGTH]))
    return token


def sessions_of(db: Session, user_id: int, idle: dt.timedelta) -> list[AdminSession]:
    """The live sessions of the user *user_id* (used within *idle*), most recently used first."""
    now = utcnow()
    query = (select(AdminSession).where(AdminSession.user_id == user_id, AdminSession.last_seen_at >= now - idle,
                                        AdminSession.created_at >= now - ABSOLUTE_LIFETIME)
             .order_by(AdminSession.last_seen_at.desc()))
    return list(db.scalars(query))


def is_current(session: AdminSession, token: str | None) -> bool:
    """Whether *session* is the one of the cookie *token*."""
    return bool(token) and session.id == _token_id(token or "")


def end_user_session(db: Session, user_id: int, session_id: str) -> bool:
    """End the session *session_id* if it is one of the user *user_id*'s; whether one was ended."""
    ended = db.execute(delete(AdminSession).where(AdminSession.id == session_id, AdminSession.user_id == user_id))
    return bool(ended.rowcount)  # type: ignore[attr-defined]


def end_other_sessions(db: Session, user_id: int, keep_token: str | None = None) -> None:
    """End every session of the user *user_id* except the one of *keep_token* (after a password change)."""
    query = delete(AdminSession).where(AdminSession.user_id == user_id)
    if keep_token:
        query = query.where(AdminSession.id != _token_id(keep_token))
    db.execute(query)


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


def _count_attempt(db: Session, email: str, network: str, policy: ThrottlePolicy) -> Throttled | None:
    now = utcnow()
    refused = count_network_attempt(db, network, policy, now)
    return refused or count_account_attempt(db, account_key(email), policy.window, now)


def authenticate(db: Session, email: str, password: str, network: str,
                 policy: ThrottlePolicy) -> AdminUser | Throttled | None:
    """The user whose *email* and *password* match; :class:`Throttled` when the attempt is refused
    unchecked (see :mod:`.login_throttle`); else None, the failure counted.

    *network* is the client's :func:`~.login_throttle.network_key`.  An unknown address costs
    the same work (a hash verified) and is throttled the same way as a wrong password, so
    neither timing nor messages tell them apart.  The attempt is counted and the hash read in
    one short transaction; the password is verified after it ends, with nothing locked.
    """
    email = normalize_email(email)
    refused = _count_attempt(db, email, network, policy)
    user = None if refused else db.scalar(select(AdminUser).where(AdminUser.email == email))
    password_hash = user.password_hash if user is not None else None
    db.commit()
    if refused is not None:
        return refused
    if not verify_password(password_hash or _dummy_hash(), password) or user is None:
        return None
    clear_account(db, account_key(email))
    refund_network_attempt(db, network)
    return user
