"""The complaint analysis page and the CSV exports (complaints, analysis) of the admin area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from typing import Any

from babel.dates import format_skeleton
from flask import Response, abort, render_template, request
from sqlalchemy import Engine, select

from ..admin.access import login_required, visible_sites
from ..admin.scope import Scope, scope_from
from ..admin.theme_views import complaint_theme_context
from ...core.db import export_session
from ...core.state import get_state
from ...core.models import AdminUser, utcnow
from .admin_views import admin_complaints, template_helpers
from ..admin.locale import admin_locale, gettext
from ...complaints import labels
from .admin_charts import cost_bars, time_chart
from ...complaints.satisfaction import handling_satisfaction
from ...complaints.analysis import Bucket, ComplaintAnalysis, Period, analyse, over_time
from ...complaints.timeline import money
from ...core.spreadsheet import ROWS_PER_CHUNK, to_csv
from .export import analysis_rows, complaint_csv
from ...complaints.models import Complaint
from ...themes.store import themes_of_complaints

UTC = dt.timezone.utc


def _scope() -> tuple[Scope, Period]:
    """The site (the first visible one by default) and period asked for."""
    sites = visible_sites()
    if not sites:
        abort(404)
    args = {**request.args.to_dict(), "site": request.args.get("site") or str(sites[0].id)}
    scope = scope_from(args)
    start = dt.datetime.combine(scope.period.start, dt.time(), UTC)
    end = dt.datetime.combine(scope.period.end, dt.time(), UTC)
    return scope, Period(start, end)


def _csv(body: str | Iterator[str], filename: str) -> Response:
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin_complaints.get("/analysis")
@login_required
def analysis() -> str:
    """Complaints of a site in a period against the previous period."""
    scope, period = _scope()
    now = utcnow()
    result = analyse(get_state().session(), scope.site_ids[0], period, now)
    buckets = over_time(get_state().session(), scope.site_ids[0], period, now)
    return render_template(
        "feedbackwidget/admin/complaints/analysis.html", result=result, scope=scope, sites=visible_sites(),
        args=request.args, last_day=period.end - dt.timedelta(days=1), **_charts(result, buckets),
        handling=handling_satisfaction(get_state().session(), scope.site_ids[0], period.start, period.end),
        **template_helpers(), **complaint_theme_context(scope.site_ids[0], period.start, period.end,
                                                        lambda amount, currency: money(amount, currency, admin_locale())),
    )


def _charts(result: ComplaintAnalysis, buckets: list[Bucket]) -> dict[str, Any]:
    locale = admin_locale()

    def day(bucket: Bucket) -> str:
        return format_skeleton("MMMd", bucket.start, locale=locale)

    return {
        "buckets": buckets, "day_label": day,
        "count_chart": time_chart(buckets, lambda b: b.justified_share, day),
        "ontime_chart": time_chart(buckets, lambda b: b.within_deadline_share, day, with_columns=False),
        "costs": cost_bars(result.current.compensation, lambda c: labels.label(labels.CATEGORY_LABELS, c, gettext),
                           lambda amount, currency: money(amount, currency, locale)),
        "money": lambda amount, currency: money(amount, currency, locale),
    }


@admin_complaints.get("/analysis.csv")
@login_required
def analysis_csv() -> Response:
    scope, period = _scope()
    result = analyse(get_state().session(), scope.site_ids[0], period, utcnow())
    name = f"complaint-analysis-{scope.site_ids[0]}-{period.start:%Y%m%d}.csv"
    return _csv(to_csv(("section", "key", "current", "previous"), analysis_rows(result)), name)


@admin_complaints.get("/export.csv")
@login_required
def export_csv() -> Response:
    """Every complaint of the site received in the period, one row each, streamed."""
    scope, period = _scope()
    site_id = scope.site_ids[0]
    site_name = {site.id: site.name for site in visible_sites()}[site_id]
    body = _stream_complaints(get_state().engine, site_id, site_name, period)
    return _csv(body, f"complaints-{site_id}-{period.start:%Y%m%d}.csv")


def _stream_complaints(engine: Engine, site_id: int, site_name: str, period: Period) -> Iterator[str]:
    """The complaint CSV, read through a session of its own that outlives the request."""
    query = (
        select(Complaint, AdminUser.email).outerjoin(AdminUser, AdminUser.id == Complaint.assignee_id)
        .where(Complaint.site_id == site_id, Complaint.received_at >= period.start, Complaint.received_at < period.end)
        .order_by(Complaint.received_at, Complaint.id)
    )
    with export_session(engine) as session:
        rows = session.execute(query.execution_options(yield_per=ROWS_PER_CHUNK))
        yield from complaint_csv(((c, site_name, email) for c, email in rows), utcnow(),
                                 themes_of=lambda ids: themes_of_complaints(session, ids))
