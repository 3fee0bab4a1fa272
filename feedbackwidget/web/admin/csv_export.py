"""Responses as CSV for spreadsheets: UTF-8 with a BOM (Excel), every field quoted, and no
cell that a spreadsheet would run as a formula (see :mod:`feedbackwidget.core.spreadsheet`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ...metrics.formulas import nps_band
from ...core.spreadsheet import ROWS_PER_CHUNK
from ...core.spreadsheet import csv_chunks as spreadsheet_chunks
from ...themes.store import ThemeLookup, theme_keys_text, with_theme_keys

HEADER: tuple[str, ...] = (
    "id", "created_at", "site", "survey", "nps_score", "nps_band", "csat", "in_stock", "loyalty_score",
    "loyalty_tier", "comment", "page_url", "locale", "customer_id", "customer_email", "followed_up_at", "answers",
    "themes",
)


def response_values(row: Any, themes: Sequence[str] = ()) -> list[Any]:
    """The values of one exported response, in :data:`HEADER` order; ``themes`` are its theme keys."""
    response = row[0]
    return [
        response.id, response.created_at, row.site_name, row.survey_slug, response.nps_score,
        nps_band(response.nps_score), response.csat, response.in_stock, response.loyalty_score,
        response.loyalty_tier, response.comment, response.page_url, response.locale, response.customer_id,
        response.customer_email, row.followed_up_at,
        json.dumps(response.answers, ensure_ascii=False, sort_keys=True), theme_keys_text(themes),
    ]


def csv_chunks(rows: Iterable[Any], rows_per_chunk: int = ROWS_PER_CHUNK,
               themes_of: ThemeLookup | None = None) -> Iterator[str]:
    """The BOM, the header, then the rows in chunks of text (for a streamed response).

    :param themes_of: the stored themes of response ids (:func:`.themes_of_responses` bound to a
        session), asked once per chunk of rows; without it the ``themes`` column is empty.
    """
    lookup: ThemeLookup = themes_of or (lambda ids: {})
    with_keys = with_theme_keys(rows, lambda row: int(row[0].id), lookup, rows_per_chunk)
    return spreadsheet_chunks(HEADER, (response_values(row, keys) for row, keys in with_keys), rows_per_chunk)
