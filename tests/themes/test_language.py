"""A shop's comments are read in the language they were written in, not the page's."""

from __future__ import annotations

import pytest

from feedbackwidget.themes import detect_language


@pytest.mark.parametrize("text", ["快递太慢了", "物流很快，包装也不错 👍", "app闪退，客服不回"])
def test_chinese_is_told_by_its_script_whatever_the_page(text: str) -> None:
    assert detect_language(text, hint="hu") == "zh"
    assert detect_language(text, hint="en") == "zh"


def test_a_hungarian_shop_gets_english_comments() -> None:
    assert detect_language("the parcel never arrived and nobody answers the phone", hint="hu") == "en"
    assert detect_language("not in stock again", hint="hu") == "en"


def test_an_english_shop_gets_hungarian_comments() -> None:
    assert detect_language("A csomag nem érkezett meg, két hete várok", hint="en") == "hu"
    assert detect_language("nagyon dragan adjak a szallitast", hint="en") == "hu"  # typed without accents


@pytest.mark.parametrize("text", ["ok", "👍", "10/10", "-", "XL"])
def test_a_text_too_short_to_tell_keeps_the_page_language(text: str) -> None:
    assert detect_language(text, hint="hu") == "hu"
    assert detect_language(text, hint="zh") == "zh"
    assert detect_language(text) == "en"


def test_a_mostly_hungarian_comment_with_an_english_word_is_hungarian() -> None:
    assert detect_language("szuper gyors delivery, köszönöm", hint="en") == "hu"


def test_an_unsupported_hint_falls_back_to_english() -> None:
    assert detect_language("ok", hint="de") == "en"
