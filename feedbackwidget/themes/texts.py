"""Which words of a response or complaint are free text to analyse.

A response's free text is every answer to a question of type ``text`` of its survey
(the follow-up reason, "what was missing", suggestions, the loyalty comment); when the
survey's questions are not known any more, its ``comment`` column. A complaint's is
its description.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

TEXT_QUESTION_TYPE = "text"


def text_keys(questions: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The keys of a survey's free-text questions, in survey order."""
    return tuple(str(q["key"]) for q in questions
                 if isinstance(q, Mapping) and q.get("type") == TEXT_QUESTION_TYPE and "key" in q)


def response_texts(answers: Mapping[str, Any] | None, comment: str | None, keys: tuple[str, ...]) -> list[str]:
    """The non-blank free texts of one response, each once, in survey order."""
    texts = [answers[key] for key in keys if answers and isinstance(answers.get(key), str)]
    if comment and comment not in texts:
        texts.append(comment)
    unique: list[str] = []
    for text in texts:
        if text.strip() and text not in unique:
            unique.append(text)
    return unique


def language_hint(locale: str | None) -> str | None:
    """The page's language (``"zh"`` of ``"zh-CN"``) as a hint for detection."""
    return locale.split("-")[0].split("_")[0].lower() if locale else None
