"""``feedbackwidget check`` and ``/admin/health``: every line says what is wrong and the fix; exit 1 on a failure."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.cli import feedbackwidget_group
from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.health.runs import record_run
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.provisioning import create_site

from .smtp import SmtpServer

HEALTH_URL = "/feedback/admin/health"


@pytest.fixture
def healthy(make_app: Callable[..., Flask], smtp: SmtpServer, tmp_path: Path) -> Callable[..., Flask]:
    """A well-configured app (its instance folder in tmp_path, a fresh daily run), with *changes*."""

    def factory(**changes: Any) -> Flask:
        settings = {**smtp.config(), "FEEDBACKWIDGET_SECRET_KEY": secrets.token_urlsafe(48),
                    "FEEDBACKWIDGET_PUBLIC_URL": "https://feedback.shop.example", **changes}
        app = make_app(**settings)
        app.instance_path = str(tmp_path)
        record_run(app, utcnow())
        return app

    return factory


@pytest.fixture
def app(healthy: Callable[..., Flask]) -> Flask:
    return healthy()


def check(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(feedbackwidget_group, ["check", *args])


def test_a_healthy_installation_passes_every_check(app: Flask, site: Site) -> None:
    result = check(app)
    assert result.exit_code == 0, result.output
    assert "FAILED" not in result.output and "WARNING" not in result.output
    for name in ("Database", "Secret key", "Public URL", "Mail server", "Mail delivery", "Outbox sender",
                 "Daily maintenance", "Site origins"):
        assert f"OK       {name}:" in result.output


def test_send_test_delivers_one_message(app: Flask, site: Site, smtp: SmtpServer) -> None:
    result = check(app, "--send-test", "ops@shop.example")
    assert result.exit_code == 0, result.output
    assert "The mail server accepted the test e-mail to ops@shop.example." in result.output
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "ops@shop.example"


def test_the_mail_server_down_fails_with_the_fix(app: Flask, site: Site, smtp: SmtpServer) -> None:
    smtp.stop()
    result = check(app, "--send-test", "ops@shop.example")
    assert result.exit_code == 1
    assert f"FAILED   Mail server: 127.0.0.1:{smtp.port} does not answer" in result.output
    assert f"fix: Check MAIL_SERVER and MAIL_PORT (now 127.0.0.1:{smtp.port}), or start the mail server" in result.output
    assert "FAILED   Test e-mail: The test e-mail to ops@shop.example was not sent" in result.output
    assert "FAILED   Mail delivery: Failing since" in result.output


def test_a_placeholder_secret_key_fails(healthy: Callable[..., Flask], site: Site) -> None:
    result = check(healthy(FEEDBACKWIDGET_SECRET_KEY="change-me"))
    assert result.exit_code == 1
    assert "FAILED   Secret key" in result.output and "secrets.token_urlsafe(48)" in result.output


def test_a_short_secret_key_fails(healthy: Callable[..., Flask], site: Site) -> None:
    result = check(healthy(FEEDBACKWIDGET_SECRET_KEY="Zq8-short-but-random"))
    assert result.exit_code == 1
    assert "under the 32 it needs" in result.output


def test_no_public_url_is_a_warning_with_the_setting_to_set(healthy: Callable[..., Flask], site: Site) -> None:
    result = check(healthy(FEEDBACKWIDGET_PUBLIC_URL=None))
    assert result.exit_code == 0
    assert "WARNING  Public URL" in result.output and "fix: Set FEEDBACKWIDGET_PUBLIC_URL" in result.output


def test_a_site_without_origins_fails(app: Flask, site: Site, db: Session) -> None:
    create_site(db, "Bare Shop", [])
    db.commit()
    result = check(app)
    assert result.exit_code == 1
    assert "FAILED   Site origins: Bare Shop has no origin" in result.output
    assert "OK       Site origins: Test Shop: https://shop.example" in result.output


def test_an_unreachable_redis_fails(healthy: Callable[..., Flask], site: Site) -> None:
    from .smtp import free_port

    result = check(healthy(FEEDBACKWIDGET_RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{free_port()}/0"))
    assert result.exit_code == 1
    assert "FAILED   Redis" in result.output and "fix: Start Redis" in result.output


def test_mail_waiting_with_no_sender_fails(app: Flask, site: Site) -> None:
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [OutboxDraft(kind="mail", recipient="owner@shop.example", dedupe_key="old",
                                         payload={"text": "x", "html": None, "locale": "en"})])
        connection.exec_driver_sql("UPDATE fw_outbox SET next_attempt_at = created_at")
    result = app.test_cli_runner().invoke(feedbackwidget_group, ["check"])
    assert "OK       Outbox sender" in result.output  # just written: not late yet
    from feedbackwidget.health import sender

    late = sender(app, utcnow() + dt.timedelta(minutes=30))
    assert late.status == "failed" and "send-outbox --loop" in late.text(late.fix)


def test_maintenance_not_run_for_days_fails(app: Flask, site: Site) -> None:
    record_run(app, utcnow() - dt.timedelta(days=3))
    result = check(app)
    assert result.exit_code == 1
    assert "FAILED   Daily maintenance: Last complete run at" in result.output


def test_a_database_behind_fails_with_the_upgrade_command(app: Flask, site: Site) -> None:
    engine = get_state(app).engine
    with engine.begin() as connection:
        newest = connection.exec_driver_sql("SELECT version_num FROM fw_alembic_version").scalar()
        connection.exec_driver_sql("UPDATE fw_alembic_version SET version_num = '0005_older'")
    try:
        result = check(app)
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE fw_alembic_version SET version_num = :v"), {"v": newest})
    assert result.exit_code == 1
    assert "The schema is at revision 0005_older" in result.output
    assert "fix: Run 'feedbackwidget db upgrade'." in result.output


def test_owners_see_the_health_page_in_their_language(logged_in: Callable[..., FlaskClient], site: Site) -> None:
    client = logged_in("owner")
    page = client.get(HEALTH_URL)
    assert page.status_code == 200
    assert "Everything works." in page.text and "Mail server" in page.text
    assert client.get(f"{HEALTH_URL}?lang=hu").status_code == 200


def test_viewers_and_managers_get_no_health_page(logged_in: Callable[..., FlaskClient]) -> None:
    assert logged_in("viewer").get(HEALTH_URL).status_code == 404
    assert logged_in("manager").get(HEALTH_URL).status_code == 404
    assert logged_in(None).get(HEALTH_URL).status_code == 200  # a superuser
