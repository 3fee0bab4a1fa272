"""Seeds compiled into lookup tables, and matched against a text's words.

English and Hungarian seeds are matched word by word on lemmas, on the words as
written and without accents; a misspelt word of six letters or more matches a seed
word one edit away ("delivry", "pakage"). Chinese seeds are matched as written. Seeds
of every language are tried on every text: a Hungarian comment may say "delivery".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .lemmas import is_known
from .tokens import HAN, LATIN_WORD, Token, fold, lemma, tokenize

if TYPE_CHECKING:
    from .model import Taxonomy

_GAP = "..."
_WRITTEN = "="
_MAX_GAP = 3
_FUZZY_MIN_LENGTH = 6
_LATIN = ("en", "hu")
_READ_CACHE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class Match:
    """Where a seed of a theme was found: ``text[start:end]`` is what the customer wrote."""

    theme: str
    start: int
    end: int
    seed: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    theme: str
    seed: str
    words: tuple[str, ...]


class Matcher:
    """A taxonomy's seeds, indexed by their first word."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._exact: dict[str, list[_Pattern]] = defaultdict(list)
        self._prefix: dict[str, list[_Pattern]] = defaultdict(list)
        self._words: set[str] = set()
        chinese: dict[str, set[str]] = defaultdict(set)
        for theme in taxonomy.themes:
            for language, seeds in theme.seeds.items():
                for seed in seeds:
                    if language == "zh" and HAN.search(seed):
                        chinese[seed.strip()].add(theme.key)
                    else:
                        self._add(theme.key, seed, "en" if language == "zh" else language)
        self._chinese = chinese
        alternatives = sorted(chinese, key=len, reverse=True)
        # a lookahead finds the longest seed at every position, so seeds may overlap ("优惠券", "券用不了")
        self._chinese_pattern = re.compile(f"(?=({'|'.join(map(re.escape, alternatives))}))") if alternatives else None
        self._near = _deletion_index(self._words)
        self._read_cache: dict[tuple[str, str], tuple[frozenset[str], tuple[_Pattern, ...]]] = {}

    def find(self, text: str, language: str, tokens: list[Token] | None = None) -> list[Match]:
        """Every seed found in ``text``, read as ``language``, in text order.

        :param tokens: ``tokenize(text, language)`` when the caller has it already.
        """
        found: set[Match] = set()
        tokens = tokenize(text, language) if tokens is None else tokens
        read = [self._read(token) for token in tokens]
        keys = [token_keys for token_keys, _ in read]
        for index, (_, candidates) in enumerate(read):
            for pattern in candidates:
                end = _match_rest(pattern.words, 1, keys, index + 1)
                if end is not None:
                    found.add(Match(pattern.theme, tokens[index].start, tokens[end - 1].end, pattern.seed))
        if self._chinese_pattern is not None and language == "zh":
            for hit in self._chinese_pattern.finditer(text):
                seed = hit.group(1)
                found.update(Match(theme, hit.start(), hit.start() + len(seed), seed) for theme in self._chinese[seed])
        return sorted(_most_specific(found), key=lambda match: (match.start, match.end, match.theme))

    def _add(self, theme: str, seed: str, language: str) -> None:
        words = tuple(word for part in seed.lower().split() for word in _seed_words(part, language))
        if not words or words[0] == _GAP or words[-1] == _GAP:
            raise ValueError(f"seed {seed!r} of theme {theme!r}: a seed needs a word at each end")
        pattern = _Pattern(theme, seed, words)
        first = words[0]
        if first.endswith("*"):
            self._prefix[first[:2]].append(pattern)
        else:
            self._exact[first].append(pattern)
        self._words.update(word for word in words if word != _GAP and not word.endswith("*"))

    def _candidates(self, token: Token, keys: frozenset[str]) -> list[_Pattern]:
        candidates = [pattern for key in keys for pattern in self._exact.get(key, ())]
        for written in {token.surface, fold(token.surface)}:
            candidates.extend(pattern for pattern in self._prefix.get(written[:2], ())
                              if _word_matches(pattern.words[0], keys))
        return candidates

    def _read(self, token: Token) -> tuple[frozenset[str], tuple[_Pattern, ...]]:
        """A word's keys and the patterns it can start, computed once per distinct word."""
        cached = self._read_cache.get((token.surface, token.lemma))
        if cached is None:
            if len(self._read_cache) >= _READ_CACHE_SIZE:
                self._read_cache.clear()
            keys = self._keys(token)
            cached = self._read_cache[(token.surface, token.lemma)] = (keys, tuple(self._candidates(token, keys)))
        return cached

    def _keys(self, token: Token) -> frozenset[str]:
        """What a word can match as: lemma and written form, with and without accents, near seeds."""
        written = {token.surface, fold(token.surface)}
        keys = written | {token.lemma, fold(token.lemma)} | {_WRITTEN + word for word in written}
        if not keys & self._words and len(token.surface) >= _FUZZY_MIN_LENGTH and not _is_known(token.surface):
            keys.update(_near_words(token.surface, self._near))
        return frozenset(keys)


def _most_specific(found: set[Match]) -> list[Match]:
    """One match per span and theme, none inside a longer one: "free shipping" is price, not delivery."""
    by_span = {(match.theme, match.start, match.end): match for match in sorted(found, key=_specificity)}
    kept = list(by_span.values())
    return [match for match in kept if not any(_covers(other, match) for other in kept)]


def _specificity(match: Match) -> tuple[int, int]:
    return match.end - match.start, len(match.seed)


def _covers(other: Match, match: Match) -> bool:
    """``other`` spans ``match`` and says more: a longer span, or the same one by a longer seed."""
    inside = other.start <= match.start and match.end <= other.end
    return inside and _specificity(other) > _specificity(match) and (
        other.end - other.start > match.end - match.start or other.theme != match.theme)


def _seed_words(part: str, language: str) -> list[str]:
    """A seed's space-separated part as pattern words: ``...``, ``prefix*``, ``=written`` or words."""
    if part == _GAP:
        return [_GAP]
    words = [fold(word) for word in LATIN_WORD.findall(part)]
    if part.endswith("*") and words:
        return words[:-1] + [words[-1] + "*"]
    if part.startswith(_WRITTEN):
        return [_WRITTEN + word for word in words]
    return [fold(lemma(word, language)) for word in LATIN_WORD.findall(part)]


def _word_matches(word: str, keys: frozenset[str]) -> bool:
    if word.endswith("*"):
        return any(key.startswith(_WRITTEN + word[:-1]) for key in keys)
    return word in keys


def _match_rest(words: tuple[str, ...], position: int, keys: list[frozenset[str]], index: int) -> int | None:
    """The token index after the pattern's last word, when ``words[position:]`` match from ``index``."""
    if position == len(words):
        return index
    if words[position] == _GAP:
        for skip in range(_MAX_GAP + 1):
            end = _match_rest(words, position + 1, keys, index + skip)
            if end is not None:
                return end
        return None
    if index < len(keys) and _word_matches(words[position], keys[index]):
        return _match_rest(words, position + 1, keys, index + 1)
    return None


@lru_cache(maxsize=100_000)
def _is_known(word: str) -> bool:
    return is_known(word, _LATIN)


def _deletions(word: str) -> set[str]:
    return {word[:cut] + word[cut + 1:] for cut in range(len(word))}


def _deletion_index(words: set[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for word in words:
        if len(word) >= _FUZZY_MIN_LENGTH:
            for variant in _deletions(word) | {word}:
                index[variant].add(word)
    return dict(index)


def _near_words(written: str, index: dict[str, set[str]]) -> set[str]:
    folded = fold(written)
    candidates = set(index.get(folded, ()))
    for variant in _deletions(folded):
        candidates.update(index.get(variant, ()))
    return {word for word in candidates if _one_edit_apart(folded, word)}


@lru_cache(maxsize=100_000)
def _one_edit_apart(first: str, second: str) -> bool:
    """Damerau-Levenshtein distance of at most one (a typo: one letter missing, extra, wrong or swapped)."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    prefix = 0
    while prefix < min(len(first), len(second)) and first[prefix] == second[prefix]:
        prefix += 1
    if len(first) == len(second):
        swapped = first[prefix + 1:prefix + 2] + first[prefix:prefix + 1] + first[prefix + 2:]
        return first[prefix + 1:] == second[prefix + 1:] or swapped == second[prefix:]
    longer, shorter = (first, second) if len(first) > len(second) else (second, first)
    return longer[prefix + 1:] == shorter[prefix:]
