"""The standalone server's daily maintenance runs the same commands as the deploy/ timer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.maintenance import DAILY_COMMANDS, run_daily_commands
from feedbackwidget.core.models import Response, Site, utcnow

DEPLOY_UNIT = Path(__file__).resolve().parent.parent / "deploy" / "feedbackwidget-maintenance.service"


def test_the_daily_run_purges_expired_personal_data(app: Flask, site: Site, db: Session) -> None:
    body = {"survey": "nps", "answers": {"score": 3, "reason": "Old"}, "customer": {"email": "ann@example.com"}}
    assert app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json=body).status_code == 201
    row = db.scalar(select(Response))
    assert row is not None
    row.created_at = utcnow() - dt.timedelta(days=40)
    shop = db.get(Site, site.id)
    assert shop is not None
    shop.settings = {**shop.settings, "retention_days": 30}
    db.commit()

    assert run_daily_commands(app) == []

    db.expire_all()
    assert db.scalar(select(Response.customer_email)) is None


def test_the_deploy_timer_runs_the_same_commands() -> None:
    unit = DEPLOY_UNIT.read_text()
    for command in DAILY_COMMANDS:
        assert f"feedbackwidget feedbackwidget {' '.join(command)}\n" in unit


def test_the_thread_is_not_started_under_test_or_when_switched_off(make_app: Callable[..., Flask]) -> None:
    app = make_app(FEEDBACKWIDGET_RUN_MAINTENANCE=True)  # TESTING is on
    app.test_client().get("/feedback/healthz")
    from feedbackwidget import get_state

    assert "maintenance.thread" not in get_state(app).extras
