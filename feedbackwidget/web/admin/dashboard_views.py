"""The dashboard: how a site is doing and why, its open complaints, and its setup until it is done."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request

from ...core.state import get_state
from ...metrics import build_dashboard
from ...metrics.background import build_in_background
from ...metrics.complaints_glance import complaints_glance
from ...metrics.feed import latest_comments
from ...metrics.setup import STEPS, unfinished_setups
from ...metrics.trend import BUCKETS, FEW_ANSWERS, MIN_MEDIAN_ANSWERS
from ...core.models import utcnow
from ...surveys.templates import TEMPLATES
from . import admin
from .access import login_required, visible_sites
from .charts import distribution_chart, meter_width, trend_charts
from .follow_up_card import follow_up_card_context
from .locale import gettext
from .scope import Scope, scope_from
from .theme_views import theme_panel_context

REWARD_LABELS: dict[str, str] = {
    option["value"]: option["text"]
    for question in TEMPLATES["loyalty"] for option in question.get("options", [])
}


def _figures(site_ids: list[int], scope: Scope) -> dict[str, Any]:
    """The dashboard's figures for *site_ids* (none without a site)."""
    if not site_ids:
        return {"board": None, "charts": {}, "glance": None, "feed": []}
    state = get_state()
    session = state.session()
    asked = request.args.get("by")
    board = build_dashboard(session, site_ids, scope.period, asked if asked in BUCKETS else None)
    if board.wants_builder and not current_app.testing:
        build_in_background(state.engine, state.extras, scope.period.previous.start)
    charts = {"trend": trend_charts(board.trend, board.bucket),
              "scores": distribution_chart([board.score_count(s) for s in range(11)])}
    return {"board": board, "charts": charts, "glance": complaints_glance(session, site_ids, utcnow()),
            "feed": latest_comments(session, site_ids, scope.period)}


@admin.get("/")
@login_required
def dashboard() -> str:
    """Figures of one site (``?site=ID``) or of every site of the user, for a period."""
    scope = scope_from(request.args)
    sites = visible_sites()
    in_scope = [site for site in sites if site.id in set(scope.site_ids)]
    # Areas add their dashboard panels' data here (the theme panels: admin/_theme_panels.html).
    context: dict[str, Any] = {
        **_figures(list(scope.site_ids), scope),
        "setups": unfinished_setups(get_state().session(), in_scope), "setup_steps": STEPS,
        "few_answers": FEW_ANSWERS, "min_median": MIN_MEDIAN_ANSWERS, "buckets": BUCKETS,
        **theme_panel_context(scope), **follow_up_card_context(scope),
    }
    return render_template(
        "feedbackwidget/admin/dashboard.html", scope=scope, sites=sites,
        site_labels={str(s.id): s.name for s in sites}, reward_labels=REWARD_LABELS, meter=meter_width,
        error=gettext(scope.error) if scope.error else None, **context,
    )
