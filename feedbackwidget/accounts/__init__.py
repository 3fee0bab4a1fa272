"""Admin accounts: creation, the password rules and Argon2id password hashing.

Hashing is slow on purpose: callers hash and verify *outside* any database
transaction (on SQLite a transaction holds the write lock).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.addresses import AddressError, parse_address
from ..core.i18n import N_
from ..core.models import AdminUser, Site, SiteMembership

ROLES: tuple[str, ...] = ("owner", "manager", "viewer")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
COMMON_PASSWORDS_FILE = "data/common-passwords.txt"
PASSWORD_TOO_SHORT = N_("The password must be at least %(length)s characters long.")
PASSWORD_TOO_LONG = N_("The password must be at most %(length)s characters long.")
PASSWORD_TOO_COMMON = N_("This password is one of the most common ones: choose one that is harder to guess.")

_hasher = PasswordHasher()


class PasswordRejected(ValueError):
    """A new password breaks a rule; *message* is an English message id with %-style *values*."""

    def __init__(self, message: str, **values: object) -> None:
        self.message, self.values = message, values
        super().__init__(message % values if values else message)


def hash_password(password: str) -> str:
    """An Argon2id hash of *password*."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether *password* matches *password_hash*."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalize_email(email: str) -> str:
    """*email* as accounts are stored and looked up: lower-cased, an internationalized domain
    in its ``xn--`` form (text that is no address is only trimmed and lower-cased)."""
    try:
        return parse_address(email).lower()
    except AddressError:
        return email.strip().lower()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords (lower case), from the list shipped in the package."""
    text = resources.files("feedbackwidget").joinpath(COMMON_PASSWORDS_FILE).read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line and not line.startswith("# "))


def check_new_password(password: str) -> None:
    """Refuse a new password that is too short, too long or one of the most common ones.

    :raises PasswordRejected: saying which rule it breaks.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(PASSWORD_TOO_SHORT, length=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRejected(PASSWORD_TOO_LONG, length=MAX_PASSWORD_LENGTH)
    if password.strip().lower() in common_passwords():
        raise PasswordRejected(PASSWORD_TOO_COMMON)


def new_password_hash(password: str) -> str:
    """The hash to store for a new *password* (checked by :func:`check_new_password` first)."""
    check_new_password(password)
    return hash_password(password)


def find_admin(session: Session, email: str) -> AdminUser | None:
    return session.scalar(select(AdminUser).where(AdminUser.email == normalize_email(email)))


def set_admin(
    session: Session,
    email: str,
    password: str,
    *,
    memberships: Iterable[tuple[Site, str]] = (),
) -> AdminUser:
    """Create the admin *email* with *memberships*, or change the password of an existing one.

    A new account without memberships is a superuser who sees every site.  An existing
    account keeps its roles and everything else: only its password changes (end its
    other sessions with :func:`feedbackwidget.web.admin.sessions.end_other_sessions`).
    The password is hashed before the first query, outside any transaction the call opens.

    :raises PasswordRejected: for a password :func:`check_new_password` refuses.
    :raises ValueError: for an unknown role;
        :class:`~feedbackwidget.core.addresses.AddressError` when a new account's *email* cannot be mailed.
    """
    password_hash = new_password_hash(password)
    roles = _checked_roles(memberships)
    user = find_admin(session, email)
    if user is not None:
        user.password_hash = password_hash
        return user
    user = AdminUser(email=parse_address(email).lower(), password_hash=password_hash, is_superuser=not roles)
    session.add(user)
    session.flush()
    for site, role in roles.items():
        session.add(SiteMembership(user_id=user.id, site_id=site.id, role=role))
    return user


def _checked_roles(memberships: Iterable[tuple[Site, str]]) -> Mapping[Site, str]:
    roles = dict(memberships)
    for role in roles.values():
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return roles
