"""Changing a site's settings and members (plain functions; the views only call them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, object_session

from ...accounts import ROLES, PasswordRejected, check_new_password, hash_password
from ...core.addresses import AddressError, parse_address, parse_addresses
from ...delivery.rules import follow_alert_emails
from ...core.i18n import N_, SUPPORTED_LOCALES
from ...core.models import AdminUser, Site, SiteMembership
from ...core.plain_text import has_control_characters
from ...sites import merged_settings, normalize_origin
from ...sites.time_zones import SETTINGS_KEY as TIME_ZONE_KEY, is_zone, site_time_zone

CATEGORY_MAX = 64
NEW_ACCOUNT_PASSWORD = N_("This address has no account yet: give it a password of at least 12 characters "
                          "that is not one of the most common ones.")


class SettingsError(ValueError):
    """Some fields are wrong; ``fields`` maps each to what to fix (an English msgid),
    ``addresses`` each address field to the entries it refused."""

    def __init__(self, fields: dict[str, str], addresses: Mapping[str, AddressError] | None = None) -> None:
        self.fields = fields
        self.addresses = dict(addresses or {})
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.messages().items()))

    def messages(self, translate: Callable[[str], str] = str) -> dict[str, list[str]]:
        """Each wrong field's problems, through *translate*."""
        found = {name: [translate(message)] for name, message in self.fields.items()}
        for name, error in self.addresses.items():
            found[name] = [*found.get(name, []), *error.messages(translate)]
        return found


@dataclass(frozen=True)
class SiteChanges:
    name: str
    origins: Sequence[str]
    default_locale: str
    alert_emails: Sequence[str]
    complaint_categories: Sequence[str]
    privacy_policy_url: str | None
    privacy_policy_version: str | None
    time_zone: str


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
    if changes.time_zone and not is_zone(changes.time_zone):
        errors["time_zone"] = N_("Choose a time zone from the list, such as Europe/Budapest or Asia/Shanghai.")
    if any(len(c) > CATEGORY_MAX for c in changes.complaint_categories):
        errors["complaint_categories"] = N_("Keep each category under 64 characters.")
    if any(has_control_characters(c) for c in changes.complaint_categories):
        errors["complaint_categories"] = N_("Write each category on a line of its own, without control characters.")
    return sorted(set(origins)), errors


def _alert_emails(entries: Sequence[str]) -> tuple[list[str], dict[str, AddressError]]:
    """The alert addresses of *entries*, parsed, or what the field refused."""
    try:
        return parse_addresses(entries), {}
    except AddressError as err:
        return [], {"alert_emails": err}


def update_site(site: Site, changes: SiteChanges) -> None:
    """Apply *changes* to *site* (the caller commits and invalidates the site cache).

    :raises SettingsError: naming each wrong field.
    """
    origins, errors = _checked(changes)
    alert_emails, refused = _alert_emails(changes.alert_emails)
    if errors or refused:
        raise SettingsError(errors, refused)
    site.name = changes.name.strip()
    site.allowed_origins = origins
    site.default_locale = changes.default_locale
    previous = list(site.alert_emails or ())
    site.alert_emails = alert_emails
    session = object_session(site)
    if session is not None and previous != site.alert_emails:
        # Rules that alerted the old list alert the new one (rules edited on their own stay).
        follow_alert_emails(session, site, previous)
    settings: dict[str, Any] = dict(site.settings or {})
    settings["complaint_categories"] = list(dict.fromkeys(changes.complaint_categories))
    settings["privacy_policy_url"] = changes.privacy_policy_url or None
    settings["privacy_policy_version"] = changes.privacy_policy_version or "1"
    # Empty (a script that does not send the field): the zone of the site's language.
    settings[TIME_ZONE_KEY] = changes.time_zone or None
    site.settings = settings


def site_values(site: Site) -> dict[str, Any]:
    """The settings form's initial values."""
    settings = merged_settings(site.settings or {})
    return {
        "name": site.name, "allowed_origins": "\n".join(site.allowed_origins), "default_locale": site.default_locale,
        "alert_emails": "\n".join(site.alert_emails), "complaint_categories": "\n".join(settings["complaint_categories"]),
        "privacy_policy_url": settings["privacy_policy_url"] or "",
        "privacy_policy_version": settings["privacy_policy_version"] or "",
        "time_zone": site_time_zone(settings, site.default_locale),
    }


def members_of(db: Session, site: Site) -> list[tuple[AdminUser, str]]:
    rows = db.execute(select(AdminUser, SiteMembership.role).join(SiteMembership, SiteMembership.user_id == AdminUser.id)
                      .where(SiteMembership.site_id == site.id).order_by(AdminUser.email))
    return [(user, role) for user, role in rows]


def add_member(db: Session, site: Site, email: str, role: str, password: str | None) -> AdminUser:
    """Give *email* the *role* on *site*; a new account needs a *password*.

    :raises SettingsError: for an unknown role, an address that cannot be mailed,
        or a new account without a password.
    """
    if role not in ROLES:
        raise SettingsError({"role": N_("Choose viewer, manager or owner.")})
    try:
        email = parse_address(email).lower()
    except AddressError as err:
        raise SettingsError({}, {"email": err}) from err
    user = db.scalar(select(AdminUser).where(AdminUser.email == email))
    if user is None:
        if not password:
            raise SettingsError({"password": NEW_ACCOUNT_PASSWORD})
        try:
            check_new_password(password)
        except PasswordRejected as err:
            raise SettingsError({"password": NEW_ACCOUNT_PASSWORD}) from err
        user = AdminUser(email=email, password_hash=hash_password(password), is_superuser=False)
        db.add(user)
        db.flush()
    db.merge(SiteMembership(user_id=user.id, site_id=site.id, role=role))
    return user


def remove_member(db: Session, site: Site, user_id: int) -> None:
    db.execute(delete(SiteMembership).where(SiteMembership.site_id == site.id, SiteMembership.user_id == user_id))
