"""A site's invitation settings: fatigue, the consent policy, and the e-mail's words, with the site's time zone.

The time zone is the site's own (chosen in its settings, see :mod:`..sites.time_zones`).
A site that never saved these settings has the defaults: at most
one invitation per customer in 30 days, no survey to an order without marketing
consent, and the built-in subject and introduction in each language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..core.i18n import N_, SUPPORTED_LOCALES, translate
from ..core.models import Site
from ..sites.time_zones import site_time_zone
from .errors import Refused
from .models import InvitationSettings

DEFAULT_FATIGUE_DAYS = 30
FATIGUE_DAYS_MAX = 365
SUBJECT_MAX = 200
INTRODUCTION_MAX = 2000
TEXT_FIELDS: tuple[str, ...] = ("subject", "introduction")
DEFAULT_TEXTS: dict[str, str] = {
    "subject": N_("How was your order from %(site)s?"),
    "introduction": N_("Thank you for your order %(order)s. Would you tell us how it went? It takes one click."),
}


class SettingsRefused(Refused):
    """A setting that cannot be stored (see :class:`.errors.Refused`)."""


@dataclass(frozen=True)
class SiteInvitationSettings:
    """A site's settings with every default filled in."""

    site_id: int
    time_zone: str
    fatigue_days: int
    survey_without_consent: bool
    texts: Mapping[str, Mapping[str, str]]
    last_event_id: int

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def load_settings(session: Session, site_id: int) -> SiteInvitationSettings:
    """The site's invitation settings, defaults for what it never saved, in the site's time zone."""
    site = session.get_one(Site, site_id)
    zone = site_time_zone(site.settings or {}, site.default_locale)
    row = session.get(InvitationSettings, site_id)
    if row is None:
        return SiteInvitationSettings(site_id, zone, DEFAULT_FATIGUE_DAYS, False, {}, 0)
    return SiteInvitationSettings(site_id, zone, row.fatigue_days, row.survey_without_consent,
                                  dict(row.texts or {}), row.last_event_id)


def settings_row(session: Session, site_id: int) -> InvitationSettings:
    """The site's stored settings row, added (with the defaults) when it has none yet."""
    row = session.get(InvitationSettings, site_id)
    if row is None:
        row = InvitationSettings(site_id=site_id, fatigue_days=DEFAULT_FATIGUE_DAYS,
                                 survey_without_consent=False, texts={}, last_event_id=0)
        session.add(row)
        session.flush()
    return row


def save_policy(session: Session, site_id: int, fatigue_days: int, survey_without_consent: bool) -> None:
    """Store the site's fatigue days and consent policy.

    :raises SettingsRefused: for fatigue days out of 0-365.
    """
    if not 0 <= fatigue_days <= FATIGUE_DAYS_MAX:
        raise SettingsRefused("fatigue_days", f"write a number of days from 0 to {FATIGUE_DAYS_MAX}")
    row = settings_row(session, site_id)
    row.fatigue_days, row.survey_without_consent = fatigue_days, survey_without_consent


def save_texts(session: Session, site_id: int, locale: str, subject: str, introduction: str) -> None:
    """Store the subject and introduction of the site's invitations in *locale*; empty ones go back to the default."""
    if locale not in SUPPORTED_LOCALES:
        raise SettingsRefused("locale", f"{locale!r} is not a language of feedbackwidget: use one of "
                              + ", ".join(SUPPORTED_LOCALES))
    for field, value, limit in (("subject", subject, SUBJECT_MAX), ("introduction", introduction, INTRODUCTION_MAX)):
        if len(value) > limit:
            raise SettingsRefused(field, f"keep it under {limit} characters")
    row = settings_row(session, site_id)
    written = {key: value.strip() for key, value in (("subject", subject), ("introduction", introduction))
               if value.strip()}
    row.texts = {**{k: v for k, v in (row.texts or {}).items() if k != locale}, **({locale: written} if written else {})}


def mail_text(settings: SiteInvitationSettings, locale: str, field: str) -> str:
    """The site's own subject or introduction in *locale*, else the default translated (``%(site)s`` unfilled)."""
    own = (settings.texts.get(locale) or {}).get(field)
    return own if own else translate(locale, DEFAULT_TEXTS[field])


def filled(template: str, values: Mapping[str, str]) -> str:
    """*template* with ``%(site)s`` and ``%(order)s`` filled; any other ``%`` stays as the site wrote it."""
    for name, value in values.items():
        template = template.replace(f"%({name})s", value)
    return template
