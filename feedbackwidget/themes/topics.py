"""Emerging topics, worked out off the request path and stored per site.

Finding them analyses a site's newest comments (languages, lemmas, jieba, the site's
compiled themes), which a web request never does. The worker works them out and stores
them (``fw_emerging_topics``), with when and from what (``fw_emerging_topic_runs``):

- :func:`refresh_topics` works out the sites that are due: never worked out, themes
  edited since (an edit changes what no theme covers), new comments since and the last
  time at least :data:`NEW_COMMENTS_EVERY` ago, or older than :data:`AT_LEAST_EVERY`.
  The background sender runs it (:func:`refresh_in_background`), and so does
  ``feedbackwidget themes refresh`` (every site with ``--rebuild``);
- :func:`site_topics` is what the admin reads: the stored topics, each with its example
  comments as they read now (a comment changed since, e.g. anonymised, is no example);
- :func:`forget_topic` takes a topic off the list when it has been turned into a theme.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Engine, Table, delete, select
from sqlalchemy.orm import Session

from ..core.db import dialect_insert, reading_engine
from ..core.models import Response, Site, Survey, utcnow
from ..core.state import get_state
from ..responses.purposes import is_site_feedback
from .drivers import ExampleComment
from .emerging import RecurringPhrase, recurring_phrases
from .model import Taxonomy
from .models import EmergingTopic, EmergingTopicRun
from .settings import SETTINGS_KEY, taxonomy_of_settings
from .taxonomy import BUILT_IN
from .texts import language_hint, response_texts, text_keys

log = logging.getLogger(__name__)
TOPICS: Table = EmergingTopic.__table__  # type: ignore[assignment]
RUNS: Table = EmergingTopicRun.__table__  # type: ignore[assignment]
SAMPLE_TEXTS = 500  # the newest comments read
SAMPLE_ROWS = 2000  # responses read to find them (many have a score and no comment)
SHOWN = 8
MIN_COUNT = 3
NEW_COMMENTS_EVERY = dt.timedelta(hours=1)
AT_LEAST_EVERY = dt.timedelta(days=1)
CHECK_EVERY_SECONDS = 30.0  # the background sender's check for due sites
SITES_PER_ROUND = 3  # so that e-mails never wait long behind topics
_LAST_CHECK_KEY = "themes.topics.last_check"

TextSource = tuple[int, int]  # (response id, index of the text in response_texts())


@dataclass(frozen=True)
class StoredTopic:
    """An emerging topic as the worker stored it, with its examples as they read now."""

    phrase: str
    language: str
    count: int
    examples: tuple[ExampleComment, ...]


@dataclass(frozen=True)
class SiteTopics:
    """A site's stored emerging topics and when they were worked out (``None``: not yet)."""

    computed_at: dt.datetime | None
    topics: tuple[StoredTopic, ...]
    texts: int  # how many comments they were found in
    outdated: bool  # the site's themes were edited since: worked out again soon


def themes_hash(settings: Mapping[str, Any] | None) -> str:
    """A digest of a site's theme edits (its ``settings``), to tell when they changed."""
    stored = (settings or {}).get(SETTINGS_KEY) or {}
    return hashlib.sha256(json.dumps(stored, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- working them out (the worker) -------------------------------------------------------

def refresh_topics(engine: Engine, site_id: int | None = None, *, every: bool = False,
                   limit: int | None = None, now: dt.datetime | None = None) -> int:
    """Work out the emerging topics of the sites that are due (of ``site_id`` only, if given).

    :param every: every site (or ``site_id``) whether due or not.
    :param limit: at most this many sites (the background sender's bound per round).
    :returns: how many sites were worked out.
    """
    now = now or utcnow()
    with reading_engine(engine).connect() as connection:
        sites = list(itertools.islice(_sites(connection, site_id, None if every else now), limit))
    for each in sites:
        work_out(engine, each, now)
    return len(sites)


def work_out(engine: Engine, site_id: int, now: dt.datetime | None = None) -> int:
    """Analyse site ``site_id``'s newest comments and store its emerging topics; how many there are.

    Reads in one short transaction, analyses outside any, writes in another.
    """
    now = now or utcnow()
    with reading_engine(engine).connect() as connection:  # on SQLite, a read that holds no write lock
        settings = connection.scalar(select(Site.settings).where(Site.id == site_id))
        rows = _newest_rows(connection, site_id)
        keys = _survey_keys(connection, {row.survey_id for row in rows})
    sources = list(_texts(rows, keys))
    found = recurring_phrases(sources, _taxonomy(site_id, settings), MIN_COUNT, SHOWN)
    with engine.begin() as connection:
        _store(connection, site_id, found, now)
        _store_run(connection, {"site_id": site_id, "computed_at": now, "taxonomy_hash": themes_hash(settings),
                                "through_response_id": rows[0].id if rows else 0, "texts": len(sources)})
    return len(found)


def _taxonomy(site_id: int, settings: Mapping[str, Any] | None) -> Taxonomy:
    try:
        return taxonomy_of_settings(settings)
    except ValueError:  # one site's broken edits must not hold up every site's topics
        log.exception("feedbackwidget: site %s's themes cannot be read; using the built-in ones", site_id)
        return BUILT_IN


def _sites(connection: Connection, site_id: int | None, due_at: dt.datetime | None) -> Iterator[int]:
    """The sites to work out, the most needed first; every one (or ``site_id``) when ``due_at`` is None."""
    query = (select(Site.id, Site.settings, RUNS.c.computed_at, RUNS.c.taxonomy_hash, RUNS.c.through_response_id)
             .outerjoin(RUNS, RUNS.c.site_id == Site.id).order_by(RUNS.c.computed_at.is_not(None), RUNS.c.computed_at,
                                                                  Site.id))
    if site_id is not None:
        query = query.where(Site.id == site_id)
    rows = list(connection.execute(query))
    if due_at is None:
        yield from (row.id for row in rows)
        return
    first = {row.id for row in rows if row.computed_at is None or row.taxonomy_hash != themes_hash(row.settings)}
    yield from (row.id for row in rows if row.id in first)
    yield from (row.id for row in rows if row.id not in first and _stale(connection, row, due_at))


def _stale(connection: Connection, run: Any, now: dt.datetime) -> bool:
    if run.computed_at <= now - AT_LEAST_EVERY:
        return True
    return bool(run.computed_at <= now - NEW_COMMENTS_EVERY and _newest_id(connection, run.id) != run.through_response_id)


def _newest(site_id: int) -> Any:
    """The site's own feedback, newest first (answers about a complaint's handling are not about the shop)."""
    return (select(Response.id).where(Response.site_id == site_id, is_site_feedback())
            .order_by(Response.created_at.desc(), Response.id.desc()))


def _newest_id(connection: Connection, site_id: int) -> int:
    return connection.scalar(_newest(site_id).limit(1)) or 0


def _newest_rows(connection: Connection, site_id: int) -> list[Any]:
    columns = (Response.id, Response.survey_id, Response.answers, Response.comment, Response.locale)
    query = _newest(site_id).with_only_columns(*columns).limit(SAMPLE_ROWS)
    return list(connection.execute(query))


def _survey_keys(connection: Connection, survey_ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not survey_ids:
        return {}
    rows = connection.execute(select(Survey.id, Survey.questions).where(Survey.id.in_(survey_ids)))
    return {survey_id: text_keys(questions or []) for survey_id, questions in rows}


def _texts(rows: Sequence[Any], keys: Mapping[int, tuple[str, ...]]) -> Iterator[tuple[TextSource, str, str | None]]:
    """Up to :data:`SAMPLE_TEXTS` free texts of the rows, each named by its response and place."""
    given = 0
    for row in rows:
        for index, text in enumerate(response_texts(row.answers, row.comment, keys.get(row.survey_id, ()))):
            yield (row.id, index), text, language_hint(row.locale)
            given += 1
            if given == SAMPLE_TEXTS:
                return


def _store(connection: Connection, site_id: int, found: list[RecurringPhrase[TextSource]],
           now: dt.datetime) -> None:
    connection.execute(delete(TOPICS).where(TOPICS.c.site_id == site_id))
    rows = [{"site_id": site_id, "position": position, "phrase": item.phrase, "language": item.language,
             "count": item.count, "computed_at": now,
             "examples": [{"response_id": seen.source[0], "text": seen.source[1], "start": seen.start,
                           "end": seen.end, "words": seen.text[seen.start:seen.end]} for seen in item.sightings]}
            for position, item in enumerate(found)]
    if rows:  # two workers at once store the same rows: the second one's are the same
        connection.execute(dialect_insert(connection.dialect.name, TOPICS).on_conflict_do_nothing(), rows)


def _store_run(connection: Connection, values: dict[str, Any]) -> None:
    insert = dialect_insert(connection.dialect.name, RUNS).values(**values)
    connection.execute(insert.on_conflict_do_update(
        index_elements=["site_id"], set_={key: value for key, value in values.items() if key != "site_id"}))


def refresh_in_background(app: Flask) -> None:
    """The background sender's job: every :data:`CHECK_EVERY_SECONDS`, a few due sites.

    A failure is logged, never raised: the outbox must still be sent.
    """
    extras = get_state(app).extras
    now = utcnow()
    last: dt.datetime | None = extras.get(_LAST_CHECK_KEY)
    if last is not None and (now - last).total_seconds() < CHECK_EVERY_SECONDS:
        return
    extras[_LAST_CHECK_KEY] = now
    try:
        done = refresh_topics(get_state(app).engine, limit=SITES_PER_ROUND, now=now)
    except Exception:  # a database hiccup or a bad site setting must not stop the sender
        log.exception("feedbackwidget: could not work out the emerging topics; retrying later")
        return
    if done:
        log.info("feedbackwidget: emerging topics of %d site(s) worked out", done)


# --- reading them (the admin) -------------------------------------------------------------

def site_topics(session: Session, site: Site) -> SiteTopics:
    """What the worker stored for ``site``; nothing is analysed here."""
    run = session.get(EmergingTopicRun, site.id)
    if run is None:
        return SiteTopics(None, (), 0, False)
    stored = session.scalars(select(EmergingTopic).where(EmergingTopic.site_id == site.id)
                             .order_by(EmergingTopic.position)).all()
    texts = _example_texts(session, {int(example["response_id"]) for topic in stored for example in topic.examples
                                     if isinstance(example, dict) and "response_id" in example})
    topics = tuple(StoredTopic(topic.phrase, topic.language, topic.count,
                               tuple(filter(None, (_example(texts, topic.language, example)
                                                   for example in topic.examples))))
                   for topic in stored)
    return SiteTopics(run.computed_at, topics, run.texts, run.taxonomy_hash != themes_hash(site.settings))


def _example_texts(session: Session, ids: set[int]) -> dict[int, tuple[Response, list[str]]]:
    if not ids:
        return {}
    rows = session.execute(select(Response, Survey.questions).join(Survey, Survey.id == Response.survey_id)
                           .where(Response.id.in_(ids)))
    return {response.id: (response, response_texts(response.answers, response.comment, text_keys(questions or [])))
            for response, questions in rows}


def _example(texts: Mapping[int, tuple[Response, list[str]]], language: str, stored: Any) -> ExampleComment | None:
    """A stored example as the comment reads now; ``None`` when it changed since (anonymised, say)."""
    try:
        response, current = texts[int(stored["response_id"])]
        text, start, end = current[int(stored["text"])], int(stored["start"]), int(stored["end"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if text[start:end] != stored.get("words"):
        return None
    return ExampleComment(response.id, text, ((start, end),), language, response.nps_score, response.csat,
                          response.created_at)


def forget_topic(session: Session, site_id: int, phrase: str, language: str) -> None:
    """Take a topic off the site's list (it became a theme). Does not commit."""
    session.execute(delete(TOPICS).where(TOPICS.c.site_id == site_id, TOPICS.c.phrase == phrase,
                                         TOPICS.c.language == language))
