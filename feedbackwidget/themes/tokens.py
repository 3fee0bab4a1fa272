"""Words with their lemmas and character offsets, in the language they are written in.

English and Hungarian are lemmatised with simplemma ("szállítással", "szállításnál" ->
"szállítás"); Chinese is segmented with jieba (:mod:`.chinese`). Offsets point into the
original text, so a matched word can be highlighted where the customer wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .chinese import segment
from .lemmas import lemmatize

LATIN_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ENGLISH_NEGATED = re.compile(r"(?:n['’]t|^cannot)$")
_ENGLISH_NOT_WORDS = frozenset("dont didnt doesnt wasnt isnt wont arent werent havent hasnt couldnt "
                               "wouldnt shouldnt aint cant".split())


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: as written (lower-cased), its lemma, and where it stands."""

    surface: str
    lemma: str
    start: int
    end: int


def tokenize(text: str, language: str) -> list[Token]:
    """The words of ``text`` read as ``language`` (``"en"``, ``"hu"`` or ``"zh"``).

    Punctuation, digits, emoji and spaces are not words. In a Chinese text, runs of
    Latin letters ("app", "ok") are words too, lemmatised as English.
    """
    if language == "zh":
        return _chinese_tokens(text)
    return [_latin_token(match, language) for match in LATIN_WORD.finditer(text)]


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """``word`` without accents, as customers type on a phone ("szallitas")."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The dictionary form of a lower-cased ``word``; English negations become "not"."""
    if language == "en" and (word in _ENGLISH_NOT_WORDS or _ENGLISH_NEGATED.search(word)):
        return "not"
    if language == "zh":
        return word
    return lemmatize(word, language).lower()


def _latin_token(match: re.Match[str], language: str) -> Token:
    surface = match.group().lower().replace("’", "'")
    return Token(surface, lemma(surface, language), match.start(), match.end())


def _chinese_tokens(text: str) -> list[Token]:
    found = []
    for word, start, end in segment(text):
        if HAN.search(word):
            found.append(Token(word, word, start, end))
        elif word.isalpha():
            surface = word.lower()
            found.append(Token(surface, lemma(surface, "en"), start, end))
    return found
