"""Sites and their surveys: settings, embed snippet, survey editing and preview."""

from __future__ import annotations

from flask import render_template

from . import admin
from .access import login_required, visible_sites


@admin.get("/sites")
@login_required
def sites() -> str:
    return render_template("feedbackwidget/admin/sites.html", sites=visible_sites())
