"""Creating sites and their surveys (used by the CLI, the demo and the admin area)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from ..core.addresses import parse_addresses
from ..delivery.rules import create_default_rules
from ..core.i18n import SUPPORTED_LOCALES
from ..core.models import Site, Survey
from ..core.plain_text import has_control_characters, shown
from ..sites import new_site_key, normalize_origin
from ..surveys.templates import TEMPLATES, questions_from_template

DEFAULT_SURVEY_TRIGGERS: dict[str, Any] = {"manual": True}


def create_site(
    session: Session,
    name: str,
    origins: Iterable[str],
    *,
    default_locale: str = "en",
    alert_emails: Iterable[str] = (),
    templates: Iterable[str] = ("nps",),
) -> Site:
    """Create a site with one survey per template (the first one active).

    :raises ValueError: for an invalid origin or locale, a name of more than one line;
        :class:`~feedbackwidget.core.addresses.AddressError` naming each alert address that cannot be mailed.
    """
    if default_locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unknown locale {default_locale!r}: use one of {', '.join(SUPPORTED_LOCALES)}")
    if has_control_characters(name):
        raise ValueError(f"the site name “{shown(name)}” must be one line without control characters: type it again")
    site = Site(
        key=new_site_key(),
        name=name.strip(),
        allowed_origins=sorted({normalize_origin(o) for o in origins}),
        default_locale=default_locale,
        alert_emails=parse_addresses(alert_emails),
        settings={},
    )
    session.add(site)
    session.flush()
    for position, template in enumerate(templates):
        add_survey(session, site, template, position=position)
    create_default_rules(session, site)
    return site


def add_survey(
    session: Session, site: Site, template: str, *, slug: str | None = None, position: int = 0,
    triggers: dict[str, Any] | None = None, active: bool = True,
) -> Survey:
    """Add a survey built from *template* to *site*.

    :raises KeyError: for an unknown template.
    """
    if template not in TEMPLATES:
        raise KeyError(f"unknown survey template {template!r}: use one of {', '.join(sorted(TEMPLATES))}")
    survey = Survey(
        site_id=site.id,
        slug=slug or template,
        template=template,
        questions=questions_from_template(template),
        triggers=triggers if triggers is not None else dict(DEFAULT_SURVEY_TRIGGERS),
        active=active,
        position=position,
    )
    session.add(survey)
    session.flush()
    return survey
