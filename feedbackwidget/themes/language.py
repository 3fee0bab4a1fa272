"""Which of the three supported languages a comment is written in, offline.

A Hungarian shop gets English comments and a Chinese shop Hungarian ones, so the page's
language is only a hint: Chinese is told by its script, Hungarian from English by the
letters only Hungarian uses and by the small words each language cannot do without.
A text too short to tell (``"ok"``, ``"👍"``, ``"10/10"``) keeps the hint.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "hu", "zh")
"""The languages analysed, as ISO 639-1 codes."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Typed without accents, Hungarian still shows its digraphs, rare in English ("szallitas", "gyors").
_HUNGARIAN_DIGRAPHS = re.compile(r"sz|gy|cs|zs")
_HUNGARIAN_LETTERS = re.compile(r"[őűŐŰ]|[áéíóöüúÁÉÍÓÖÜÚ]")

# Words frequent in one language and absent from the other (so not "a", "is" or "most").
_HUNGARIAN_WORDS = frozenset(
    "az és nem hogy meg van volt nagyon de csak már még egy ez ami mert nincs lett sem se "
    "jó kicsit sokat sok minden semmi mindig soha nekem nekünk kaptam lenne lehetne "
    "mikor amikor után alatt nélkül vagy ha akkor pedig hanem viszont rendben köszönöm "
    "kösz köszi szuper rossz drága olcsó gyors lassú csomag futár rendelés rendeltem "
    "termék bolt oldal héten napot nap hét ár ára".split()
)
_ENGLISH_WORDS = frozenset(
    "the and was were not to it my of for very with but they you no this that have had "
    "has be been are i me we our your their there what when would could should did "
    "didn't don't doesn't wasn't isn't can't won't dont didnt cant wont from at on in "
    "too so just only never always got get really great good bad nice thanks thank "
    "order ordered ordering delivery shipping price item store shop nothing everything anything "
    "awesome love fine will we'll see again recommend guys would about after before because".split()
)


def detect_language(text: str, hint: str | None = None) -> str:
    """The language of ``text``: ``"en"``, ``"hu"`` or ``"zh"``.

    :param text: a comment as the customer wrote it.
    :param hint: the language to fall back on when the text is too short or ambiguous
        to tell (usually the page's); ``"en"`` when it is ``None`` or not supported.
    """
    fallback = hint if hint in LANGUAGES else "en"
    words = [word.lower() for word in _WORD.findall(text)]
    han_count = len(_HAN.findall(text))
    if han_count and han_count >= len([word for word in words if not _HAN.search(word)]):
        return "zh"
    hungarian = _hungarian_evidence(text, words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    if hungarian == english:
        return fallback
    return "hu" if hungarian > english else "en"


def _hungarian_evidence(text: str, words: list[str]) -> int:
    accented_words = sum(bool(_HUNGARIAN_LETTERS.search(word)) for word in words)
    listed = sum(word in _HUNGARIAN_WORDS and word.isascii() for word in words)
    unaccented = sum(bool(_HUNGARIAN_DIGRAPHS.search(word)) for word in words if word.isascii())
    return accented_words + listed + unaccented
