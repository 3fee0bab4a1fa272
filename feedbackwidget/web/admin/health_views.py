"""``/admin/health``: the checks of ``feedbackwidget check``, for owners and superusers."""

from __future__ import annotations

from flask import current_app, render_template

from ...health import run_checks, worst
from ...core.i18n import N_
from . import admin
from .access import ADMIN_NAV, NavItem, require_role

ADMIN_NAV.append(NavItem(N_("Health"), "feedbackwidget.admin.health", "owner"))


@admin.get("/health")
@require_role("owner")
def health() -> str:
    """Each check with what was found and, when it is not ok, what to do (no test e-mail here)."""
    checks = run_checks(current_app._get_current_object())  # type: ignore[attr-defined]
    return render_template("feedbackwidget/admin/health.html", checks=checks, overall=worst(checks))
