"""Orders from a CSV file, for shops without webhooks (and till receipts).

One event a row, with a header row naming the columns::

    order_id,event,occurred_at,customer_id,customer_email,customer_name,customer_language,loyalty_tier,channel,marketing_consent

``order_id``, ``event`` and ``occurred_at`` are required, the rest optional.  A bad
row is reported by its line number and skipped; the good rows are kept; a row
stored before is counted as a duplicate, so importing the same file twice stores
nothing new.  Commas, semicolons or tabs separate the columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from .events import Duplicate, record_event
from ..core.i18n import N_
from .validation import FieldProblem, InvalidOrderEvent, order_event_from_json

REQUIRED_COLUMNS = ("order_id", "event", "occurred_at")
OPTIONAL_COLUMNS = ("customer_id", "customer_email", "customer_name", "customer_language", "loyalty_tier",
                    "channel", "marketing_consent")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
def _same(message: str) -> str:
    return message


CONSENT_VALUES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False, "": None}


CONSENT_PROBLEM = FieldProblem(N_("Must be yes or no (or empty)."))
LONG_ROW = FieldProblem(N_("The row has more cells than the header row."))
NOT_UTF8 = FieldProblem(N_("The file is not UTF-8 text: save it as 'CSV UTF-8' and try again."))
# The JSON body's field names, as the CSV's columns call them.
COLUMN_OF_FIELD = {"customer.id": "customer_id", "customer.email": "customer_email", "customer.name": "customer_name",
                   "customer.language": "customer_language", "customer.loyalty_tier": "loyalty_tier"}


@dataclass(frozen=True)
class RowProblem:
    """Why the row on *line* (1 is the header) was not imported: each column's problem
    (the column None: the whole row's)."""

    line: int
    problems: tuple[tuple[str | None, FieldProblem], ...]

    def text(self, translate: Callable[[str], str] = _same) -> str:
        return " ".join(f"{column}: {problem.text(translate)}" if column else problem.text(translate)
                        for column, problem in self.problems)

    @property
    def message(self) -> str:
        """The reasons in English."""
        return self.text()


@dataclass
class ImportReport:
    """What an import did: rows stored, rows already there, rows refused."""

    stored: int = 0
    duplicates: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (encoding, header): nothing was imported."""

    def __init__(self, *problems: FieldProblem) -> None:
        self.problems = problems
        super().__init__(self.text())

    def text(self, translate: Callable[[str], str] = _same) -> str:
        return " ".join(problem.text(translate) for problem in self.problems)


def _reader(text: str) -> tuple[list[str], Iterator[list[str]], Callable[[], int]]:
    """The header, the rows after it and the reader's line counter."""
    first_line = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        raise _header_problem(missing, unknown)
    return header, reader, lambda: reader.line_num


def _header_problem(missing: list[str], unknown: list[str]) -> UnreadableFile:
    problems = [FieldProblem(N_("The header row lacks the column(s) %(columns)s."), (("columns", ", ".join(missing)),))
                ] if missing else []
    problems += [FieldProblem(N_("The header row has unknown column(s) %(columns)s."),
                              (("columns", ", ".join(unknown)),))] if unknown else []
    problems.append(FieldProblem(N_("The columns are: %(columns)s."), (("columns", ", ".join(COLUMNS)),)))
    return UnreadableFile(*problems)


def _body(row: Mapping[str, str | None]) -> dict[str, object]:
    """The row as the JSON body of the orders endpoint, so both are checked alike."""
    value = {name: (row.get(name) or "").strip() or None for name in COLUMNS}
    consent_text = (row.get("marketing_consent") or "").strip().lower()
    consent: object = CONSENT_VALUES.get(consent_text, consent_text)
    customer = {key: value[f"customer_{key}"] for key in ("id", "email", "name", "language")}
    return {"order_id": value["order_id"], "event": value["event"], "occurred_at": value["occurred_at"],
            "customer": {**customer, "loyalty_tier": value["loyalty_tier"]}, "channel": value["channel"],
            "marketing_consent": consent}


def _rows(text: str) -> Iterator[tuple[int, dict[str, str] | None]]:
    """Each non-blank row with the line it starts on; None for a row longer than the header."""
    header, rows, line_num = _reader(text)
    start = line_num() + 1
    for cells in rows:
        if any(cell.strip() for cell in cells):
            yield start, dict(zip(header, cells)) if len(cells) <= len(header) else None
        start = line_num() + 1


def _row_problem(line: int, err: InvalidOrderEvent) -> RowProblem:
    problems = {COLUMN_OF_FIELD.get(name, name): problem for name, problem in err.problems.items()}
    if "marketing_consent" in problems:
        problems["marketing_consent"] = CONSENT_PROBLEM
    return RowProblem(line, tuple(problems.items()))


def import_orders(session: Session, site_id: int, text: str, now: dt.datetime) -> ImportReport:
    """Import the CSV *text* into the site's order events (flushed; the caller commits).

    :raises UnreadableFile: when the header row is wrong; no row is imported then.
    """
    report = ImportReport()
    for line, row in _rows(text.lstrip("\ufeff")):
        if row is None:
            report.problems.append(RowProblem(line, ((None, LONG_ROW),)))
            continue
        try:
            event = order_event_from_json(_body(row), now, source="csv")
        except InvalidOrderEvent as err:
            report.problems.append(_row_problem(line, err))
            continue
        if isinstance(record_event(session, site_id, event), Duplicate):
            report.duplicates += 1
        else:
            report.stored += 1
    return report


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file.

    :raises UnreadableFile: when it is not UTF-8 (the error says how to save it).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UnreadableFile(NOT_UTF8) from err
