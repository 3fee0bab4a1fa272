"""Changing a site's settings and members (plain functions; the views only call them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, object_session

from ..accounts import ROLES, hash_password, normalize_email
from ..delivery.rules import follow_alert_emails
from ..i18n import N_, SUPPORTED_LOCALES
from ..models import AdminUser, Site, SiteMembership
from ..sites import merged_settings, normalize_origin


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CATEGORY_MAX = 64


class SettingsError(ValueError):
    """Some fields are wrong; ``fields`` maps each to what to fix."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class SiteChanges:
    name: str
    origins: Sequence[str]
    default_locale: str
    alert_emails: Sequence[str]
    complaint_categories: Sequence[str]
    privacy_policy_url: str | None
    privacy_policy_version: str | None


def _checked(changes: SiteChanges) -> tuple[list[str], dict[str, str]]:
    errors: dict[str, str] = {}
    origins: list[str] = []
    for origin in changes.origins:
        try:
            origins.append(normalize_origin(origin))
        except ValueError:
            errors["allowed_origins"] = N_("Write each origin as https://shop.example (no path), one a line.")
    if changes.default_locale not in SUPPORTED_LOCALES:
        errors["default_locale"] = N_("Choose English, Magyar or 中文.")
    if any(not EMAIL.fullmatch(email) for email in changes.alert_emails):
        errors["alert_emails"] = N_("Write one e-mail address a line, such as owner@shop.example.")
    if any(len(c) > CATEGORY_MAX for c in changes.complaint_categories):
        errors["complaint_categories"] = N_("Keep each category under 64 characters.")
    return sorted(set(origins)), errors


def update_site(site: Site, changes: SiteChanges) -> None:
    """Apply *changes* to *site* (the caller commits and invalidates the site cache).

    :raises SettingsError: naming each wrong field.
    """
    origins, errors = _checked(changes)
    if errors:
        raise SettingsError(errors)
    site.name = changes.name.strip()
    site.allowed_origins = origins
    site.default_locale = changes.default_locale
    previous = list(site.alert_emails or ())
    site.alert_emails = list(dict.fromkeys(e.strip() for e in changes.alert_emails))
    session = object_session(site)
    if session is not None and previous != site.alert_emails:
        # Rules that alerted the old list alert the new one (rules edited on their own stay).
        follow_alert_emails(session, site, previous)
    settings: dict[str, Any] = dict(site.settings or {})
    settings["complaint_categories"] = list(dict.fromkeys(changes.complaint_categories))
    settings["privacy_policy_url"] = changes.privacy_policy_url or None
    settings["privacy_policy_version"] = changes.privacy_policy_version or "1"
    site.settings = settings


def site_values(site: Site) -> dict[str, Any]:
    """The settings form's initial values."""
    settings = merged_settings(site.settings or {})
    return {
        "name": site.name, "allowed_origins": "\n".join(site.allowed_origins), "default_locale": site.default_locale,
        "alert_emails": "\n".join(site.alert_emails), "complaint_categories": "\n".join(settings["complaint_categories"]),
        "privacy_policy_url": settings["privacy_policy_url"] or "",
        "privacy_policy_version": settings["privacy_policy_version"] or "",
    }


def members_of(db: Session, site: Site) -> list[tuple[AdminUser, str]]:
    rows = db.execute(select(AdminUser, SiteMembership.role).join(SiteMembership, SiteMembership.user_id == AdminUser.id)
                      .where(SiteMembership.site_id == site.id).order_by(AdminUser.email))
    return [(user, role) for user, role in rows]


def add_member(db: Session, site: Site, email: str, role: str, password: str | None) -> AdminUser:
    """Give *email* the *role* on *site*; a new account needs a *password*.

    :raises SettingsError: for an unknown role, or a new account without a password.
    """
    if role not in ROLES:
        raise SettingsError({"role": N_("Choose viewer, manager or owner.")})
    email = normalize_email(email)
    user = db.scalar(select(AdminUser).where(AdminUser.email == email))
    if user is None:
        if not password:
            raise SettingsError({"password": N_("This address has no account yet: give it a password of 8+ characters.")})
        user = AdminUser(email=email, password_hash=hash_password(password), is_superuser=False)
        db.add(user)
        db.flush()
    db.merge(SiteMembership(user_id=user.id, site_id=site.id, role=role))
    return user


def remove_member(db: Session, site: Site, user_id: int) -> None:
    db.execute(delete(SiteMembership).where(SiteMembership.site_id == site.id, SiteMembership.user_id == user_id))
