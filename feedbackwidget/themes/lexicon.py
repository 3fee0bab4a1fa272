"""The small word lists the analysis needs beside the libraries: survey filler, negation.

Stop words come from stopwords-iso (a maintained list per language); what it lacks is
the filler of survey answers ("two", "took", "nobody", "már", "也"), which counts
nothing a shop owner could act on. Negators start a phrase that is kept whole
("not in stock", "nem érkezett meg", "没有货").
"""

from __future__ import annotations

from functools import cache

import stopwordsiso

SURVEY_FILLER: dict[str, frozenset[str]] = {
    "en": frozenset(
        "one two three four five six seven eight nine ten twice first second third took take "
        "taking takes get got getting gets nobody anybody somebody anyone everyone someone "
        "anything everything something nothing answered said told say says went go going "
        "came come day days week weeks month months time times hour hours minute minutes "
        "ok okay lol pls please thanks thank yes yeah yet also still even really much many "
        "bit lot lots just though although would could should might will shall must "
        "im ive id dont didnt doesnt wasnt isnt cant wont arent werent havent hasnt".split()
    ),
    "hu": frozenset(
        "egy két kettő három négy öt hat hét nyolc kilenc tíz első második harmadik már még "
        "is sem se csak nagyon kicsit eléggé elég tartott tart vett vesz senki valaki semmi "
        "valami minden mindenki nap napot napig hét hetet hétig hónap hónapig óra órát perc "
        "percet idő időt ok oké köszi kösz köszönöm köszönjük igen nem nincs volt van lesz "
        "lett lenne lehet kell kellett majd aztán utána amúgy szóval hát pedig viszont".split()
    ),
    "zh": frozenset(
        "也 了 的 都 还 就 又 才 再 很 太 非常 特别 比较 一直 已经 一个 两个 两 三 几 天 周 "
        "两周 一周 小时 分钟 没人 有人 什么 怎么 这个 那个 这次 上次 东西 时候 感觉 觉得 "
        "真的 实在 还是 但是 而且 因为 所以 然后 不过 可以 可能 应该 已 花 说 问 看 等 "
        "谢谢 好的 挺 吧 啊 呢 吗 哦 嗯".split()
    ),
}

NEGATORS: dict[str, frozenset[str]] = {
    "en": frozenset("not no never without cannot cant dont didnt doesnt wasnt isnt wont "
                    "arent werent havent hasnt couldnt wouldnt".split()),
    "hu": frozenset("nem nincs nincsen sem se semmi soha nélkül".split()),
    "zh": frozenset("没有 没 不 未 无 别 不能 不了 没法 无法 不是 不会".split()),
}
"""Words that turn what follows into its negation; an English "n't" ending counts too."""

HUNGARIAN_PREVERBS = frozenset("meg el ki be le fel föl át vissza oda ide össze".split())
"""Preverbs split from a negated verb ("nem érkezett meg"): they belong to its phrase."""

CHINESE_DEGREE = frozenset("太 很 好 超 非常 特别 十分 挺 真 极 超级 有点 有些".split())
"""Degree words that join a topic and its quality into one phrase ("物流太慢")."""


@cache
def stop_words(language: str) -> frozenset[str]:
    """stopwords-iso's list for ``language`` plus its survey filler, without negators."""
    listed = frozenset(stopwordsiso.stopwords(language))
    return (listed | SURVEY_FILLER[language]) - NEGATORS[language]
