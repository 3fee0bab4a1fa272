"""The built-in themes: what a comment is about, and the words that show it."""

from __future__ import annotations

import pytest

from feedbackwidget.themes import BUILT_IN, analyse, themes_of


def test_the_built_in_themes_have_stable_keys_and_names_in_three_languages() -> None:
    assert BUILT_IN.keys == ("delivery", "price", "quality", "stock", "staff", "website", "payment", "returns",
                             "packaging", "loyalty")
    for theme in BUILT_IN.themes:
        assert {theme.name(language) for language in ("en", "hu", "zh")} != {theme.key}
        assert all(theme.seeds[language] for language in ("en", "hu", "zh"))


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("the courier was rude and the parcel came a week late", "en", ("delivery", "staff")),
    ("out of stock again, and the website keeps crashing", "en", ("stock", "website")),
    ("A futár későn hozta, a doboz összenyomódott", "hu", ("delivery", "packaging")),
    ("túl drága a szállítási díj", "hu", ("price",)),
    ("支付宝付款失败，扣了两次钱", "zh", ("payment",)),
    ("会员积分不能兑换，客服也不回", "zh", ("staff", "loyalty")),
])
def test_a_comment_gets_every_theme_it_talks_about(text: str, language: str, expected: tuple[str, ...]) -> None:
    assert themes_of(text, language).themes == expected


@pytest.mark.parametrize(("text", "language"), [("ok", "en"), ("👍", "en"), ("Minden rendben, köszönöm!", "hu"),
                                                ("还行吧", "zh"), ("nothing to add, thanks", "en")])
def test_a_comment_about_nothing_gets_no_theme(text: str, language: str) -> None:
    assert themes_of(text, language).themes == ()


def test_inflected_and_unaccented_hungarian_words_match() -> None:
    assert themes_of("a szállítással volt gond", "hu").themes == ("delivery",)
    assert themes_of("a szallitas lassu volt", "hu").themes == ("delivery",)


def test_a_misspelt_word_still_matches() -> None:
    assert themes_of("delivry was realy late and the pakage was ripped open", "en").themes == ("delivery", "packaging")


def test_the_more_specific_phrase_decides() -> None:
    """Shipping cost is price, cash on delivery is payment: neither is delivery."""
    assert themes_of("free shipping over 30 would be nice", "en").themes == ("price",)
    assert themes_of("no cash on delivery option?", "en").themes == ("payment",)


def test_the_spans_highlight_what_the_customer_wrote() -> None:
    text = "Delivery was slow, and the BOX was crushed"
    assignment = themes_of(text, "en")
    assert [text[start:end] for start, end in assignment.spans("delivery")] == ["Delivery"]
    assert [text[start:end] for start, end in assignment.spans("packaging")] == ["BOX", "crushed"]


def test_a_chinese_span_highlights_the_chinese_words() -> None:
    text = "物流太慢了，包装也破了"
    assignment = themes_of(text, "zh")
    assert [text[start:end] for start, end in assignment.spans("delivery")] == ["物流"]
    assert [text[start:end] for start, end in assignment.spans("packaging")] == ["包装"]


def test_english_seeds_match_in_a_hungarian_comment() -> None:
    analysis = analyse("szuper gyors delivery, köszönöm", hint="en")
    assert analysis.language == "hu"
    assert analysis.assignment.themes == ("delivery",)
