"""A site's own wording of the texts its widget shows around every survey: the button that opens it,
the title of its window and the thanks after an answer, per language.

They live in ``Site.settings["widget_texts"]`` as ``{name: {locale: text}}`` (no table of their own).
They belong to the site, not to one survey: the widget fetches one set of strings for all the site's
surveys, and the hosted survey page heads itself and thanks with the same two.  A language without a
text of its own gets the built-in translation, never another language's text.  Plain functions; the
caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.i18n import SUPPORTED_LOCALES
from ..core.plain_text import has_control_characters

SETTINGS_KEY = "widget_texts"
#: Each text a site may word itself and the most characters it may have (a button has to stay a button).
TEXT_LIMITS: dict[str, int] = {"button": 30, "dialog_title": 80, "thanks": 200}


def own_text(texts: Mapping[str, Any] | None, name: str, locale: str) -> str:
    """The site's own text *name* in *locale* from *texts* (``{name: {locale: text}}``), "" when it has none."""
    by_locale = (texts or {}).get(name)
    text = by_locale.get(locale) if isinstance(by_locale, Mapping) else None
    return text if isinstance(text, str) else ""


def site_texts(settings: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """The own texts stored in a site's *settings*, ``{name: {locale: text}}`` (empty: all built-in)."""
    stored = (settings or {}).get(SETTINGS_KEY) or {}
    return {name: {locale: text for locale in SUPPORTED_LOCALES if (text := own_text(stored, name, locale))}
            for name in TEXT_LIMITS if any(own_text(stored, name, locale) for locale in SUPPORTED_LOCALES)}


def check_text(name: str, text: str) -> None:
    """:raises ValueError: naming the fix, for a text that is too long or not one line."""
    if len(text) > TEXT_LIMITS[name]:
        raise ValueError(f"widget text {name!r} is {len(text)} characters long: keep it to {TEXT_LIMITS[name]}")
    if has_control_characters(text):
        raise ValueError(f"widget text {name!r} holds a line break or control character: write it on one line")


def with_site_texts(settings: Mapping[str, Any] | None, texts: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """A copy of *settings* with *texts* (``{name: {locale: text}}``) as the site's own; an empty text
    (or a name or language left out) goes back to the built-in one.

    :raises ValueError: for an unknown name or language, or a text :func:`check_text` refuses.
    """
    kept: dict[str, dict[str, str]] = {}
    for name, by_locale in texts.items():
        if name not in TEXT_LIMITS:
            raise ValueError(f"unknown widget text {name!r}: use one of {sorted(TEXT_LIMITS)}")
        for locale, text in by_locale.items():
            if locale not in SUPPORTED_LOCALES:
                raise ValueError(f"widget text {name!r} in {locale!r}: use one of {list(SUPPORTED_LOCALES)}")
            if text.strip():
                check_text(name, text.strip())
                kept.setdefault(name, {})[locale] = text.strip()
    changed = {key: value for key, value in (settings or {}).items() if key != SETTINGS_KEY}
    return {**changed, SETTINGS_KEY: kept} if kept else changed
