"""Analysing what is new, in short committed batches, off the submit path.

:func:`analyse_pending` takes responses and complaints whose ``themes_analysed_at``
is empty (every new one: a submission writes nothing else), finds the language and
the themes of their free text under their site's taxonomy, stores the themes and
marks them analysed, one batch per transaction (SQLite holds one writer at a time:
the text is analysed between the read and the write, never inside a transaction).
Sites with a rebuild requested (:func:`.request_rebuild`) are then walked by id from
their cursors. Every write is idempotent, so two workers doing the same batch store
the same rows.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, ColumnElement, Engine, Table, delete, select, update
from sqlalchemy.orm import Session

from ..complaints.models import Complaint
from ..core.db import dialect_insert
from ..core.models import Response, Site, Survey, utcnow
from ..responses.purposes import COMPLAINT_HANDLING
from .assign import Assignment, themes_of
from .daily import day_of, refresh_days
from .language import detect_language
from .model import Taxonomy
from .taxonomy import BUILT_IN
from .models import ComplaintTheme, ResponseTheme, ThemeRebuild
from .settings import taxonomy_of_settings
from .texts import language_hint, response_texts, text_keys

log = logging.getLogger(__name__)
RESPONSES: Table = Response.__table__  # type: ignore[assignment]
COMPLAINTS: Table = Complaint.__table__  # type: ignore[assignment]
RESPONSE_THEMES: Table = ResponseTheme.__table__  # type: ignore[assignment]
COMPLAINT_THEMES: Table = ComplaintTheme.__table__  # type: ignore[assignment]
REBUILDS: Table = ThemeRebuild.__table__  # type: ignore[assignment]
DEFAULT_BATCH = 500
Bind = Session | Engine
Shard = tuple[int, int]
"""``(index, count)``: the rows whose ``id % count == index`` (one of several processes' share)."""


@dataclass
class _Context:
    """What one run has read once: the sites' taxonomies and the surveys' text questions."""

    taxonomies: dict[int, Taxonomy] = field(default_factory=dict)
    survey_keys: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def load(self, connection: Connection, site_ids: Iterable[int], survey_ids: Iterable[int]) -> None:

        sites = set(site_ids) - set(self.taxonomies)
        if sites:
            for site_id, settings in connection.execute(select(Site.id, Site.settings).where(Site.id.in_(sites))):
                try:
                    self.taxonomies[site_id] = taxonomy_of_settings(settings)
                except ValueError:  # one site's broken edits must not hold up every site's comments
                    log.exception("feedbackwidget: site %s's themes cannot be read; using the built-in ones", site_id)
                    self.taxonomies[site_id] = BUILT_IN
        surveys = set(survey_ids) - set(self.survey_keys)
        if surveys:
            rows = connection.execute(select(Survey.id, Survey.questions).where(Survey.id.in_(surveys)))
            for survey_id, questions in rows:
                self.survey_keys[survey_id] = text_keys(questions or [])


@contextmanager
def _transaction(bind: Bind) -> Iterator[Connection]:
    """One committed transaction on ``bind`` (an engine, or a session that is committed)."""
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            yield connection
        return
    try:
        yield bind.connection()
    except BaseException:
        bind.rollback()
        raise
    bind.commit()


def _language_and_themes(text: str, hint: str | None, taxonomy: Taxonomy) -> tuple[str, Assignment]:
    """The language and themes of ``text``: what the worker stores (its terms are not: a fifth of the time)."""
    language = detect_language(text, hint)
    return language, themes_of(text, language, taxonomy)


def themes_of_texts(texts: Sequence[str], hint: str | None, taxonomy: Taxonomy) -> list[str]:
    """The theme keys of several texts of one answer sheet, each text in its own language, in key order."""
    found: set[str] = set()
    for text in texts:
        found.update(_language_and_themes(text, hint, taxonomy)[1].themes)
    return [key for key in taxonomy.keys if key in found]


def matched_themes(texts: Sequence[str], hint: str | None, taxonomy: Taxonomy) -> dict[str, dict[str, Any]]:
    """The themes of several texts of one answer sheet, in key order, each with where it matched first.

    Per theme: ``{"text": index of the first text it matched in, "language": that text's
    language, "spans": [[start, end], ...], "words": the text of each span}`` (what the
    dashboard highlights, stored so a request never compiles the site's matcher; the
    words tell it when the text changed since, e.g. anonymised).
    """
    found: dict[str, dict[str, Any]] = {}
    for index, text in enumerate(texts):
        language, assignment = _language_and_themes(text, hint, taxonomy)
        for key in assignment.themes:
            if key not in found:
                spans = [[start, end] for start, end in assignment.spans(key)]
                found[key] = {"text": index, "language": language, "spans": spans,
                              "words": [text[start:end] for start, end in spans]}
    return {key: found[key] for key in taxonomy.keys if key in found}


def _response_rows(rows: Sequence[Any], context: _Context) -> list[dict[str, Any]]:
    stored = []
    for row in rows:
        texts = response_texts(row.answers, row.comment, context.survey_keys.get(row.survey_id, ()))
        taxonomy = context.taxonomies.get(row.site_id)
        # An answer about a complaint's handling is not about the shop: it is marked analysed, with no themes.
        if taxonomy is None or not texts or row.purpose == COMPLAINT_HANDLING:
            continue
        for key, matched in matched_themes(texts, language_hint(row.locale), taxonomy).items():
            stored.append({"response_id": row.id, "theme_key": key, "site_id": row.site_id,
                           "created_at": row.created_at, "nps_score": row.nps_score, "csat": row.csat,
                           "matched": json.dumps(matched, separators=(",", ":"))})
    return stored


def _complaint_rows(rows: Sequence[Any], context: _Context) -> list[dict[str, Any]]:
    stored = []
    for row in rows:
        taxonomy = context.taxonomies.get(row.site_id)
        if taxonomy is None or not (row.description or "").strip():
            continue
        for key in themes_of_texts([row.description], language_hint(row.locale), taxonomy):
            stored.append({"complaint_id": row.id, "theme_key": key})
    return stored


def _insert_ignoring_duplicates(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    connection.execute(dialect_insert(connection.dialect.name, table).on_conflict_do_nothing(), rows)


@dataclass(frozen=True)
class _Kind:
    """Responses or complaints: where their rows, texts and themes are."""

    table: Table
    columns: tuple[str, ...]
    themes: Table
    theme_id: str
    to_rows: Callable[[Sequence[Any], _Context], list[dict[str, Any]]]
    cursor: str

    def select_rows(self) -> Any:
        return select(*(self.table.c[name] for name in self.columns))


RESPONSE_KIND = _Kind(RESPONSES, ("id", "site_id", "survey_id", "answers", "comment", "locale", "created_at",
                                  "nps_score", "csat", "purpose"), RESPONSE_THEMES, "response_id", _response_rows,
                      "response_cursor")
COMPLAINT_KIND = _Kind(COMPLAINTS, ("id", "site_id", "description", "locale"), COMPLAINT_THEMES, "complaint_id",
                       _complaint_rows, "complaint_cursor")


def _read(bind: Bind, kind: _Kind, where: ColumnElement[bool], batch: int, context: _Context) -> list[Any]:
    """Up to ``batch`` rows of ``kind`` by id, with the sites and surveys they need (one short read)."""
    with _transaction(bind) as connection:
        rows = list(connection.execute(kind.select_rows().where(where).order_by(kind.table.c.id).limit(batch)))
        survey_ids = [row.survey_id for row in rows] if kind is RESPONSE_KIND else []
        context.load(connection, {row.site_id for row in rows}, survey_ids)
    return rows


def _store(connection: Connection, kind: _Kind, rows: Sequence[Any], themes: list[dict[str, Any]],
           now: dt.datetime) -> None:
    ids = [row.id for row in rows]
    connection.execute(delete(kind.themes).where(kind.themes.c[kind.theme_id].in_(ids)))
    _insert_ignoring_duplicates(connection, kind.themes, themes)
    connection.execute(update(kind.table).where(kind.table.c.id.in_(ids)).values(themes_analysed_at=now))
    if kind is RESPONSE_KIND:
        refresh_days(connection, {(row.site_id, day_of(row.created_at)) for row in rows})


def _analyse_new(bind: Bind, kind: _Kind, site_id: int | None, batch: int, context: _Context,
                 max_batches: int | None, shard: Shard | None = None) -> int:
    done, batches, after = 0, 0, 0
    while max_batches is None or batches < max_batches:
        # From the last id done: on PostgreSQL the pending index keeps the rows just marked until a
        # vacuum, and a scan from its start would read them all again (50 ms a batch at 1,000,000).
        where: ColumnElement[bool] = kind.table.c.themes_analysed_at.is_(None) & (kind.table.c.id > after)
        if site_id is not None:
            where = where & (kind.table.c.site_id == site_id)
        if shard is not None:
            where = where & (kind.table.c.id % shard[1] == shard[0])
        rows = _read(bind, kind, where, batch, context)
        if not rows:
            break
        themes = kind.to_rows(rows, context)
        with _transaction(bind) as connection:
            _store(connection, kind, rows, themes, utcnow())
        done, batches, after = done + len(rows), batches + 1, rows[-1].id
        if len(rows) < batch:
            break
    return done


def _rebuilds(bind: Bind, site_id: int | None) -> list[Any]:
    query = select(REBUILDS)
    if site_id is not None:
        query = query.where(REBUILDS.c.site_id == site_id)
    with _transaction(bind) as connection:
        return list(connection.execute(query.order_by(REBUILDS.c.requested_at)))


def _rebuild_step(bind: Bind, request: Any, kind: _Kind, batch: int, context: _Context) -> tuple[int, bool]:
    """One batch of a site's rebuild: ``(rows done, whether this kind is finished)``."""
    cursor = getattr(request, kind.cursor)
    where = (kind.table.c.site_id == request.site_id) & (kind.table.c.id > cursor)
    context.taxonomies.pop(request.site_id, None)  # the edit that asked for the rebuild
    rows = _read(bind, kind, where, batch, context)
    themes = kind.to_rows(rows, context)
    with _transaction(bind) as connection:
        still = (REBUILDS.c.site_id == request.site_id) & (REBUILDS.c.requested_at == request.requested_at)
        if connection.execute(select(REBUILDS.c.site_id).where(still)).first() is None:
            return 0, True  # asked again meanwhile: the next run starts over
        if rows:
            _store(connection, kind, rows, themes, utcnow())
            connection.execute(update(REBUILDS).where(still).values({kind.cursor: rows[-1].id}))
    return len(rows), len(rows) < batch


def _finish(bind: Bind, request: Any) -> None:
    with _transaction(bind) as connection:
        connection.execute(delete(REBUILDS).where(REBUILDS.c.site_id == request.site_id,
                                                  REBUILDS.c.requested_at == request.requested_at))


def _current(bind: Bind, request: Any) -> Any:
    found = _rebuilds(bind, request.site_id)
    return found[0] if found and found[0].requested_at == request.requested_at else None


def _rebuild(bind: Bind, request: Any, batch: int, context: _Context, max_batches: int | None) -> int:
    done, batches = 0, 0
    for kind in (RESPONSE_KIND, COMPLAINT_KIND):
        finished = False
        while not finished:
            if max_batches is not None and batches >= max_batches:
                return done
            count, finished = _rebuild_step(bind, request, kind, batch, context)
            done, batches = done + count, batches + 1
            request = _current(bind, request)
            if request is None:
                return done  # asked again meanwhile: the next run starts over
    _finish(bind, request)
    return done


def analyse_pending(bind: Bind, site_id: int | None = None, batch: int = DEFAULT_BATCH, *,
                    max_batches: int | None = None, shard: Shard | None = None) -> int:
    """Analyse the responses and complaints not analysed yet, then the rebuilds asked for.

    :param bind: an engine, or a session (committed after each batch).
    :param site_id: only this site's; every site's by default.
    :param batch: rows per transaction; keep it small on SQLite, where writers take turns.
    :param max_batches: stop after this many batches of each sort (the background
        worker's bound per round); everything pending by default.
    :param shard: only the new rows of this share (:func:`.analyse_in_processes`); the
        rebuilds, which walk a site in id order, are left to a run without a shard.
    :returns: how many responses and complaints were analysed.
    """
    context = _Context()
    done = _analyse_new(bind, RESPONSE_KIND, site_id, batch, context, max_batches, shard)
    done += _analyse_new(bind, COMPLAINT_KIND, site_id, batch, context, max_batches, shard)
    if shard is not None:
        return done
    for request in _rebuilds(bind, site_id):
        done += _rebuild(bind, request, batch, context, max_batches)
    return done


def rebuild_in_progress(session: Session, site_ids: Sequence[int]) -> bool:
    """Whether the themes of any of ``site_ids`` are being recomputed (figures may be partial)."""
    return session.scalar(select(REBUILDS.c.site_id).where(REBUILDS.c.site_id.in_(site_ids)).limit(1)) is not None

