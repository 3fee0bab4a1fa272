"""Emerging topics: phrases customers repeat that no theme covers yet.

An owner reads them and may turn one into a theme (:class:`.SiteTaxonomy` ``added``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .language import detect_language
from .model import Taxonomy
from .taxonomy import BUILT_IN
from .terms import phrases, terms_of_tokens
from .tokens import tokenize

_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Topic:
    """A recurring phrase: in how many texts, in which language, with a few of those texts."""

    phrase: str
    language: str
    count: int
    examples: tuple[str, ...]


def emerging_topics(texts: Iterable[str], taxonomy: Taxonomy = BUILT_IN, hint: str | None = None,
                    min_count: int = 3, limit: int = 20) -> list[Topic]:
    """Phrases found in at least ``min_count`` texts where they overlap no theme's match.

    :param texts: the site's comments, in any of the three languages.
    :param hint: the site's language, for texts too short to tell.
    """
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for text in texts:
        for key in _uncovered_phrases(text, taxonomy, hint):
            counts[key] += 1
            if len(examples[key]) < _EXAMPLES:
                examples[key].append(text)
    frequent = [(key, count) for key, count in counts.most_common() if count >= min_count]
    return [Topic(phrase, language, count, tuple(examples[(phrase, language)]))
            for (phrase, language), count in _without_parts(frequent)[:limit]]


def _uncovered_phrases(text: str, taxonomy: Taxonomy, hint: str | None) -> set[tuple[str, str]]:
    language = detect_language(text, hint)
    tokens = tokenize(text, language)
    matches = taxonomy.matcher.find(text, language, tokens)
    found = terms_of_tokens(text, tokens, language, matches)
    return {(phrase, language) for phrase, start, end in phrases(text, language, found)
            if not any(match.start < end and start < match.end for match in matches)}


def _without_parts(frequent: list[tuple[tuple[str, str], int]]) -> list[tuple[tuple[str, str], int]]:
    """Drops a phrase that only ever appears inside a longer one listed ("late train" in "very late train")."""
    return [(key, count) for key, count in frequent
            if not any(other != key and other[1] == key[1] and key[0] in other[0] and other_count == count
                       for other, other_count in frequent)]
