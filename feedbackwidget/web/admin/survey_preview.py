"""The survey preview's configs: what the widget would fetch for a site whose only survey is the draft.

The preview page hands them to the real widget script in preview mode (``data-preview``, see
``static/widget.js``), one config per language, so the owner sees the draft's texts, in the site's colour
and position, before saving; the widget neither stores nor sends anything there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.i18n import N_, SUPPORTED_LOCALES, translate
from ...core.models import Site, Survey
from ...sites import SiteConfig, compile_survey, merged_settings
from ..widget.site_config import public_site_config

#: Under the widget's thanks in the preview, in the preview's language.
PREVIEW_NOTE = N_("Preview: nothing was recorded.")


def draft_site_config(site: Site, survey: Survey, questions: list[dict[str, Any]],
                      settings: Mapping[str, Any] | None = None) -> SiteConfig:
    """*site* as the widget sees it with *survey* (its *questions* as drafted) as its only survey,
    opened only when asked (the preview opens it; no trigger of the draft fires there), and with
    *settings* (a look not saved yet) in place of the site's own."""
    draft = Survey(id=survey.id, site_id=site.id, slug=survey.slug, template=survey.template,
                   questions=questions, triggers={"manual": True})
    return SiteConfig(id=site.id, key=site.key, name=site.name, allowed_origins=frozenset(),
                      default_locale=site.default_locale, alert_emails=(),
                      settings=merged_settings(settings if settings is not None else site.settings or {}), surveys={survey.slug: compile_survey(draft)})


def preview_configs(site: Site, survey: Survey, questions: list[dict[str, Any]],
                    settings: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """``{locale: config}`` for every supported language: the site config the widget would fetch,
    with the draft's questions (and look, in *settings*) and the preview's note."""
    site_config = draft_site_config(site, survey, questions, settings)
    return {locale: {**public_site_config(site_config, locale), "preview": translate(locale, PREVIEW_NOTE)}
            for locale in SUPPORTED_LOCALES}
