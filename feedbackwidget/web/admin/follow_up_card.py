"""The dashboard's follow-up card: detractors followed up within 48 hours (admin/_followup_card.html)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ...core.models import utcnow
from ...core.state import get_state
from ...metrics.follow_up import follow_up_share
from .scope import Scope


def follow_up_card_context(scope: Scope) -> dict[str, Any]:
    """The card's figures for *scope*, and the link to the detractors not followed up yet."""
    if not scope.site_ids:
        return {"follow_up": None}
    period = scope.period
    dates: dict[str, Any] = {"period": scope.period_key}
    if scope.period_key == "custom":
        dates.update({"from": period.start.isoformat(), "to": period.last_day.isoformat()})
    link = url_for("feedbackwidget.admin.responses", site=scope.site_id, band="unhappy", followed="no", **dates)
    return {"follow_up": follow_up_share(get_state().session(), scope.site_ids, period, utcnow()),
            "follow_up_url": link}
