"""The stored themes: a site's taxonomy, lookups and filters by theme, rebuilds.

The domain API the admin pages and the exports use. Themes are computed off the
submit path by :func:`analyse_pending` (run by the background sender, the daily
maintenance and ``feedbackwidget themes refresh``); everything here only reads
what it stored, in SQL.

- :func:`site_taxonomy` / :func:`site_edits`: a site's themes, from its settings
  (``settings["themes"]``, :meth:`.SiteTaxonomy.to_dict`);
- :func:`save_site_edits`: store an owner's edits and ask for a rebuild;
- :func:`request_rebuild`: recompute a site's stored themes (in the background);
- :func:`themes_of_responses`, :func:`themes_of_complaints`: stored keys by id;
  :func:`with_theme_keys` and :func:`theme_keys_text` for the CSV exports' ``themes`` column;
- :func:`theme_filter` / :func:`mentions_theme`, :func:`complaint_theme_filter` /
  :func:`about_theme`, :func:`response_ids_with_theme`: narrow a query of responses (or
  complaints) to one theme.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, Table, exists, select
from sqlalchemy.orm import Session

from ..complaints.models import Complaint
from ..core.db import dialect_insert
from ..core.models import Response, Site, utcnow
from .model import Taxonomy
from .models import ComplaintTheme, ResponseTheme, ThemeRebuild
from .pending import analyse_pending, rebuild_in_progress
from .site import SiteTaxonomy
from .settings import SETTINGS_KEY, taxonomy_of_settings

__all__ = ["SETTINGS_KEY", "ThemeLookup", "about_theme", "analyse_pending", "complaint_ids_with_theme",
           "complaint_theme_filter", "mentions_theme",
           "rebuild_in_progress", "request_rebuild", "response_ids_with_theme", "save_site_edits", "site_edits",
           "site_taxonomy", "taxonomy_of_settings", "theme_filter", "theme_keys_text", "themes_of_complaints",
           "themes_of_responses", "with_theme_keys"]

"""Where a site's theme edits live in its settings JSON."""
LOOKUP_CHUNK = 500
_Statement = TypeVar("_Statement", bound=Select[Any])
_Row = TypeVar("_Row")
ThemeLookup = Callable[[Sequence[int]], Mapping[int, list[str]]]
"""Ids to their stored theme keys: :func:`themes_of_responses` or :func:`themes_of_complaints` of a session."""


def site_edits(settings: Mapping[str, Any] | None) -> SiteTaxonomy:
    """The owner's edits stored in a site's ``settings`` (none: the built-in themes as they are).

    :raises ValueError: when the stored edits are not in :meth:`.SiteTaxonomy.to_dict`'s shape.
    """
    return SiteTaxonomy.from_dict((settings or {}).get(SETTINGS_KEY) or {})




def site_taxonomy(session: Session, site_id: int) -> Taxonomy:
    """The themes of site ``site_id`` (the built-in ones with its owner's edits).

    :raises LookupError: when there is no such site.
    """
    settings = session.scalar(select(Site.settings).where(Site.id == site_id))
    if settings is None and session.get(Site, site_id) is None:
        raise LookupError(f"no site with id {site_id}")
    return taxonomy_of_settings(settings)


def save_site_edits(session: Session, site_id: int, edits: SiteTaxonomy) -> None:
    """Store ``edits`` as site ``site_id``'s themes and recompute its stored themes in the background.

    Does not commit: the caller commits with the rest of its change.

    :raises ValueError: when the edits refer to a theme that does not exist (from :meth:`.SiteTaxonomy.build`).
    :raises LookupError: when there is no such site.
    """
    edits.build()
    site = session.get(Site, site_id)
    if site is None:
        raise LookupError(f"no site with id {site_id}")
    site.settings = {**(site.settings or {}), SETTINGS_KEY: edits.to_dict()}
    request_rebuild(session, site_id)


def request_rebuild(session: Session, site_id: int) -> None:
    """Recompute every stored theme of site ``site_id`` (after an edit of its themes).

    Cheap: it writes one row; the background worker (or ``feedbackwidget themes
    refresh``) recomputes in short batches. A second request restarts the rebuild.
    Does not commit.
    """
    values = {"site_id": site_id, "requested_at": utcnow(), "response_cursor": 0, "complaint_cursor": 0}
    table: Table = ThemeRebuild.__table__  # type: ignore[assignment]
    insert = dialect_insert(session.get_bind().dialect.name, table)
    session.execute(insert.values(**values).on_conflict_do_update(
        index_elements=["site_id"], set_={key: value for key, value in values.items() if key != "site_id"}))


def _keys_by_id(session: Session, id_column: Any, key_column: Any, ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start:start + LOOKUP_CHUNK]
        rows = session.execute(select(id_column, key_column).where(id_column.in_(chunk)).order_by(key_column))
        for row_id, key in rows:
            found[row_id].append(key)
    return {row_id: found.get(row_id, []) for row_id in wanted}


def themes_of_responses(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    """The stored theme keys of each response in ``ids``, in key order (``[]``: none, or not analysed yet)."""
    return _keys_by_id(session, ResponseTheme.response_id, ResponseTheme.theme_key, ids)


def themes_of_complaints(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    """The stored theme keys of each complaint in ``ids``, in key order."""
    return _keys_by_id(session, ComplaintTheme.complaint_id, ComplaintTheme.theme_key, ids)


def theme_keys_text(keys: Iterable[str]) -> str:
    """The ``themes`` cell of a CSV export: the keys in key order, separated by ``;``."""
    return ";".join(sorted(keys))


def with_theme_keys(rows: Iterable[_Row], row_id: Callable[[_Row], int],
                    lookup: ThemeLookup,
                    batch: int = LOOKUP_CHUNK) -> Iterator[tuple[_Row, list[str]]]:
    """Each of ``rows`` with its stored theme keys, looked up ``batch`` rows at a time (streams stay streams).

    :param row_id: the response's or complaint's id of a row.
    :param lookup: :func:`themes_of_responses` or :func:`themes_of_complaints` bound to a session.
    """
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, batch)):
        found = lookup([row_id(row) for row in chunk])
        for row in chunk:
            yield row, found.get(row_id(row), [])


def response_ids_with_theme(site_ids: Sequence[int], theme_key: str) -> Select[Any]:
    """A sub-select of the ids of the responses of ``site_ids`` that mention ``theme_key``.

    To filter a page of responses, :func:`mentions_theme` is faster: ``IN`` this
    sub-select reads every mention of the theme, the ``EXISTS`` only the rows of the page.
    """
    return select(ResponseTheme.response_id).where(ResponseTheme.site_id.in_(site_ids),
                                                   ResponseTheme.theme_key == theme_key)


def theme_filter(statement: _Statement, theme_key: str) -> _Statement:
    """``statement`` (a select over :class:`.Response`) narrowed to responses that mention ``theme_key``.

    A correlated ``EXISTS`` on the stored themes' primary key: a page of the newest
    responses checks only the rows it reads, however many mention the theme.
    """
    return statement.where(mentions_theme(theme_key))


def mentions_theme(theme_key: str) -> ColumnElement[bool]:
    """A condition on :class:`.Response`: it mentions ``theme_key`` (see :func:`theme_filter`)."""
    return exists().where(ResponseTheme.response_id == Response.id, ResponseTheme.theme_key == theme_key)


def complaint_ids_with_theme(site_ids: Sequence[int], theme_key: str) -> Select[Any]:
    """A sub-select of the ids of the complaints of ``site_ids`` whose description is about ``theme_key``."""
    return (select(ComplaintTheme.complaint_id).join(Complaint, Complaint.id == ComplaintTheme.complaint_id)
            .where(Complaint.site_id.in_(site_ids), ComplaintTheme.theme_key == theme_key))


def complaint_theme_filter(statement: _Statement, theme_key: str) -> _Statement:
    """``statement`` (a select over :class:`.Complaint`) narrowed to complaints about ``theme_key``."""
    return statement.where(about_theme(theme_key))


def about_theme(theme_key: str) -> ColumnElement[bool]:
    """A condition on :class:`.Complaint`: its description is about ``theme_key``."""
    return exists().where(ComplaintTheme.complaint_id == Complaint.id, ComplaintTheme.theme_key == theme_key)
