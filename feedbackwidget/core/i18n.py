"""Languages: which locales exist, how a visitor's language is chosen, translations.

Every user-facing string is an English msgid translated through the package's
own gettext catalogs in ``feedbackwidget/translations/<locale>/LC_MESSAGES``:
one catalog per area (``feedbackwidget.po`` for the core and survey templates,
``feedbackwidget_widget.po``, ``feedbackwidget_admin.po`` ...), merged into one
translation table per locale.  Edit the ``.po`` file, then compile it with
``pybabel compile -d feedbackwidget/translations -D <catalog name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

SUPPORTED_LOCALES: tuple[str, ...] = ("en", "hu", "zh")
DOMAIN = "feedbackwidget"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"


def N_(message: str) -> str:
    """Mark *message* for extraction without translating it now."""
    return message


def normalize_locale(tag: str | None) -> str | None:
    """Map a BCP 47 / POSIX tag to a supported locale, or None.

    ``zh``, ``zh-CN``, ``zh-Hans``, ``zh_Hans_CN`` (and other Chinese variants,
    for which Simplified Chinese is the closest we ship) all give ``zh``.
    """
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in SUPPORTED_LOCALES else None


def negotiate_locale(candidates: Iterable[str | None], default: str) -> str:
    """The first supported locale among *candidates*, else *default* (else English).

    A candidate may list several tags by preference, comma-separated (``de-DE,zh-CN,hu``: the
    widget sends its page's and browser's languages so).
    """
    for candidate in candidates:
        for tag in (candidate or "").split(","):
            locale = normalize_locale(tag)
            if locale:
                return locale
    return normalize_locale(default) or SUPPORTED_LOCALES[0]


def catalog_files(locale: str) -> list[Path]:
    """The compiled catalogs (``*.mo``) shipped for *locale*."""
    return sorted((TRANSLATIONS_DIR / locale / "LC_MESSAGES").glob(f"{DOMAIN}*.mo"))


@lru_cache(maxsize=None)
def translations(locale: str) -> NullTranslations:
    """Every catalog of *locale* merged (English is the msgids themselves)."""
    files = catalog_files(locale) if locale != "en" else []
    if not files:
        return Translations(domain=DOMAIN)
    # The first catalog gives the merged table its Plural-Forms rule (every catalog of a locale has the same).
    with open(files[0], "rb") as handle:
        merged = Translations(handle, domain=DOMAIN)
    for path in files[1:]:
        with open(path, "rb") as handle:
            merged.merge(Translations(handle, domain=DOMAIN))
    return merged


def translate(locale: str, message: str) -> str:
    """*message* in *locale*."""
    return translations(locale).gettext(message)


def translate_in_context(locale: str, context: str, message: str) -> str:
    """*message* in *locale* as it reads in *context* (a ``msgctxt`` of the catalogs): the same English
    word may need other words in another language ("Yes" to "in stock?" is 有 in Chinese, not 是)."""
    return str(translations(locale).pgettext(context, message))


def translate_plural(locale: str, singular: str, plural: str, count: int) -> str:
    """*singular* or *plural* (by *count* and *locale*'s plural rule) in *locale*, ``%(num)s`` left to fill."""
    return translations(locale).ngettext(singular, plural, count)


def in_every_locale(message: str) -> dict[str, str]:
    """``{locale: text}`` of *message* for every supported locale."""
    return {locale: translate(locale, message) for locale in SUPPORTED_LOCALES}


class TranslatableError(ValueError):
    """A refusal whose message is an English msgid with ``%(name)s`` params, shown in the reader's language."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def text(self, translate: Callable[[str], str]) -> str:
        """The message in the language of *translate*."""
        translated = translate(self.message)
        return translated % self.params if self.params else translated
