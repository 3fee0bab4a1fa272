"""CSV exports of complaints and of their analysis, safe to open in a spreadsheet.

The rows are values; :mod:`feedbackwidget.core.spreadsheet` writes them (UTF-8 with a
BOM, every field quoted, no cell a spreadsheet would run as a formula).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ...core.spreadsheet import ROWS_PER_CHUNK, csv_chunks
from ...themes.store import ThemeLookup, theme_keys_text, with_theme_keys
from ...complaints.analysis import ComplaintAnalysis, PeriodFigures
from ...complaints.deadlines import is_overdue
from ...complaints.models import Complaint

COMPLAINT_COLUMNS: tuple[str, ...] = (
    "reference", "site", "received_at", "due_at", "status", "overdue", "channel", "category", "customer_name",
    "customer_email", "customer_phone", "order_number", "customer_id", "loyalty_tier", "escalation_level",
    "assignee", "verdict", "root_cause", "compensation_type", "compensation_amount", "compensation_currency",
    "first_response_at", "resolved_at", "reopen_count", "response_id", "description", "desired_resolution", "themes",
)


def complaint_csv(rows: Iterable[tuple[Complaint, str, str | None]], now: dt.datetime,
                  themes_of: ThemeLookup | None = None) -> Iterator[str]:
    """The complaint export in chunks of CSV text: one row per ``(complaint, site name, assignee)``.

    :param themes_of: the stored themes of complaint ids (:func:`.themes_of_complaints` bound to a
        session), asked once per chunk of rows; without it the ``themes`` column is empty.
    """
    lookup: ThemeLookup = themes_of or (lambda ids: {})
    with_keys = with_theme_keys(rows, lambda row: row[0].id, lookup, ROWS_PER_CHUNK)
    return csv_chunks(COMPLAINT_COLUMNS, (complaint_row(c, site, assignee, now, keys)
                                          for (c, site, assignee), keys in with_keys))


def complaint_row(complaint: Complaint, site_name: str, assignee: str | None, now: dt.datetime,
                  themes: Sequence[str] = ()) -> list[Any]:
    c = complaint
    return [
        c.reference, site_name, c.received_at, c.due_at, c.status, is_overdue(c, now), c.channel, c.category,
        c.customer_name, c.customer_email, c.customer_phone, c.order_number, c.customer_id, c.loyalty_tier,
        c.escalation_level, assignee, c.verdict, c.root_cause, c.compensation_type, c.compensation_amount,
        c.compensation_currency, c.first_response_at, c.resolved_at, c.reopen_count, c.response_id,
        c.description, c.desired_resolution, theme_keys_text(themes),
    ]


def _figures(figures: PeriodFigures) -> dict[str, Any]:
    return {
        "complaints": figures.count, "justified": figures.justified, "unfounded": figures.unfounded,
        "justified_share": figures.justified_share, "loyalty_members": figures.loyalty_members,
        "known_customers": figures.known_customers,
        "median_first_response_hours": figures.median_first_response_hours,
        "median_resolution_hours": figures.median_resolution_hours,
        "within_deadline_share": figures.within_deadline_share, "open_overdue": figures.open_overdue,
        "reopen_rate": figures.reopen_rate,
    }


def _breakdown(name: str, current: Mapping[str, int], previous: Mapping[str, int]) -> list[list[Any]]:
    keys = [*current, *(key for key in previous if key not in current)]
    return [[name, key, current.get(key, 0), previous.get(key, 0)] for key in keys]


def analysis_rows(result: ComplaintAnalysis) -> list[list[Any]]:
    """``section, key, current, previous`` rows of every figure of *result*."""
    current, previous = _figures(result.current), _figures(result.previous)
    rows: list[list[Any]] = [["total", key, value, previous[key]] for key, value in current.items()]
    rows.append(["total", "change", result.change, ""])
    for name in ("by_channel", "by_category", "by_root_cause", "by_loyalty_tier", "loyalty_by_category"):
        rows += _breakdown(name, getattr(result.current, name), getattr(result.previous, name))
    rows += [[f"compensation:{row.currency}", row.category, row.total, ""] for row in result.current.compensation]
    return rows
