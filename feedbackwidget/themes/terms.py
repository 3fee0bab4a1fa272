"""Terms a shop owner can read: lemmas, negations and short phrases, never filler.

"szállítás", "szállítással" and "szállításnál" are one term; "not in stock", "nem érkezett
meg" and "没有货" stay whole, and so do the taxonomy's own phrases ("late delivery",
"物流太慢"). Stop words, numbers, single characters, emoji and word fragments are never
terms. :func:`key_phrases` finds the phrases a site's own texts repeat (collocations).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import CHINESE_DEGREE, HUNGARIAN_PREVERBS, NEGATORS, stop_words
from .matching import Match
from .model import Taxonomy
from .taxonomy import BUILT_IN
from .tokens import Token, fold, tokenize

_LOOKAHEAD = 3
_WORD_SEPARATORS = re.compile(r"[-'’]")
# "三天", "两周", "第三次", "半个月": numbers written in Chinese, with their units
_CHINESE_QUANTITY = re.compile(r"^第?[零〇一二两三四五六七八九十百千万几半多]+[天周年月日号次个件块元分秒小时星期礼拜倍遍趟斤]*$")


@dataclass(frozen=True, slots=True)
class Term:
    """A term (its lemmas, e.g. ``"not in stock"``) and where ``text[start:end]`` says it.

    ``words`` is how many words it is made of: two or more for a phrase.
    """

    text: str
    start: int
    end: int
    words: int = 1


def terms(text: str, language: str, taxonomy: Taxonomy = BUILT_IN) -> list[Term]:
    """The terms of ``text`` read as ``language``, in text order.

    :param taxonomy: whose multi-word seeds are kept whole as phrases.
    """
    tokens = tokenize(text, language)
    return terms_of_tokens(text, tokens, language, taxonomy.matcher.find(text, language, tokens))


def terms_of_tokens(text: str, tokens: list[Token], language: str, matches: list[Match]) -> list[Term]:
    """:func:`terms` from a text's tokens and theme matches, when the caller has them."""
    found = _seed_phrases(text, tokens, language, matches)
    taken = {index for phrase in found for index in phrase[1]}
    index = 0
    while index < len(tokens):
        if index in taken:
            index += 1
            continue
        span = _negation(text, tokens, index, language) or _degree(text, tokens, index, language)
        if span is None:
            span = [index] if _is_content(tokens[index], language) else []
        if span and not taken.intersection(span):
            found.append((_join([tokens[at] for at in span], language), span))
            taken.update(span)
        index = max(span, default=index) + 1
    ordered = sorted(found, key=lambda phrase: phrase[1][0])
    return [Term(name, tokens[span[0]].start, tokens[span[-1]].end, len(span)) for name, span in ordered]


def top_terms(texts: Iterable[str], language: str, limit: int = 20,
              taxonomy: Taxonomy = BUILT_IN) -> list[tuple[str, int]]:
    """The ``limit`` terms most texts mention, with the number of texts that do."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({term.text for term in terms(text, language, taxonomy)})
    return counts.most_common(limit)


def key_phrases(texts: Iterable[str], language: str, min_count: int = 3, limit: int = 20,
                taxonomy: Taxonomy = BUILT_IN) -> list[tuple[str, int]]:
    """Phrases the texts repeat: multi-word terms, and terms that follow each other in at
    least ``min_count`` texts (collocations over the site's own texts), most frequent first.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({phrase for phrase, _, _ in phrases(text, language, terms(text, language, taxonomy))})
    return [(phrase, count) for phrase, count in counts.most_common() if count >= min_count][:limit]


def phrases(text: str, language: str, found: list[Term]) -> list[tuple[str, int, int]]:
    """Multi-word terms and runs of two or three adjacent terms, as ``(phrase, start, end)``."""
    joiner = "" if language == "zh" else " "
    result = [(term.text, term.start, term.end) for term in found if term.words >= 2]
    for size in (2, 3):
        for first in range(len(found) - size + 1):
            run = found[first:first + size]
            if all(text[left.end:right.start].strip() == "" and text[left.end:right.start].count(" ") <= 1
                   for left, right in zip(run, run[1:])):
                result.append((joiner.join(term.text for term in run), run[0].start, run[-1].end))
    return result


def _seed_phrases(text: str, tokens: list[Token], language: str,
                  matches: list[Match]) -> list[tuple[str, list[int]]]:
    """The taxonomy's multi-word seeds found in the text, each with its token indexes."""
    found: list[tuple[str, list[int]]] = []
    for match in matches:
        span = [index for index, token in enumerate(tokens) if match.start <= token.start and token.end <= match.end]
        if span and span[0] > 0 and _is_negator(tokens[span[0] - 1], language) and (
                _adjacent(text, tokens[span[0] - 1], tokens[span[0]])):
            span.insert(0, span[0] - 1)
        if span:
            span += _preverb(text, tokens, span[-1], language)
        if len(span) >= 2 and "..." not in match.seed and not any(set(span) & set(taken) for _, taken in found):
            found.append((_seed_phrase_name(match, [tokens[index] for index in span], language), span))
    return found


def _seed_phrase_name(match: Match, tokens: list[Token], language: str) -> str:
    """A plain seed names its phrase as the taxonomy writes it ("free shipping", not "free ship")."""
    if language == "zh" or not match.seed.replace(" ", "").isalpha():
        return _join(tokens, language)
    seed_tokens = [token for token in tokens if match.start <= token.start and token.end <= match.end]
    before = [token.surface for token in tokens if token.end <= match.start]
    after = [token.surface for token in tokens if token.start >= match.end]
    return " ".join(before + [match.seed.lower()] * bool(seed_tokens) + after)


def _negation(text: str, tokens: list[Token], index: int, language: str) -> list[int] | None:
    """A negator and the words up to the next content word: "not in stock", "nem érkezett meg"."""
    if not _is_negator(tokens[index], language):
        return None
    span = [index]
    for ahead in range(index + 1, min(index + 1 + _LOOKAHEAD, len(tokens))):
        if not _adjacent(text, tokens[ahead - 1], tokens[ahead]) or _is_negator(tokens[ahead], language):
            return None
        span.append(ahead)
        if _is_content(tokens[ahead], language) or _is_chinese_word(tokens[ahead], language):
            return span + _preverb(text, tokens, ahead, language)
    return None


def _preverb(text: str, tokens: list[Token], index: int, language: str) -> list[int]:
    after = index + 1
    if language == "hu" and after < len(tokens) and tokens[after].surface in HUNGARIAN_PREVERBS and (
            _adjacent(text, tokens[index], tokens[after])):
        return [after]
    return []


def _degree(text: str, tokens: list[Token], index: int, language: str) -> list[int] | None:
    """A Chinese topic, a degree word and a quality: "物流太慢", "质量很好"."""
    if language != "zh" or index + 1 >= len(tokens) or not _is_content(tokens[index], language):
        return None
    following = tokens[index + 1]
    if not _adjacent(text, tokens[index], following):
        return None
    if following.surface in CHINESE_DEGREE and index + 2 < len(tokens) and _adjacent(text, following, tokens[index + 2]):
        return [index, index + 1, index + 2]
    if len(following.surface) == 2 and following.surface[0] in CHINESE_DEGREE:
        return [index, index + 1]
    return None


def _is_chinese_word(token: Token, language: str) -> bool:
    """In Chinese a negated verb may be one character ("不回"); it still must say something."""
    return language == "zh" and not token.surface.isascii() and token.surface not in stop_words("zh")


def _adjacent(text: str, left: Token, right: Token) -> bool:
    between = text[left.end:right.start]
    return between.strip() == "" and len(between) <= 1


def _is_negator(token: Token, language: str) -> bool:
    return token.lemma == "not" or token.surface in NEGATORS[language]


def _is_content(token: Token, language: str) -> bool:
    """A word that says something: not a stop word, not one letter, not a number or emoji."""
    return _is_content_word(token.surface, token.lemma, language)


@lru_cache(maxsize=200_000)
def _is_content_word(surface: str, lemma: str, language: str) -> bool:
    stops = stop_words("en" if language == "zh" and surface.isascii() else language)
    return (len(surface) >= 2 and len(lemma) >= 2 and _WORD_SEPARATORS.sub("", surface).isalpha() and not _CHINESE_QUANTITY.match(surface)
            and lemma != "not" and surface not in NEGATORS[language]
            and not {surface, lemma, fold(surface), fold(lemma)} & stops)


def _join(tokens: list[Token], language: str) -> str:
    if language == "zh":
        return "".join(token.surface for token in tokens)
    return " ".join(token.lemma if _is_content(token, language) else token.surface for token in tokens)
