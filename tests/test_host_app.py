"""feedbackwidget inside a real Flask shop: Flask-SQLAlchemy, Flask-Migrate, a global
Flask-WTF ``CSRFProtect``, Flask-Login and Flask-Mail, registered before and after us."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

import feedbackwidget
from feedbackwidget import FeedbackWidget, get_state
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Response
from feedbackwidget.provisioning import create_site

from .smtp import SmtpServer

SHOP = "https://shop.example"


def make_shop(tmp_path: Path, *, feedback_first: bool, factory: bool) -> Flask:
    """The shop: its own models and extensions, and feedbackwidget in the order asked for."""
    class ShopBase(DeclarativeBase):  # one metadata per shop app: each test builds its own
        pass

    db = SQLAlchemy(model_class=ShopBase)

    class Order(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "orders"
        id: Mapped[int] = mapped_column(primary_key=True)
        number: Mapped[str] = mapped_column(String(20))

    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    app = Flask("shop", instance_path=str(tmp_path / "instance"))
    app.config.update(SECRET_KEY="the-shops-own-secret-key-of-some-length", SQLALCHEMY_DATABASE_URI=url,
                      FEEDBACKWIDGET_DATABASE_URL=url, FEEDBACKWIDGET_RUN_SENDER=False,
                      FEEDBACKWIDGET_SECRET_KEY="feedbackwidgets-own-key-of-at-least-32-chars",
                      MAIL_DEFAULT_SENDER="shop@shop.example", MAIL_SUPPRESS_SEND=True,
                      FEEDBACKWIDGET_MIN_FILL_SECONDS=0)  # a test fills the form faster than a person
    feedback = FeedbackWidget() if factory else None

    def register_feedback() -> None:
        if feedback is not None:
            feedback.init_app(app)
        else:
            FeedbackWidget(app)

    if feedback_first:
        register_feedback()
    db.init_app(app)
    Migrate(app, db, directory=str(tmp_path / "migrations"), include_object=feedbackwidget.include_object)
    CSRFProtect(app)
    login_manager = LoginManager(app)
    login_manager.user_loader(lambda user_id: None)  # the shop's customers: none logged in here
    app.extensions["shop_mail"] = Mail(app)
    if not feedback_first:
        register_feedback()

    @app.post("/checkout")
    def checkout() -> str:
        return "paid"

    app.extensions["shop_db"] = db
    return app


ORDERS = [pytest.param((True, False), id="feedback-first"), pytest.param((False, False), id="feedback-last"),
          pytest.param((True, True), id="factory-first"), pytest.param((False, True), id="factory-last")]


@pytest.fixture(params=ORDERS)
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Flask, str]:
    feedback_first, factory = request.param
    app = make_shop(tmp_path, feedback_first=feedback_first, factory=factory)
    upgrade(get_state(app).engine)
    with Session(get_state(app).engine) as session:
        key = create_site(session, "Shop", [SHOP], templates=("nps",), alert_emails=["owner@shop.example"]).key
        session.commit()
    return app, key


def stored_responses(app: Flask) -> int:
    with Session(get_state(app).engine) as session:
        return len(session.scalars(select(Response)).all())


def test_the_widget_posts_answers_and_complaints_past_the_hosts_csrf(shop: tuple[Flask, str]) -> None:
    app, key = shop
    client = app.test_client()
    answer = client.post(f"/feedback/api/v1/sites/{key}/responses", json={"survey": "nps", "answers": {"score": 9}},
                         headers={"Origin": SHOP})
    complaint = client.post(f"/feedback/api/v1/sites/{key}/complaints", headers={"Origin": SHOP}, json={
        "name": "Anna Kovács", "email": "anna@example.com", "category": "delivery", "consent": True,
        "description": "The parcel arrived two weeks late and the box was crushed.",
        "desired_resolution": "A refund of the delivery fee."})

    assert answer.status_code == 201, answer.text
    assert complaint.status_code == 201, complaint.text
    assert stored_responses(app) == 1


def test_our_alerts_go_through_the_hosts_flask_mail(shop: tuple[Flask, str], smtp: SmtpServer) -> None:
    app, key = shop
    app.config.update(MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port)  # suppressed all the same
    posted = app.test_client().post(f"/feedback/api/v1/sites/{key}/responses", headers={"Origin": SHOP},
                                    json={"survey": "nps", "answers": {"score": 2, "reason": "Late again"}})
    with app.extensions["shop_mail"].record_messages() as outbox, app.app_context():
        sent = drain(get_state(app).engine, WorkerSettings.for_app(app))

    assert posted.status_code == 201
    assert sent == {"sent": 1}
    [alert] = outbox
    assert alert.recipients == ["owner@shop.example"]
    assert alert.subject.startswith("Feedback alert for Shop")
    assert "Late again" in alert.body
    assert smtp.messages == [], "the host's MAIL_SUPPRESS_SEND holds for our mail too"


def test_the_hosts_own_forms_keep_the_hosts_csrf(shop: tuple[Flask, str]) -> None:
    app, _ = shop
    response = app.test_client().post("/checkout")
    assert response.status_code == 400
    assert "CSRF token is missing" in response.text


def test_our_html_forms_keep_their_own_csrf(shop: tuple[Flask, str]) -> None:
    app, key = shop
    client = app.test_client()
    login = client.post("/feedback/admin/login", data={"email": "a@shop.example", "password": "x" * 12})
    survey_page = client.get(f"/feedback/s/{key}/nps")
    hidden = dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', survey_page.text))

    assert login.status_code != 302  # no session without our token
    assert "Log out" not in login.text
    assert "csrf_token" in hidden, "the hosted survey renders its own CSRF token"
    forged = client.post(f"/feedback/s/{key}/nps", data={**hidden, "csrf_token": "forged", "q_score": "9"})
    posted = client.post(f"/feedback/s/{key}/nps", data={**hidden, "q_score": "9"})
    assert forged.status_code != 302 and stored_responses(app) <= 1
    assert posted.status_code == 302, posted.text
    assert stored_responses(app) == 1


def autogenerate(app: Flask, tmp_path: Path) -> str:
    """The host's ``flask db init`` and ``flask db migrate``; the script it wrote.

    Flask-Migrate's ``env.py`` runs ``logging.config.fileConfig``, which disables every logger
    that exists; they are enabled again after it, so later tests still see their logs.
    """
    directory = str(tmp_path / "migrations")
    enabled = [logger for logger in logging.Logger.manager.loggerDict.values()
               if isinstance(logger, logging.Logger) and not logger.disabled]
    try:
        with app.app_context():
            flask_migrate.init(directory)
            flask_migrate.migrate(directory, message="shop tables")
    finally:
        for logger in enabled:
            logger.disabled = False
    (script,) = (tmp_path / "migrations" / "versions").glob("*.py")
    return script.read_text()


def test_the_hosts_autogenerate_leaves_our_tables_alone(shop: tuple[Flask, str], tmp_path: Path) -> None:
    app, _ = shop
    script = autogenerate(app, tmp_path)

    assert "op.create_table('orders'" in script
    assert "fw_" not in script


def test_without_the_filter_autogenerate_would_drop_our_tables(tmp_path: Path) -> None:
    app = make_shop(tmp_path, feedback_first=True, factory=False)
    upgrade(get_state(app).engine)
    app.extensions["migrate"].configure_args.pop("include_object")
    script = autogenerate(app, tmp_path)
    assert "op.drop_table('fw_responses')" in script  # what include_object prevents


def test_include_object_keeps_only_the_hosts_objects() -> None:
    include: Callable[..., bool] = feedbackwidget.include_object
    fw_table: Any = type("T", (), {"name": "fw_responses"})()
    column: Any = type("C", (), {"table": fw_table})()
    assert include(fw_table, "fw_responses", "table", True, None) is False
    assert include(column, "score", "column", True, None) is False
    assert include(None, "orders", "table", False, None) is True
