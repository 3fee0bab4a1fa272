"""The SQL each figure is made of: measures over responses and their dimensions.

Everything is an SQLAlchemy expression that runs on SQLite and PostgreSQL; the
few functions that differ (a timestamp's UTC day, a week's Monday, text before
``?``) are chosen by dialect name.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Integer, Select, String, and_, bindparam, case, cast, func, literal, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from ..core.models import Response, Survey
from ..responses.purposes import is_site_feedback
from .formulas import DETRACTOR_MAX, PROMOTER_MIN
from .models import MEASURE_NAMES

PAGE_KEY_LENGTH = 300
DIMENSIONS: tuple[str, ...] = ("tier", "score", "page", "reward")
REWARD_QUESTION = "preferred_reward"
LOYALTY_TEMPLATE = "loyalty"


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def measures() -> dict[str, ColumnElement[int]]:
    """Each roll-up sum as an aggregate over ``fw_responses``."""
    found: dict[str, ColumnElement[int]] = {
        "responses": func.count(),
        "nps_total": func.count(Response.nps_score),
        "promoters": _count_if(Response.nps_score >= PROMOTER_MIN),
        "detractors": _count_if(Response.nps_score <= DETRACTOR_MAX),
        "csat_total": func.count(Response.csat),
        "csat_excellent": _count_if(Response.csat == "excellent"),
        "stock_total": func.count(Response.in_stock),
        "stock_no": _count_if(Response.in_stock.is_(False)),
        "loyalty_total": func.count(Response.loyalty_score),
        "loyalty_sum": func.coalesce(func.sum(Response.loyalty_score), 0),
        "loyalty_promoters": _count_if(Response.loyalty_score >= PROMOTER_MIN),
        "loyalty_detractors": _count_if(Response.loyalty_score <= DETRACTOR_MAX),
    }
    assert tuple(found) == MEASURE_NAMES
    return found


def utc_day(dialect: str, timestamp: Any) -> ColumnElement[dt.date]:
    """The UTC calendar day of a stored timestamp."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", timestamp), Date)
    return type_coerce(func.date(timestamp), Date)


def week_start(dialect: str, day: Any) -> ColumnElement[dt.date]:
    """The Monday of *day*'s week."""
    if dialect == "postgresql":
        return cast(func.date_trunc("week", day), Date)
    return type_coerce(func.date(day, "weekday 0", "-6 days"), Date)


def page_key(dialect: str) -> ColumnElement[str]:
    """The page a response came from, without its query string, cut to a fixed length."""
    url = func.coalesce(Response.page_url, "")
    if dialect == "postgresql":
        return func.substr(func.split_part(url, "?", 1), 1, PAGE_KEY_LENGTH)
    else:
        position = func.instr(url, "?")
        path: ColumnElement[Any] = case((position > 0, func.substr(url, 1, position - 1)), else_=url)
    return func.substr(path, 1, PAGE_KEY_LENGTH)


def dimension_value(dialect: str, dim: str) -> tuple[ColumnElement[str], list[ColumnElement[bool]]]:
    """The value a response has for dimension *dim*, and which responses count in it."""
    if dim == "tier":
        return func.coalesce(Response.loyalty_tier, ""), []
    if dim == "score":
        return cast(Response.nps_score, String), [Response.nps_score.is_not(None)]
    if dim == "page":
        return page_key(dialect), [Response.nps_score.is_not(None)]
    if dim == "reward":
        loyalty_surveys = select(Survey.id).where(Survey.template == LOYALTY_TEMPLATE)
        reward = Response.answers[REWARD_QUESTION].as_string()
        return func.coalesce(reward, ""), [Response.survey_id.in_(loyalty_surveys), reward.is_not(None)]
    raise ValueError(f"unknown dimension {dim!r}: use one of {DIMENSIONS}")


@lru_cache(maxsize=32)
def grouped_responses(dialect: str, dim: str) -> Select[Any]:
    """Sums of the site feedback (not the complaint-handling survey's answers) stored in [``:since``,
    ``:until``) of the sites ``:site_ids``, per site, UTC day and *dim* value: the roll-up rows, computed
    from the responses themselves.

    Built once per dialect and dimension (building SQLAlchemy expressions costs more
    than running them); execute it with the three parameters.
    """
    value, conditions = dimension_value(dialect, dim)
    day = utc_day(dialect, Response.created_at)
    window = and_(Response.site_id.in_(bindparam("site_ids", expanding=True)),
                  Response.created_at >= bindparam("since"), Response.created_at < bindparam("until"),
                  is_site_feedback())
    columns: list[Any] = [Response.site_id.label("site_id"), literal(dim, String).label("dim"), day.label("day"),
                          value.label("value"), *(m.label(name) for name, m in measures().items())]
    return select(*columns).where(window, *conditions).group_by(Response.site_id, day, value)


def as_integer(expression: ColumnElement[object]) -> ColumnElement[int]:
    return cast(expression, Integer)
