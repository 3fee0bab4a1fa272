"""Terms a shop owner can read: one term per word whatever its ending, phrases kept whole."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from feedbackwidget.themes import analyse, key_phrases, terms, top_terms
from feedbackwidget.themes.lexicon import stop_words


def texts_of(text: str, language: str) -> list[str]:
    return [term.text for term in terms(text, language)]


def test_hungarian_inflections_are_one_term() -> None:
    found = {term for text in ("A szállítás lassú volt", "Baj volt a szállítással", "A szállításnál gond volt")
             for term in texts_of(text, "hu")}
    assert "szállítás" in found
    assert not {"szállítással", "szállításnál"} & found


def test_english_plurals_and_tenses_are_one_term() -> None:
    assert texts_of("the couriers were rude", "en") == ["courier", "rude"]
    assert "refund" in texts_of("refunds take ages", "en")


@pytest.mark.parametrize(("text", "language", "phrase"), [
    ("not in stock, again", "en", "not in stock"),
    ("the parcel never arrived", "en", "never arrive"),
    ("late delivery as always", "en", "late delivery"),
    ("A csomag nem érkezett meg", "hu", "nem érkezik meg"),
    ("没有货，客服也不回", "zh", "没有货"),
    ("物流太慢了", "zh", "物流太慢"),
    ("也没人回复", "zh", "没人回复"),
])
def test_negations_and_short_phrases_stay_whole(text: str, language: str, phrase: str) -> None:
    assert phrase in texts_of(text, language)


def test_a_negated_word_is_not_counted_as_if_it_were_said() -> None:
    assert "stock" not in texts_of("not in stock", "en")
    assert "in stock" not in texts_of("not in stock", "en")


def test_chinese_is_cut_on_word_boundaries() -> None:
    found = texts_of("快递花了两周才到，也没人回复", "zh")
    assert "快递" in found
    assert not {"了两", "花了", "也没", "人回", "两周"} & set(found)


def test_shop_words_of_the_user_dictionary_are_whole_words() -> None:
    assert "优惠券" in texts_of("优惠券用不了", "zh")
    assert "退货" in texts_of("我想退货", "zh")


@pytest.mark.parametrize(("text", "language"), [
    ("took two weeks, nobody answered 😡", "en"),
    ("már két hétig tartott", "hu"),
    ("也就这样吧", "zh"),
    ("ordered on 3rd may, got it on the 17th, 10/10", "en"),
    ("5号下单9号才到，等了三天", "zh"),
    ("👍👍 ❤️ !!!", "en"),
])
def test_filler_numbers_single_characters_and_emoji_are_never_terms(text: str, language: str) -> None:
    for term in texts_of(text, language):
        assert term not in stop_words(language)
        assert len(term) >= 2
        assert not re.search(r"\d", term)


def test_a_term_points_at_the_words_the_customer_wrote() -> None:
    text = "the deliveries were LATE"
    assert [text[term.start:term.end] for term in terms(text, "en")] == ["deliveries", "LATE"]


def test_dictionaries_are_not_loaded_when_the_package_is_imported() -> None:
    code = "import sys, feedbackwidget.themes; print(any(m.startswith('jieba') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_key_phrases_are_the_collocations_a_site_repeats() -> None:
    texts = ["the gift card balance is wrong", "gift card balance missing", "my gift card balance?", "gift ideas"]
    assert ("gift card balance", 3) in key_phrases(texts, "en", min_count=3)
    assert all(count >= 3 for _, count in key_phrases(texts, "en", min_count=3))


def test_top_terms_count_texts_not_repetitions() -> None:
    assert top_terms(["late late late", "the courier was late"], "en", limit=1) == [("late", 2)]


def test_one_analysis_gives_language_terms_and_themes() -> None:
    analysis = analyse("A csomag nem érkezett meg, az ügyfélszolgálat nem válaszolt", hint="en")
    assert analysis.language == "hu"
    assert [term.text for term in analysis.terms] == ["csomag", "nem érkezik meg", "ügyfélszolgálat", "nem válaszol"]
    assert analysis.assignment.themes == ("delivery", "staff")
