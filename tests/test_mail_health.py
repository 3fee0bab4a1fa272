"""Mail that does not go out is loud: a banner on every admin page, a test e-mail, a warning at start."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import FeedbackWidget, get_state
from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import OutboxMessage, Site, utcnow

from .conftest import SHOP_ORIGIN, csrf_token
from .smtp import SmtpServer

OUTBOX_URL = "/feedback/admin/outbox/"
ADMIN_PAGES = ("/feedback/admin/", "/feedback/admin/responses", OUTBOX_URL, "/feedback/admin/account")


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    """The standalone server, its mail going to the ``smtp`` fixture."""
    return make_app(**smtp.config())


def queue_alert(app: Flask, site: Site, key: str = "alert:1") -> None:
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [OutboxDraft(kind="mail", recipient="owner@shop.example", subject="Low score",
                                         dedupe_key=key, site_id=site.id,
                                         payload={"text": "x", "html": None, "locale": "en"})])


def send_due(app: Flask, hours_later: float = 0) -> None:
    with app.app_context():
        drain(get_state(app).engine, WorkerSettings.for_app(app), utcnow() + dt.timedelta(hours=hours_later))


def test_every_admin_page_says_mail_is_failing_since_when_and_how_to_fix_it_until_mail_goes_out(
    app: Flask, site: Site, logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    smtp.stop()
    queue_alert(app, site)
    send_due(app)
    client = logged_in("owner")
    for url in ADMIN_PAGES:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "E-mail is not going out." in page.text, url
        assert f"mail server 127.0.0.1:{smtp.port} unavailable" in page.text
        assert f"Check MAIL_SERVER and MAIL_PORT (now 127.0.0.1:{smtp.port}), or start the mail server" in page.text
        assert f"Since {utcnow():%Y-%m-%d}" in page.text

    smtp.start()
    send_due(app, hours_later=1)
    get_state(app).extras["delivery.failure_cache"].invalidate()  # the banner is cached for 30 s
    assert len(smtp.messages) == 1
    assert "E-mail is not going out." not in client.get("/feedback/admin/").text


def test_the_banner_names_a_refusal_to_managers_in_their_language(
    app: Flask, site: Site, logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    smtp.reply_code = "554 Relay access denied"
    queue_alert(app, site)
    send_due(app)
    client = logged_in("manager")
    page = client.get("/feedback/admin/?lang=hu").text
    assert "554 Relay access denied" in page and "Nem megy ki e-mail." in page
    assert "MAIL_USERNAME" in page
    # A viewer learns that mail fails, not what the server said about a message they may not see.
    viewer_page = logged_in("viewer").get("/feedback/admin/?lang=zh").text
    assert "邮件发送不出去。" in viewer_page and "Relay access denied" not in viewer_page


def test_no_banner_while_mail_goes_out_nor_on_public_pages(
    app: Flask, site: Site, logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    queue_alert(app, site)
    send_due(app)
    assert "E-mail is not going out." not in logged_in("owner").get("/feedback/admin/").text
    smtp.stop()
    queue_alert(app, site, key="alert:2")
    send_due(app)
    assert "E-mail is not going out." not in app.test_client().get("/feedback/admin/login").text
    assert "E-mail is not going out." not in app.test_client().get("/feedback/demo").text


def test_an_owner_sends_a_test_email_to_themselves_through_the_outbox(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    client = logged_in("owner", email="boss@shop.example")
    page = client.get(OUTBOX_URL)
    response = client.post(f"{OUTBOX_URL}test-mail", data={"csrf_token": csrf_token(page.text), "to": ""})
    assert response.status_code == 200
    assert "The mail server accepted the test e-mail to boss@shop.example." in response.text
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "boss@shop.example" and mail["Subject"] == "Test e-mail from feedbackwidget"
    assert db.scalar(select(OutboxMessage.status).where(OutboxMessage.recipient == "boss@shop.example")) == "sent"


def test_a_test_email_to_a_typed_address_reports_the_server_down_with_the_fix(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    smtp.stop()
    client = logged_in("owner")
    page = client.get(OUTBOX_URL)
    response = client.post(f"{OUTBOX_URL}test-mail", data={"csrf_token": csrf_token(page.text),
                                                         "to": "it@shop.example"})
    assert "The test e-mail to it@shop.example was not sent." in response.text
    assert f"mail server 127.0.0.1:{smtp.port} unavailable" in response.text
    assert "or start the mail server there." in response.text
    assert "E-mail is not going out." in response.text  # the banner knows at once
    # A failed test is not retried later behind the owner's back.
    assert db.scalar(select(OutboxMessage.status).where(OutboxMessage.recipient == "it@shop.example")) == "failed"


def test_managers_do_not_get_the_test_email_button(
    logged_in: Callable[..., FlaskClient], smtp: SmtpServer
) -> None:
    client = logged_in("manager")
    page = client.get(OUTBOX_URL)
    assert "Send a test e-mail" not in page.text
    response = client.post(f"{OUTBOX_URL}test-mail", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 404
    assert smtp.messages == []


@pytest.fixture
def app_log() -> None:
    """The standalone server's logger, enabled again: an Alembic env.py run by an earlier test
    (logging.config.fileConfig) disables every logger that existed then."""
    logging.getLogger("feedbackwidget.app").disabled = False


@pytest.mark.usefixtures("app_log")
def test_the_standalone_server_warns_at_start_when_no_mail_server_is_set(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="feedbackwidget"):
        make_app()
    warnings = [r.getMessage() for r in caplog.records if "MAIL_SERVER" in r.getMessage()]
    assert len(warnings) == 1
    assert "Set MAIL_SERVER" in warnings[0] and "alerts" in warnings[0]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="feedbackwidget"):
        make_app(MAIL_SERVER="mail.shop.example")
    assert not [r for r in caplog.records if "MAIL_SERVER" in r.getMessage()]


@pytest.mark.usefixtures("app_log")
def test_a_host_app_gets_no_mail_warning(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    host = Flask("host_shop")
    host.config.update(TESTING=True, SECRET_KEY="host-secret", FEEDBACKWIDGET_DATABASE_URL=database_url,
                       FEEDBACKWIDGET_RUN_SENDER=False)
    with caplog.at_level(logging.WARNING, logger="feedbackwidget"):
        FeedbackWidget(host)
    assert not [r for r in caplog.records if "MAIL_SERVER" in r.getMessage()]
    get_state(host).dispose()
    assert SHOP_ORIGIN
