"""The theme editor of a site (owners): rename, merge, hide and add themes and their words.

Thin: the edits are :mod:`feedbackwidget.themes.editing`'s functions; saving stores them in the
site's settings and asks for the site's themes to be recomputed (by the worker, never here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from ...core.state import get_state
from ...core.i18n import N_
from ...core.models import Site, utcnow
from ...themes import SiteTaxonomy
from ...themes.model import THEME_KEY
from ...themes.editing import ThemeChanges, ThemeEditError, add_theme, edit_theme, editable_theme, editable_themes
from . import admin
from .access import login_required, site_or_404
from .locale import admin_locale, gettext
from .scope import Scope
from ...themes.drivers import complaint_themes_between
from .theme_data import ComplaintThemeRow, emerging_for, highlighted, save_edits, \
    site_edits, theme_names, theme_panels, themes_of_responses, topic_taken, updated_ago
from .theme_forms import NewThemeForm, ThemeForm, TopicForm, merge_choices

OWNER = "owner"
FLASH = {
    "saved": N_("Saved. This site's answers are being sorted into the new themes again; the dashboard shows "
                "them within a few minutes."),
    "added": N_("Theme added. This site's answers are being sorted into the new themes again; the dashboard "
                "shows them within a few minutes."),
}


def _edits(site: Site) -> SiteTaxonomy:
    return site_edits(site)


def _save(site: Site, edits: SiteTaxonomy) -> None:
    """Store the edits and ask for the site's themes to be recomputed, in one transaction."""
    session = get_state().session()
    save_edits(session, site, edits)
    session.commit()


def _list_page(site: Site, new_form: NewThemeForm | None = None) -> str:
    edits = _edits(site)
    return render_template(
        "feedbackwidget/admin/themes.html", site=site, themes=editable_themes(edits), lang=admin_locale(),
        new_form=new_form or NewThemeForm(formdata=None), flash=_flash(),
    )


def _flash() -> str | None:
    code = request.args.get("done", "")
    return gettext(FLASH[code]) if code in FLASH else None


@admin.get("/sites/<int:site_id>/themes")
@login_required
def site_themes(site_id: int) -> str:
    return _list_page(site_or_404(site_id, OWNER))


@admin.get("/sites/<int:site_id>/themes/emerging")
@login_required
def emerging_themes(site_id: int) -> str:
    """Phrases the newest comments repeat that no theme covers, each with "Turn into a theme".

    Reads what the worker stored (:mod:`feedbackwidget.themes.topics`): finding them analyses
    the newest comments, which a request never does.
    """
    site = site_or_404(site_id, OWNER)
    found = emerging_for(get_state().session(), site)
    updated = updated_ago(found.computed_at, utcnow(), admin_locale()) if found.computed_at else None
    return render_template("feedbackwidget/admin/themes_emerging.html", site=site, found=found, topics=found.topics,
                           updated=updated, highlighted=highlighted, topic_form=TopicForm(formdata=None))


@admin.post("/sites/<int:site_id>/themes")
@login_required
def add_site_theme(site_id: int) -> Response | str:
    """A theme of the site's own, with its names and words."""
    site = site_or_404(site_id, OWNER)
    form = NewThemeForm()
    values = form.values() if form.validate() else None
    if values is None:
        return _list_page(site, form)
    try:
        edits, key = add_theme(_edits(site), *values)
    except ThemeEditError as err:
        form.name_en.errors = [*form.name_en.errors, err.message]
        return _list_page(site, form)
    _save(site, edits)
    return redirect(url_for(".site_themes", site_id=site.id, done="added", _anchor=f"theme-{key}"))


@admin.post("/sites/<int:site_id>/themes/from-topic")
@login_required
def theme_from_topic(site_id: int) -> Response:
    """"Turn into a theme": the phrase names the theme and is its first word; its page opens to finish it."""
    site = site_or_404(site_id, OWNER)
    form = TopicForm()
    if not form.validate():
        abort(400)
    try:
        edits, key = add_theme(_edits(site), {form.language.data: form.phrase.data}, {form.language.data: (form.phrase.data,)})
    except ThemeEditError:
        abort(400)
    topic_taken(get_state().session(), site, form.phrase.data, form.language.data)
    _save(site, edits)
    return redirect(url_for(".site_theme", site_id=site.id, key=key, done="added"))


def _theme_page(site: Site, key: str, form: ThemeForm | None = None) -> str:
    edits = _edits(site)
    theme = editable_theme(edits, key)
    if theme is None:
        abort(404)
    if form is None:
        form = ThemeForm(formdata=None)
        form.fill(theme)
    form.merge_into.choices = merge_choices(editable_themes(edits), key, admin_locale(), gettext("Not merged"))
    return render_template("feedbackwidget/admin/theme.html", site=site, theme=theme, form=form,
                           lang=admin_locale(), flash=_flash(), **_merged_in(edits, key))


def _merged_in(edits: SiteTaxonomy, key: str) -> dict[str, Any]:
    return {"merged_in": [t for t in editable_themes(edits) if t.merged_into == key]}


@admin.get("/sites/<int:site_id>/themes/<key>")
@login_required
def site_theme(site_id: int, key: str) -> str:
    return _theme_page(site_or_404(site_id, OWNER), key)


@admin.post("/sites/<int:site_id>/themes/<key>")
@login_required
def save_site_theme(site_id: int, key: str) -> Response | str:
    """Save one theme's names, words, hidden state and merge."""
    site = site_or_404(site_id, OWNER)
    form = ThemeForm()
    values = form.values() if form.validate() else None
    if values is None:
        return _theme_page(site, key, form)
    changes = ThemeChanges(*values, hidden=bool(form.hidden.data), merge_into=form.merge_into.data or None)
    try:
        edits = edit_theme(_edits(site), key, changes)
    except KeyError:
        abort(404)
    except ThemeEditError as err:
        getattr(form, err.field if err.field in form else "merge_into").errors.append(err.message)
        return _theme_page(site, key, form)
    _save(site, edits)
    return redirect(url_for(".site_themes", site_id=site.id, done="saved", _anchor=f"theme-{key}"))


def theme_panel_context(scope: Scope) -> dict[str, Any]:
    """What the dashboard's theme panels (``_theme_panels.html``) need, for the dashboard's scope."""
    if not scope.site_ids:
        return {"theme_panels": None}
    base: dict[str, Any] = {"period": scope.period_key, "from": scope.period.start.isoformat(), "to": scope.period.last_day.isoformat()}
    if scope.site_id is not None:
        base["site"] = str(scope.site_id)

    def link(key: str) -> str:
        return url_for("feedbackwidget.admin.responses", **base, theme=key)

    panels = theme_panels(get_state().session(), scope.site_ids, scope.period, admin_locale(), link)
    return {"theme_panels": panels, "highlighted": highlighted}


def theme_arg(raw: str | None) -> str | None:
    """The ``theme`` filter of a list: a theme key, or nothing."""
    return raw if raw and THEME_KEY.match(raw) else None


def response_themes(session: Session, site_ids: Sequence[int], rows: Sequence[Any]) -> dict[str, Any]:
    """The theme names of the list's filter and each shown response's themes (rows hold the response first)."""
    names = theme_names(session, site_ids, admin_locale()) if site_ids else {}
    found = themes_of_responses(session, [row[0].id for row in rows])
    return {"theme_names": names,
            "response_themes": {rid: [(key, names[key]) for key in keys if key in names] for rid, keys in found.items()}}


def complaint_theme_context(site_id: int, start: dt.datetime, end: dt.datetime,
                            money: Callable[[Any, str | None], str]) -> dict[str, Any]:
    """The complaint analysis' "by theme" table: each theme's complaints, justified share and cost."""
    session = get_state().session()
    names = theme_names(session, [site_id], admin_locale())
    rows = [ComplaintThemeRow(names[f.key], f, ", ".join(money(amount, currency or None) for currency, amount
                                                           in sorted(f.cost.items())))
            for f in complaint_themes_between(session, [site_id], start, end) if f.key in names]
    return {"complaint_theme_rows": rows}
