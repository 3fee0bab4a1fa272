"""Admin accounts: creation and Argon2id password hashing."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AdminUser, Site, SiteMembership

ROLES: tuple[str, ...] = ("owner", "manager", "viewer")
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


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
    return email.strip().lower()


def set_admin(
    session: Session,
    email: str,
    password: str,
    *,
    memberships: Iterable[tuple[Site, str]] = (),
) -> AdminUser:
    """Create the admin *email*, or reset its password; grant *memberships*.

    Without memberships the account is a superuser who sees every site.

    :raises ValueError: for a short password or an unknown role.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    memberships = list(memberships)
    for _, role in memberships:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    email = normalize_email(email)
    user = session.scalar(select(AdminUser).where(AdminUser.email == email))
    if user is None:
        user = AdminUser(email=email, password_hash="")
        session.add(user)
    user.password_hash = hash_password(password)
    user.is_superuser = not memberships
    session.flush()
    for site, role in memberships:
        session.merge(SiteMembership(user_id=user.id, site_id=site.id, role=role))
    return user
