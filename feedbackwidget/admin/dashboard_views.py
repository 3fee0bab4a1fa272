"""The dashboard: satisfaction, its drivers and the loyalty program at a glance."""

from __future__ import annotations

from flask import current_app, render_template, request

from ..extension import get_state
from ..metrics import build_dashboard
from ..metrics.background import build_in_background
from . import admin
from .access import login_required, visible_sites
from ..surveys.templates import TEMPLATES
from .charts import distribution_chart, meter_width, trend_chart
from .locale import gettext
from .scope import scope_from


REWARD_LABELS: dict[str, str] = {
    option["value"]: option["text"]
    for question in TEMPLATES["loyalty"] for option in question.get("options", [])
}


@admin.get("/")
@login_required
def dashboard() -> str:
    """Figures of one site (``?site=ID``) or of every site of the user, for a period."""
    scope = scope_from(request.args)
    bucket = request.args.get("by") if request.args.get("by") in ("day", "week") else None
    sites = visible_sites()
    state = get_state()
    board = build_dashboard(state.session(), scope.site_ids, scope.period, bucket) if scope.site_ids else None
    if board is not None and board.wants_builder and not current_app.testing:
        build_in_background(state.engine, state.extras, scope.period.previous.start)
    charts = {}
    if board is not None:
        charts = {
            "trend": trend_chart(board.trend, gettext("NPS"), gettext("CSAT: excellent %")),
            "scores": distribution_chart([board.score_count(s) for s in range(11)]),
        }
    return render_template(
        "feedbackwidget/admin/dashboard.html", scope=scope, sites=sites, board=board, charts=charts,
        site_labels={str(s.id): s.name for s in sites}, reward_labels=REWARD_LABELS, meter=meter_width,
        error=gettext(scope.error) if scope.error else None,
    )
