"""The most frequent words in the reasons given with low scores.

The comments are picked in SQL (the newest low-score ones of the period, through
the site/date index); splitting text into words is done here because neither
database has a portable tokenizer.  Chinese has no spaces between words, so runs
of Han characters are counted as two-character words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.models import Response
from ..responses.purposes import is_site_feedback
from .formulas import DETRACTOR_MAX
from .periods import Period, day_start

SAMPLE_SIZE = 1000
LATIN_WORD = re.compile(r"[^\W\d_\u4e00-\u9fff]{3,}", re.UNICODE)
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
STOPWORDS = frozenset("""
the and was but for not with that this have you are our very too your they had has from were there
what when would could been just all any out can get got one more than them then its it's into about
also much some only will did does don't didn't very
egy az és hogy nem volt van de meg is a már csak még nagyon mert ami amit ezt azt vagy ha kell lett
""".split())
HAN_STOPWORDS = frozenset({"我们", "你们", "他们", "一个", "没有", "不是", "就是", "因为", "所以", "但是"})


def low_score_comments(db: Session, site_ids: Sequence[int], period: Period, limit: int = SAMPLE_SIZE) -> list[str]:
    """The newest comments given with a detractor NPS score or a bad CSAT rating."""
    low = or_(Response.nps_score <= DETRACTOR_MAX, Response.csat == "bad")
    query = (
        select(Response.comment)
        .where(Response.site_id.in_(site_ids), Response.created_at >= day_start(period.start),
               Response.created_at < day_start(period.end), low, Response.comment.is_not(None), is_site_feedback())
        .order_by(Response.created_at.desc())
        .limit(limit)
    )
    return [comment for comment in db.scalars(query) if comment]


def words_of(text: str) -> list[str]:
    lowered = text.lower()
    words = [w for w in LATIN_WORD.findall(lowered) if w not in STOPWORDS]
    for run in HAN_RUN.findall(lowered):
        words.extend(b for b in (run[i:i + 2] for i in range(len(run) - 1)) if b not in HAN_STOPWORDS)
    return words


def frequent_words(comments: Sequence[str], top: int = 20) -> list[tuple[str, int]]:
    """The *top* words by the number of comments they appear in."""
    counts: Counter[str] = Counter()
    for comment in comments:
        counts.update(set(words_of(comment)))
    return counts.most_common(top)
