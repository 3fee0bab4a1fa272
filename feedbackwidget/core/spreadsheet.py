"""CSV files that are safe to open in a spreadsheet: the one formula neutraliser every export uses.

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``,
``-`` or ``@`` (Excel and LibreOffice also after leading spaces or line breaks,
and after the full-width ``＝＋－＠`` that an IME types), and treats a leading tab
or carriage return as the start of one too. Such a cell gets a leading ``'``:
the spreadsheet then shows the text as it is. Every field is quoted, the file
starts with a BOM (so Excel reads UTF-8) and lines end with CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CONTROL_STARTS = ("\t", "\r")
NEUTRALISER = "'"
ROWS_PER_CHUNK = 500


def _without_leading_blanks(text: str) -> str:
    """*text* without the spaces, line breaks and invisible format characters it starts with."""
    start = 0
    while start < len(text) and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    return text[start:]


def would_be_formula(text: str) -> bool:
    """Whether a spreadsheet could run *text* (a cell's whole text) as a formula."""
    return text.startswith(CONTROL_STARTS) or _without_leading_blanks(text).startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """*text* with a leading ``'`` when it would be a formula, else unchanged."""
    return NEUTRALISER + text if would_be_formula(text) else text


def cell(value: Any) -> str:
    """*value* as the text of a CSV cell: numbers as they are, text neutralised, ``None`` empty.

    Datetimes are written in UTC (ISO 8601), booleans as ``yes``/``no``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    return neutralise(str(value))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], rows_per_chunk: int = ROWS_PER_CHUNK
               ) -> Iterator[str]:
    """The BOM and *header*, then *rows* (every value through :func:`cell`) in chunks of CSV text.

    Meant for a streamed response: at most *rows_per_chunk* rows are held at a time.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    yield BOM + _drain(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for value in row])
        if count % rows_per_chunk == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV text at once, for small files (the complaint analysis)."""
    return "".join(csv_chunks(header, rows))
