"""Question definitions: what a survey may store, and the fix named when it is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from feedbackwidget.surveys.questions import parse_question

SCORE = {"key": "program_score", "type": "nps", "text": {"en": "How satisfied are you with our loyalty program?"}}


def test_a_0_to_10_question_keeps_its_own_anchors() -> None:
    scale = {"low": {"en": "0 = Not at all satisfied"}, "high": {"en": "10 = Completely satisfied", "hu": "10 = Nagyon"}}
    assert parse_question({**SCORE, "scale": scale}).scale == scale


def test_a_0_to_10_question_without_anchors_gets_the_likely_ones_in_every_language() -> None:
    scale = parse_question(SCORE).scale
    assert scale["low"]["en"] == "0 = Not at all likely" and scale["high"]["hu"] == "10 = Nagyon valószínű"
    assert parse_question({"key": "why", "type": "text"}).scale == {}


@pytest.mark.parametrize(("scale", "message"), [
    ({"low": {"en": "0 = No"}}, "give both ends"),
    ({"low": {"en": "0"}, "high": {"en": "10"}, "middle": {"en": "5"}}, "give both ends"),
    (["0 = No", "10 = Yes"], "give both ends"),
    ({"low": "0 = No", "high": {"en": "10 = Yes"}}, "scale 'low' '0 = No': give it as {locale: text}"),
    ({"low": {"en": "0 = No"}, "high": {}}, "scale 'high' {}: give it as {locale: text}"),
    ({"low": {"en": "  "}, "high": {"en": "10 = Yes"}}, "scale 'low'"),
    ({"low": {"en": 0}, "high": {"en": "10 = Yes"}}, "scale 'low'"),
])
def test_anchors_that_do_not_name_both_ends_in_words_are_refused(scale: Any, message: str) -> None:
    with pytest.raises(ValueError, match="question 'program_score' has ") as err:
        parse_question({**SCORE, "scale": scale})
    assert message in str(err.value) and '"low": {"en": "0 = Not at all satisfied"}' in str(err.value)


def test_only_a_0_to_10_question_has_anchors() -> None:
    with pytest.raises(ValueError, match="only a 0-10 question \\(nps\\) has anchors"):
        parse_question({"key": "rating", "type": "csat", "scale": {"low": {"en": "Bad"}, "high": {"en": "Good"}}})
