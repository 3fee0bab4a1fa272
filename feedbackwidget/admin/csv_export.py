"""Responses as CSV for spreadsheets: UTF-8 with a BOM (Excel), RFC 4180 quoting, and no
cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..metrics.formulas import nps_band

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER: tuple[str, ...] = (
    "id", "created_at", "site", "survey", "nps_score", "nps_band", "csat", "in_stock", "loyalty_score",
    "loyalty_tier", "comment", "page_url", "locale", "customer_id", "customer_email", "followed_up_at", "answers",
)


def safe_cell(value: Any) -> str:
    """*value* as text, with a leading ``'`` when it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def response_cells(row: Any) -> list[str]:
    response = row[0]
    values = (
        response.id, response.created_at.isoformat(), row.site_name, row.survey_slug, response.nps_score,
        nps_band(response.nps_score), response.csat, response.in_stock, response.loyalty_score,
        response.loyalty_tier, response.comment, response.page_url, response.locale, response.customer_id,
        response.customer_email, row.followed_up_at.isoformat() if row.followed_up_at else None,
        json.dumps(response.answers, ensure_ascii=False, sort_keys=True),
    )
    return [safe_cell(value) for value in values]


def csv_chunks(rows: Iterable[Any], rows_per_chunk: int = 500) -> Iterator[str]:
    """The BOM, the header, then the rows in chunks of text (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow(response_cells(row))
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
