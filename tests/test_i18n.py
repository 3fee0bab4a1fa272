"""Languages: every shipped string exists in English, Hungarian and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from feedbackwidget.core.i18n import (
    TRANSLATIONS_DIR,
    negotiate_locale,
    normalize_locale,
    translate,
    translate_in_context,
    translate_plural,
)
from feedbackwidget.surveys.templates import TEMPLATES, questions_from_template

PO_FILES = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh-Hans", "zh_Hans_CN", "ZH-cn"])
def test_every_chinese_tag_means_simplified_chinese(tag: str) -> None:
    assert normalize_locale(tag) == "zh"


def test_the_first_supported_language_wins_else_the_site_default() -> None:
    assert negotiate_locale(["de-DE", "hu-HU", "en"], "en") == "hu"
    assert negotiate_locale(["de", None, ""], "zh") == "zh"
    assert negotiate_locale([], "xx") == "en"
    # The widget sends its page's and browser's languages as one comma-separated list.
    assert negotiate_locale(["de-DE,zh-Hans,hu", "en"], "en") == "zh"
    assert negotiate_locale(["de-DE,fr", None], "hu") == "hu"


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_catalog_entry_is_translated_and_compiled(po_path: Path) -> None:
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"compile it: pybabel compile -d feedbackwidget/translations -D {po_path.stem}"
    with open(mo_path, "rb") as handle:
        compiled = read_mo(handle)
    locale = po_path.parent.parent.name
    for message in catalog:
        if not message.id:
            continue
        assert message.string, f"{po_path}: {message.id!r} has no translation"
        assert not message.fuzzy, f"{po_path}: {message.id!r} is fuzzy"
        found = compiled.get(message.id, context=message.context)
        assert found is not None and _strings(found.string) == _strings(message.string), (
            f"{mo_path} is stale: pybabel compile -d feedbackwidget/translations -D {po_path.stem}"
        )
        if message.context:  # an English word that reads otherwise in this context ("Yes" to "in stock?")
            assert translate_in_context(locale, message.context, message.id) == message.string
        elif isinstance(message.id, str):
            assert translate(locale, message.id) == message.string
        else:
            assert translate_plural(locale, message.id[0], message.id[1], 5) == _strings(message.string)[-1]


def _strings(string: object) -> tuple[object, ...]:
    """A message's translation(s) as a tuple: a plural entry has one per plural form (list or tuple)."""
    return tuple(string) if isinstance(string, (list, tuple)) else (string,)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("locale", ["hu", "zh"])
def test_every_template_text_is_translated(template: str, locale: str) -> None:
    for question in questions_from_template(template):
        texts = [question["text"], *[o["text"] for o in question.get("options", [])],
                 *question.get("text_by_band", {}).values(), *question.get("scale", {}).values()]
        for text in texts:
            assert text[locale] and text[locale] != text["en"], f"{template}.{question['key']} in {locale}"
