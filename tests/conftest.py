"""Shared fixtures: ``app``, ``client``, ``db``, ``site``, ``smtp`` and ``make_app``.

The suite runs on SQLite by default; set ``FEEDBACKWIDGET_TEST_DATABASE_URL`` to a
PostgreSQL URL (e.g. ``postgresql://postgres@127.0.0.1:5432/test``) to run it there.
A PostgreSQL run creates its own throw-away database next to the one named, so
parallel runs never share rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from feedbackwidget import create_app, get_state
from feedbackwidget.core.db import normalize_url
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Base, Site
from feedbackwidget.provisioning import create_site

from .smtp import SmtpServer

TEST_DATABASE_ENV = "FEEDBACKWIDGET_TEST_DATABASE_URL"
SHOP_ORIGIN = "https://shop.example"


def _create_pg_database(url: str) -> tuple[str, Callable[[], None]]:
    base = normalize_url(url)
    name = f"fwtest_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session."""
    configured = os.environ.get(TEST_DATABASE_ENV)
    if configured and make_url(configured).get_backend_name() == "postgresql":
        url, drop = _create_pg_database(configured)
    else:
        url, drop = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "feedback.sqlite"), (lambda: None)
    from feedbackwidget.core.db import create_feedback_engine

    engine = create_feedback_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop()


@pytest.fixture
def empty_engine(tmp_path: Any) -> Iterator[Any]:
    """An engine on a new, empty database of the backend under test."""
    from feedbackwidget.core.db import create_feedback_engine

    configured = os.environ.get(TEST_DATABASE_ENV)
    if configured and make_url(configured).get_backend_name() == "postgresql":
        url, drop = _create_pg_database(configured)
    else:
        url, drop = "sqlite:///" + str(tmp_path / "empty.sqlite"), (lambda: None)
    engine = create_feedback_engine(url)
    yield engine
    engine.dispose()
    drop()


def _empty_tables(app: Flask) -> None:
    engine = get_state(app).engine
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    # DELETE, not TRUNCATE: on the few rows a test leaves it is many times faster.
    with engine.begin() as connection:
        for table in tables:
            connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def make_app(database_url: str, tmp_path: Any) -> Iterator[Callable[..., Flask]]:
    """Factory for standalone apps on the test database, with custom settings."""
    apps: list[Flask] = []

    def factory(**settings: Any) -> Flask:
        test_config = {
            "TESTING": True,
            "FEEDBACKWIDGET_DATABASE_URL": database_url,
            "FEEDBACKWIDGET_SECRET_KEY": "test-secret-key",
            "FEEDBACKWIDGET_AUTO_MIGRATE": False,
            "FEEDBACKWIDGET_RUN_SENDER": False,
            "FEEDBACKWIDGET_SITE_CACHE_SECONDS": 0,
            # Tests fill forms faster than people; tests/test_spam.py sets it back.
            "FEEDBACKWIDGET_MIN_FILL_SECONDS": 0,
            "MAIL_DEFAULT_SENDER": "feedback@shop.example",
            **settings,
        }
        app = create_app(test_config)
        apps.append(app)
        return app

    yield factory
    if apps:
        _empty_tables(apps[0])
    for app in apps:
        get_state(app).dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """An ORM session on the app's database, for arranging and checking rows.

    It runs in autocommit mode: on SQLite a transaction outside a GET request is
    BEGIN IMMEDIATE, so a test session that kept a transaction open after reading
    would hold the write lock and block the app under test.
    """
    engine = get_state(app).engine.execution_options(isolation_level="AUTOCOMMIT")
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def site(db: Session) -> Site:
    """A shop at https://shop.example with every template's survey active."""
    created = create_site(
        db, "Test Shop", [SHOP_ORIGIN], alert_emails=["owner@shop.example"],
        templates=("nps", "csat", "stock", "suggestions", "loyalty"),
    )
    db.commit()
    return created


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


# --- admin area: accounts and logged-in clients -------------------------------------------

ADMIN_PASSWORD = "correct horse battery"
ADMIN_LOGIN_URL = "/feedback/admin/login"


def csrf_token(page_text: str) -> str:
    """The CSRF token of the (first) form of an HTML page."""
    import re

    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def admin_login(client: FlaskClient, email: str, password: str = ADMIN_PASSWORD, next: str = "") -> Any:
    """Log *client* in through the admin login form, as a browser would (CSRF token included)."""
    token = csrf_token(client.get(ADMIN_LOGIN_URL).text)
    return client.post(ADMIN_LOGIN_URL, data={"email": email, "password": password, "csrf_token": token,
                                              "next": next})


@pytest.fixture
def make_admin(db: Session) -> Callable[..., Any]:
    """Factory: ``make_admin(email, sites=[(site, "manager")])``; no sites makes a superuser."""
    from feedbackwidget.accounts import set_admin

    def factory(email: str = "admin@shop.example", *, sites: Any = (), password: str = ADMIN_PASSWORD) -> Any:
        user = set_admin(db, email, password, memberships=list(sites))
        db.commit()
        return user

    return factory


@pytest.fixture
def logged_in(app: Flask, site: Site, make_admin: Callable[..., Any]) -> Callable[..., FlaskClient]:
    """Factory of logged-in admin clients: ``logged_in("viewer")`` has that role on ``site``;
    ``logged_in(None)`` is a superuser; ``logged_in(sites=[(other, "owner")])`` chooses the sites."""

    def factory(role: str | None = "owner", *, email: str | None = None, sites: Any = None) -> FlaskClient:
        memberships = sites if sites is not None else ([] if role is None else [(site, role)])
        email = email or f"{role or 'super'}-{len(memberships)}@shop.example"
        make_admin(email, sites=memberships)
        client = app.test_client()
        response = admin_login(client, email)
        assert response.status_code == 302, response.text
        return client

    return factory
