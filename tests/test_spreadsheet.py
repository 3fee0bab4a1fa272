"""The CSV neutraliser every export uses: no cell a spreadsheet would run, nothing else changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from decimal import Decimal
from typing import Any

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from feedbackwidget.web.complaints.export import COMPLAINT_COLUMNS
from feedbackwidget.core.models import Site
from feedbackwidget.core.spreadsheet import cell, csv_chunks, neutralise

from .test_admin_responses import EXPORT, add
from .test_complaints_api import complaint_body, complaints, post_complaint

FORMULA_CHARACTERS = "=+-@＝＋－＠"
BLANKS = " \n\r\t\u00a0\u3000\u2028\u200b\ufeff"
# Text that often starts like a formula: blanks, formula characters and ordinary letters.
formula_like = st.text(alphabet=BLANKS + FORMULA_CHARACTERS + "a1 (),;\"'", max_size=12)
any_text = formula_like | st.text(max_size=30)


def first_visible(text: str) -> str:
    """The first character of *text* that is neither a blank nor an invisible format character."""
    return next((c for c in text if not c.isspace() and unicodedata.category(c) != "Cf"), "")


def spreadsheet_sees_a_formula(text: str) -> bool:
    """What Excel, LibreOffice and Google Sheets may do with a cell's text, as the exports assume."""
    return text[:1] in ("\t", "\r") or (first_visible(text) != "" and first_visible(text) in FORMULA_CHARACTERS)


@given(any_text)
def test_a_cell_that_is_a_formula_after_its_leading_whitespace_is_neutralised(text: str) -> None:
    if text.lstrip()[:1] in tuple(FORMULA_CHARACTERS) or spreadsheet_sees_a_formula(text):
        assert neutralise(text) == "'" + text


@given(any_text)
def test_a_harmless_cell_is_never_changed(text: str) -> None:
    if not spreadsheet_sees_a_formula(text):
        assert neutralise(text) == text


@given(st.lists(st.lists(st.none() | st.booleans() | st.integers() | any_text, min_size=3, max_size=3), max_size=8))
def test_the_csv_parses_back_to_the_neutralised_cells_with_every_field_quoted(rows: list[list[Any]]) -> None:
    text = "".join(csv_chunks(("a", "b", "c"), rows, rows_per_chunk=3))

    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert parsed == [["a", "b", "c"], *([cell(value) for value in row] for row in rows)]
    # Read as "unquoted fields are numbers", a file whose every field is quoted holds only text.
    quoted = list(csv.reader(io.StringIO(text[1:], newline=""), quoting=csv.QUOTE_NONNUMERIC))
    assert all(isinstance(field, str) for row in quoted for field in row)


@pytest.mark.parametrize("text", [" =1+1", "\n=1+1", "  \r\n@SUM(A1)", "＝1+1", "＋1", "－1", "＠A1", " \t-2",
                                  "\u3000=1", "\u200b=cmd|' /C calc'!A0", "\t1", "\r1", "=1", "+1", "-1", "@A1"])
def test_formulas_behind_blanks_and_full_width_signs_are_neutralised(text: str) -> None:
    assert cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "yes"), (False, "no"), (-2, "-2"), (Decimal("-1.50"), "-1.50"), ("a = b", "a = b"),
    ("e-mail", "e-mail"), ("", ""), (dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc), "2026-01-02T03:04:00+00:00"),
])
def test_values_are_written_as_text_and_numbers_stay_numbers(value: Any, expected: str) -> None:
    assert cell(value) == expected


def quoted_fields(raw: str) -> list[list[Any]]:
    """The file read as "an unquoted field is a number": only text when every field is quoted."""
    return list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"), newline=""), quoting=csv.QUOTE_NONNUMERIC))


def test_the_complaint_export_is_streamed_quoted_and_defuses_hidden_formulas(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(desired_resolution="＝1+1", order_number="1001"))
    post_complaint(client, site, complaint_body(desired_resolution="Refund"))
    first, second = complaints(db)
    first.description, second.description = " =1+1", "\n@SUM(A1)"  # as stored before intake trimmed text
    db.commit()

    response = logged_in("viewer").get(f"/feedback/admin/complaints/export.csv?site={site.id}", buffered=False)
    chunks = [chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk for chunk in response.response]

    assert response.status_code == 200 and "Content-Length" not in response.headers
    assert chunks[0] == "\ufeff" + ",".join(f'"{name}"' for name in COMPLAINT_COLUMNS) + "\r\n"
    raw = "".join(chunks)
    assert all(isinstance(field, str) for row in quoted_fields(raw) for field in row)
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"), newline="")))
    assert [(r["description"], r["desired_resolution"]) for r in rows] == [("' =1+1", "'＝1+1"), ("'\n@SUM(A1)", "Refund")]
    assert rows[0]["order_number"] == "1001" and list(rows[0]) == list(COMPLAINT_COLUMNS)


def test_the_responses_export_defuses_formulas_behind_spaces_and_full_width_signs(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    for comment in (" =1+1", "＝1+1", "\r\n+1", "fine = good"):
        add(db, site, nps_score=4, comment=comment)

    raw = logged_in("viewer").get(EXPORT).text

    assert all(isinstance(field, str) for row in quoted_fields(raw) for field in row)
    comments = [row["comment"] for row in csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"), newline=""))]
    assert sorted(comments) == sorted(["' =1+1", "'＝1+1", "'\r\n+1", "fine = good"])
