"""The small word lists the analysis needs beside the libraries: survey filler, negation.

Stop words come from stopwords-iso (a maintained list per language); what it lacks is
the filler of survey answers ("two", "took", "nobody", "már", "也"), which counts
nothing a shop owner could act on. Negators start a phrase that is kept whole
("not in stock", "nem érkezett meg", "没有货").
"""

from __future__ import annotations

from functools import cache

import stopwordsiso

from .tokens import fold

SURVEY_FILLER: dict[str, frozenset[str]] = {
    "en": frozenset(
        "one two three four five six seven eight nine ten twice first second third took take "
        "taking takes get got getting gets nobody anybody somebody anyone everyone someone "
        "anything everything something nothing answered said told say says went go going "
        "came come day days week weeks month months time times hour hours minute minutes "
        "ok okay lol pls please thanks thank yes yeah yet also still even really much many "
        "bit lot lots just though although would could should might will shall must "
        "eur usd gbp huf kg cm tho idk tbh pls plz lol im ive id dont didnt doesnt wasnt isnt cant wont arent werent havent hasnt".split()
    ),
    "hu": frozenset(
        "egy két kettő három négy öt hat hét nyolc kilenc tíz első második harmadik már még "
        "is sem se csak nagyon kicsit eléggé elég tartott tart vett vesz senki valaki semmi "
        "valami minden mindenki nap napot napig hét hetet hétig hónap hónapig óra órát perc "
        "percet idő időt ok oké köszi kösz köszönöm köszönjük igen nem nincs volt van lesz "
        "lett lenne lehet kell kellett majd aztán utána amúgy szóval hát pedig viszont tud akar "
        "kér rendel rendelés megrendel vesz vett kap kaptam jön megy ad mond ír csinál ft huf eur db kg "
        "cm hónapja hete napja napon órára".split()
    ),
    "zh": frozenset(
        "也 了 的 都 还 就 又 才 再 很 太 非常 特别 比较 一直 已经 一个 两个 两 三 几 天 周 "
        "两周 一周 小时 分钟 没人 有人 什么 怎么 这个 那个 这次 上次 东西 时候 感觉 觉得 "
        "真的 实在 还是 但是 而且 因为 所以 然后 不过 可以 可能 应该 已 花 说 问 看 等 "
        "谢谢 好的 挺 吧 啊 呢 吗 哦 嗯 星期 个月 希望 知道 不知道 没啥 一下 一点 有点 还有 现在 之后 以后 "
        "每次 结果 订单 下单 买 买了 收到 告诉 发现 出来 今天 昨天 明天 老是 建议 显示 啥 总是 没什么 什么的".split()
    ),
}

NEGATORS: dict[str, frozenset[str]] = {
    "en": frozenset("not no never nobody without cannot cant dont didnt doesnt wasnt isnt wont "
                    "arent werent havent hasnt couldnt wouldnt".split()),
    "hu": frozenset("nem nincs nincsen sem se semmi senki soha nélkül".split()),
    "zh": frozenset("没有 没 没人 不 未 无 别 不能 不了 没法 无法 不是 不会".split()),
}
"""Words that turn what follows into its negation; an English "n't" ending counts too."""

HUNGARIAN_PREVERBS = frozenset("meg el ki be le fel föl át vissza oda ide össze".split())
"""Preverbs split from a negated verb ("nem érkezett meg"): they belong to its phrase."""

CHINESE_DEGREE = frozenset("太 很 好 超 非常 特别 十分 挺 真 极 超级 有点 有些".split())
"""Degree words that join a topic and its quality into one phrase ("物流太慢")."""


@cache
def stop_words(language: str) -> frozenset[str]:
    """stopwords-iso's list for ``language`` and its survey filler, also without accents.

    Negators are not stop words (they start phrases), nor are the built-in taxonomy's
    one-word seeds: stopwords-iso lists "website", "site" and "page", which a shop owner
    needs to see.
    """
    listed = set(stopwordsiso.stopwords(language)) | SURVEY_FILLER[language]
    listed |= {fold(word) for word in listed}
    return frozenset(listed - NEGATORS[language] - _shop_words(language))


def _shop_words(language: str) -> set[str]:
    from .taxonomy import BUILT_IN

    return {seed.lower() for theme in BUILT_IN.themes for seed in theme.seeds.get(language, ())
            if seed.isalpha()}
