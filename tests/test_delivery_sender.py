"""The standalone server sends its outbox itself; a host app embedding the extension does not."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from feedbackwidget import FeedbackWidget, get_state
from feedbackwidget.delivery.sender import SENDER_KEY
from feedbackwidget.core.models import Site

from .conftest import SHOP_ORIGIN
from .smtp import SmtpServer


def submit_low_score(app: Flask, site: Site) -> None:
    response = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", headers={"Origin": SHOP_ORIGIN},
                                      json={"survey": "csat", "answers": {"rating": "bad"}})
    assert response.status_code == 201


def test_the_standalone_server_delivers_alerts_without_a_second_process(
    make_app: Callable[..., Flask], site: Site, smtp: SmtpServer
) -> None:
    app = make_app(**smtp.config(), FEEDBACKWIDGET_RUN_SENDER=True, FEEDBACKWIDGET_SENDER_INTERVAL_SECONDS=0.05)
    try:
        submit_low_score(app, site)
        [mail] = smtp.wait_for(1)
        assert "Service rated bad" in mail["Subject"]
    finally:
        get_state(app).extras[SENDER_KEY].stop()
        get_state(app).extras[SENDER_KEY].join(5)


def test_no_sender_runs_when_it_is_switched_off(make_app: Callable[..., Flask], site: Site) -> None:
    app = make_app(FEEDBACKWIDGET_RUN_SENDER=False)
    submit_low_score(app, site)
    assert SENDER_KEY not in get_state(app).extras


def test_a_host_app_runs_no_sender_of_ours(database_url: str, site: Site) -> None:
    host = Flask("shop")
    host.config.update(TESTING=True, FEEDBACKWIDGET_DATABASE_URL=database_url, SECRET_KEY="host-secret")
    FeedbackWidget(host)
    try:
        submit_low_score(host, site)
        assert SENDER_KEY not in get_state(host).extras
    finally:
        get_state(host).dispose()
