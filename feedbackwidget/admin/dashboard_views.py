"""The dashboard: satisfaction, its drivers and the loyalty program at a glance."""

from __future__ import annotations

from flask import render_template

from . import admin
from .access import login_required, visible_sites


@admin.get("/")
@login_required
def dashboard() -> str:
    return render_template("feedbackwidget/admin/dashboard.html", sites=visible_sites())
