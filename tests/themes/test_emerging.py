"""Emerging topics: what customers keep saying that no theme covers yet."""

from __future__ import annotations

from feedbackwidget.themes import emerging_topics


def test_a_phrase_repeated_outside_every_theme_is_an_emerging_topic() -> None:
    texts = ["the click and collect lockers at the train station are great",
             "please more lockers at the train station",
             "Train station pickup closed on sunday",
             "the train station was busy"]
    topics = emerging_topics(texts, min_count=3)
    assert [(topic.phrase, topic.count) for topic in topics] == [("train station", 4)]
    assert topics[0].examples[0] == texts[0]


def test_a_phrase_said_too_rarely_is_not_a_topic_yet() -> None:
    assert emerging_topics(["gift card balance wrong", "gift card balance gone"], min_count=3) == []


def test_a_phrase_a_theme_already_covers_is_not_emerging() -> None:
    texts = ["customer service never answered"] * 5 + ["parcel locker was full"] * 5
    assert emerging_topics(texts) == []


def test_topics_are_found_in_each_language_of_a_mixed_shop() -> None:
    texts = (["直播间 讲解很清楚", "直播间讲解很清楚", "直播间讲解很清楚"]
             + ["a kávé kapszula finom volt", "több kávé kapszula kellene", "kávé kapszula 🙂"])
    found = {(topic.language, topic.phrase) for topic in emerging_topics(texts, hint="hu")}
    assert any(language == "zh" and "直播间" in phrase for language, phrase in found)
    assert ("hu", "kávé kapszula") in found
