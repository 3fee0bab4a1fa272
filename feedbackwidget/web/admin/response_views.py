"""Responses: the filtered list, one response's detail (with the replies to its customer), follow-up and the CSV
export; sending a reply is in :mod:`.reply_views`."""

from __future__ import annotations

from collections.abc import Iterator

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import Engine
from werkzeug.wrappers import Response as HttpResponse

from ...core import config
from ...core.db import export_session
from ...core.state import get_state
from ...metrics.periods import utc_day_today
from ...core.models import Survey, utcnow
from ...responses.replies import mark_followed_up, undo_follow_up
from ...responses.purposes import COMPLAINT_HANDLING
from . import admin
from .access import current_admin, login_required, visible_sites
from ...themes.store import themes_of_responses
from .csv_export import csv_chunks
from .forms import ButtonForm
from .locale import gettext
from .response_page import EXPIRED, render_response, response_or_404
from .response_queries import BANDS, Cursor, ResponseFilter, export_rows, find_responses, flag, surveys_of, tiers_of
from .scope import Scope, scope_from
from .theme_views import response_themes, theme_arg
from . import reply_views  # noqa: F401  (the reply route, on the same page)


def _survey_id(raw: str | None, scope: Scope) -> int | None:
    """The ``survey`` filter; a survey of a site outside the scope is a 404."""
    if not raw:
        return None
    survey = get_state().session().get(Survey, int(raw)) if raw.isdigit() else None
    if survey is None or survey.site_id not in scope.site_ids:
        abort(404)
    return survey.id


def filters_from_request() -> tuple[Scope, ResponseFilter]:
    args = request.args
    scope = scope_from(args)
    filters = ResponseFilter(
        site_ids=scope.site_ids, period=scope.period, survey_id=_survey_id(args.get("survey"), scope),
        band=args.get("band") if args.get("band") in BANDS else None, page=args.get("page") or None,
        tier=args.get("tier") or None, has_comment=args.get("comment") == "1",
        followed_up=flag(args, "followed"), search=(args.get("q") or "").strip() or None,
        theme=theme_arg(args.get("theme")), purpose=COMPLAINT_HANDLING if args.get("purpose") == COMPLAINT_HANDLING else None,
    )
    return scope, filters


@admin.get("/responses")
@login_required
def responses() -> str:
    """Responses of the user's sites, newest first, filtered; pages by keyset (``?after=``)."""
    scope, filters = filters_from_request()
    db = get_state().session()
    page_size = int(current_app.config[config.ADMIN_PAGE_SIZE])
    page = find_responses(db, filters, Cursor.decode(request.args.get("after")), page_size) if scope.site_ids else None
    sites = visible_sites()
    return render_template(
        "feedbackwidget/admin/responses.html", scope=scope, filters=filters, page=page, sites=sites,
        site_names={s.id: s.name for s in sites}, **response_themes(db, scope.site_ids, page.rows if page else []),
        surveys=surveys_of(db, scope.site_ids), tiers=tiers_of(db, scope.site_ids), bands=list(BANDS),
        args={k: v for k, v in request.args.items() if k != "after"}, today=utc_day_today(),
    )


@admin.get("/responses.csv")
@login_required
def export_responses() -> HttpResponse:
    """The filtered responses as a CSV file, streamed row batch by row batch."""
    scope, filters = filters_from_request()
    name = f"responses-{utc_day_today().isoformat()}.csv"
    return HttpResponse(
        _stream_csv(get_state().engine, filters if scope.site_ids else None), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Content-Type": "text/csv; charset=utf-8"},
    )


def _stream_csv(engine: Engine, filters: ResponseFilter | None) -> Iterator[str]:
    """The CSV text, read through a session of its own that outlives the request."""
    with export_session(engine) as db:
        yield from csv_chunks(export_rows(db, filters) if filters is not None else iter(()),
                              themes_of=lambda ids: themes_of_responses(db, ids))


@admin.get("/responses/<int:response_id>")
@login_required
def response_detail(response_id: int) -> tuple[str, int]:
    """One response with every answer; 404 when its site is not the user's."""
    response, site = response_or_404(response_id)
    return render_response(response, site)


@admin.post("/responses/<int:response_id>/follow-up")
@login_required
def follow_up(response_id: int) -> HttpResponse | tuple[str, int]:
    """Mark a response as followed up, or undo it (managers and owners)."""
    response, site = response_or_404(response_id, "manager")
    if not ButtonForm().validate_on_submit():
        return render_response(response, site, status=400, error=gettext(EXPIRED))
    db = get_state().session()
    if request.form.get("undo") == "1":
        done = "unfollowed" if undo_follow_up(db, response.id) else None
    else:
        done = "followed" if mark_followed_up(db, response.id, current_admin().id, utcnow()) else None
    db.commit()
    return redirect(url_for("feedbackwidget.admin.response_detail", response_id=response.id, done=done))
