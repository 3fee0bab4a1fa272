"""The most frequent words of free-text answers, in English, Hungarian and Chinese.

Latin-script words of three letters or more are counted lower-cased, without
common stop words.  Chinese is written without spaces and we ship no
dictionary, so runs of Chinese characters are counted as overlapping
two-character pairs (most Chinese words are two characters long), skipping
pairs that contain a particle such as 的 or 了: an approximation, shown as such.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

LATIN_WORD = re.compile(r"[^\W\d_]{3,}")
CHINESE_RUN = re.compile(r"[\u4e00-\u9fff]+")
STOP_WORDS = frozenset("""
the and for are but not you your with this that have has had was were will would could should can our out
all any too very just from they them their there what when which who how why its it's about into than then
also only more most some such been being did does doing got get very really much many one two because
so of to in on at by or as is it be we me my he she his her an a i no yes don't didn't
hogy nem egy volt van az és de is már még csak meg mint vagy ami ez azt ezt nagyon lenne lett olyan
mert ha sem sok kell lehet minden nincs voltak vagyok vagy nekem nekünk ti mi ők itt ott majd
után előtt alatt felett között által pedig igen akkor amikor mikor hol aki amit amely ezek azok
""".split())
CHINESE_PARTICLES = frozenset("的了是我你他她它们在有和也都就很不没这那吗呢吧啊")


def words_of(text: str) -> list[str]:
    """The countable words of *text*: Latin words minus stop words, and Chinese character pairs."""
    latin = [w for w in LATIN_WORD.findall(text.lower()) if w not in STOP_WORDS and not CHINESE_RUN.search(w)]
    pairs = [run[i:i + 2] for run in CHINESE_RUN.findall(text) for i in range(len(run) - 1)]
    return latin + [p for p in pairs if not set(p) & CHINESE_PARTICLES]


def top_words(texts: Iterable[str], limit: int = 10) -> list[tuple[str, int]]:
    """The *limit* most frequent words of *texts* with their counts (ties: alphabetical)."""
    counts = Counter(word for text in texts for word in words_of(text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
