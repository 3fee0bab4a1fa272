"""Emerging topics: phrases customers repeat that no theme covers yet.

An owner reads them and may turn one into a theme (:class:`.SiteTaxonomy` ``added``).
:func:`recurring_phrases` keeps where each phrase was seen (which text, which span), so
the worker can store examples a page shows without analysing anything
(:mod:`feedbackwidget.themes.topics`); :func:`emerging_topics` is the same over plain texts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from .language import detect_language
from .model import Taxonomy
from .taxonomy import BUILT_IN
from .terms import phrases, terms_of_tokens
from .tokens import tokenize

_EXAMPLES = 3
Source = TypeVar("Source")
_Key = tuple[str, str]  # (phrase, language)


@dataclass(frozen=True, slots=True)
class Topic:
    """A recurring phrase: in how many texts, in which language, with a few of those texts."""

    phrase: str
    language: str
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sighting(Generic[Source]):
    """Where a phrase was seen: ``text[start:end]`` of the text that ``source`` names."""

    source: Source
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RecurringPhrase(Generic[Source]):
    """A recurring phrase with the first few places it was seen."""

    phrase: str
    language: str
    count: int
    sightings: tuple[Sighting[Source], ...]


def emerging_topics(texts: Iterable[str], taxonomy: Taxonomy = BUILT_IN, hint: str | None = None,
                    min_count: int = 3, limit: int = 20) -> list[Topic]:
    """Phrases found in at least ``min_count`` texts where they overlap no theme's match.

    :param texts: the site's comments, in any of the three languages.
    :param hint: the site's language, for texts too short to tell.
    """
    found = recurring_phrases(((None, text, hint) for text in texts), taxonomy, min_count, limit)
    return [Topic(item.phrase, item.language, item.count, tuple(seen.text for seen in item.sightings))
            for item in found]


def recurring_phrases(texts: Iterable[tuple[Source, str, str | None]], taxonomy: Taxonomy = BUILT_IN,
                      min_count: int = 3, limit: int = 20) -> list[RecurringPhrase[Source]]:
    """:func:`emerging_topics` over ``(source, text, language hint)``, keeping where each phrase was seen."""
    counts: Counter[_Key] = Counter()
    seen: dict[_Key, list[Sighting[Source]]] = defaultdict(list)
    for source, text, hint in texts:
        for key, (start, end) in _uncovered_phrases(text, taxonomy, hint).items():
            counts[key] += 1
            if len(seen[key]) < _EXAMPLES:
                seen[key].append(Sighting(source, text, start, end))
    frequent = [(key, count) for key, count in counts.most_common() if count >= min_count]
    return [RecurringPhrase(phrase, language, count, tuple(seen[(phrase, language)]))
            for (phrase, language), count in _without_parts(frequent)[:limit]]


def _uncovered_phrases(text: str, taxonomy: Taxonomy, hint: str | None) -> dict[_Key, tuple[int, int]]:
    """Each phrase of ``text`` no theme's match overlaps, with its first span."""
    language = detect_language(text, hint)
    tokens = tokenize(text, language)
    matches = taxonomy.matcher.find(text, language, tokens)
    found = terms_of_tokens(text, tokens, language, matches)
    uncovered: dict[_Key, tuple[int, int]] = {}
    for phrase, start, end in phrases(text, language, found):
        if not any(match.start < end and start < match.end for match in matches):
            uncovered.setdefault((phrase, language), (start, end))
    return uncovered


def _without_parts(frequent: list[tuple[_Key, int]]) -> list[tuple[_Key, int]]:
    """Drops a phrase that only ever appears inside a longer one listed ("late train" in "very late train")."""
    return [(key, count) for key, count in frequent
            if not any(other != key and other[1] == key[1] and key[0] in other[0] and other_count == count
                       for other, other_count in frequent)]
