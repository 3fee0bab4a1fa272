"""The survey preview's configs: what the widget would fetch for a site whose only survey is the draft.

The preview page holds them, one config per language, and ``static/admin/survey-preview.js`` hands them to
the real widget script when it asks for its config, so the owner sees the draft's texts, in the site's
colour and position, before saving; what the widget sends there never leaves the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.i18n import N_, SUPPORTED_LOCALES, translate
from ...core.models import Site, Survey
from ...sites import SiteConfig, compile_survey, merged_settings
from ..widget.site_config import public_site_config
from ..widget.strings import CONFIG_STRINGS

#: After the widget's thanks in the preview, in the preview's language.
PREVIEW_NOTE = N_("Preview: nothing was recorded.")
THANKS, REFUSED = CONFIG_STRINGS.index("thanks"), CONFIG_STRINGS.index("refused")


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
    with the draft's questions (and look, in *settings*); what the widget sends the preview refuses
    (``static/admin/survey-preview.js``), so its "refused" text is the thanks with the preview's note,
    and it sends at once (no wait against bots)."""
    site_config = draft_site_config(site, survey, questions, settings)
    return {locale: _previewed(public_site_config(site_config, locale), locale) for locale in SUPPORTED_LOCALES}


def _previewed(config: dict[str, Any], locale: str) -> dict[str, Any]:
    strings = list(config["strings"])
    strings[REFUSED] = f"{strings[THANKS]} {translate(locale, PREVIEW_NOTE)}"
    return {**config, "strings": strings, "min_fill_ms": 0}
