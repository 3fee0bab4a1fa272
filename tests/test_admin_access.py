"""Admin access: login, sessions, throttling, roles per site and security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.accounts.models import AdminSession
from feedbackwidget.core.models import Response, Site
from feedbackwidget.provisioning import create_site

from .conftest import ADMIN_PASSWORD, admin_login, csrf_token

DASHBOARD = "/feedback/admin/"


def add_response(db: Session, site: Site, **values: Any) -> Response:
    survey_id = values.pop("survey_id", None) or site_survey_id(db, site)
    response = Response(site_id=site.id, survey_id=survey_id, locale="en", answers=values.pop("answers", {}), **values)
    db.add(response)
    db.commit()
    return response


def site_survey_id(db: Session, site: Site) -> int:
    from feedbackwidget.core.models import Survey

    return int(db.scalar(select(Survey.id).where(Survey.site_id == site.id).order_by(Survey.id).limit(1)))


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back(client: FlaskClient, make_admin: Any) -> None:
    make_admin("ann@shop.example")
    first = client.get("/feedback/admin/responses?page=2")
    assert first.status_code == 302
    assert "/feedback/admin/login?next=" in first.location

    response = admin_login(client, "ann@shop.example", next="/feedback/admin/responses?page=2")

    assert response.status_code == 302
    assert response.location == "/feedback/admin/responses?page=2"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/feedback/admin" in cookie


def test_next_never_leads_to_another_host(client: FlaskClient, make_admin: Any) -> None:
    make_admin("ann@shop.example")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = admin_login(client, "ann@shop.example", next=target)
        assert response.location == DASHBOARD


def test_unknown_user_and_wrong_password_get_the_same_answer(client: FlaskClient, make_admin: Any) -> None:
    make_admin("ann@shop.example")
    unknown = admin_login(client, "nobody@shop.example")
    wrong = admin_login(client, "ann@shop.example", password="wrong password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong e-mail or password" in unknown.text and "Wrong e-mail or password" in wrong.text
    assert unknown.text.replace("nobody@", "ann@") == wrong.text.replace(csrf_token(wrong.text), csrf_token(unknown.text))


def test_an_account_is_locked_after_repeated_failures(make_app: Callable[..., Flask], make_admin: Any) -> None:
    app = make_app(FEEDBACKWIDGET_ADMIN_MAX_FAILED_LOGINS=3)
    make_admin("ann@shop.example")
    client = app.test_client()
    for _ in range(3):
        assert admin_login(client, "ann@shop.example", password="guess guess").status_code == 401
    refused = admin_login(client, "ann@shop.example")  # even the right password, from this network, for now
    assert refused.status_code == 429
    assert "Too many failed logins from your network. Try again in 15 minutes." in refused.text
    assert 840 < int(refused.headers["Retry-After"]) <= 900
    assert admin_login(client, "bob@shop.example").status_code == 429


def test_login_without_a_csrf_token_is_refused(client: FlaskClient, make_admin: Any) -> None:
    make_admin("ann@shop.example")
    response = client.post("/feedback/admin/login", data={"email": "ann@shop.example", "password": ADMIN_PASSWORD})
    assert response.status_code == 400
    assert "The form has expired, or it was not sent from this site" in response.text
    assert "fw_admin_session" not in response.headers.get("Set-Cookie", "")


def test_logout_ends_the_session_for_good(logged_in: Callable[..., FlaskClient], db: Session) -> None:
    client = logged_in("owner")
    assert client.get(DASHBOARD).status_code == 200
    cookie = client.get_cookie("fw_admin_session", path="/feedback/admin")
    assert cookie is not None

    page = client.get(DASHBOARD)
    client.post("/feedback/admin/logout", data={"csrf_token": csrf_token(page.text)})

    assert db.scalar(select(func.count()).select_from(AdminSession)) == 0
    client.set_cookie("fw_admin_session", cookie.value, path="/feedback/admin")  # a stolen copy
    assert client.get(DASHBOARD).status_code == 302


def test_an_idle_session_expires(make_app: Callable[..., Flask], make_admin: Any, db: Session) -> None:
    app = make_app(FEEDBACKWIDGET_ADMIN_IDLE_MINUTES=0)
    make_admin("ann@shop.example")
    client = app.test_client()
    admin_login(client, "ann@shop.example")
    assert client.get(DASHBOARD).status_code == 302
    assert db.scalar(select(func.count()).select_from(AdminSession)) == 0


def test_a_new_login_replaces_the_previous_session(logged_in: Callable[..., FlaskClient], db: Session) -> None:
    client = logged_in("owner")
    before = client.get_cookie("fw_admin_session", path="/feedback/admin")
    assert before is not None
    admin_login(client, "owner-1@shop.example")
    after = client.get_cookie("fw_admin_session", path="/feedback/admin")
    assert after is not None and after.value != before.value
    assert db.scalar(select(func.count()).select_from(AdminSession)) == 1


def test_every_admin_page_sends_a_strict_content_security_policy(logged_in: Callable[..., FlaskClient]) -> None:
    client = logged_in("owner")
    for url in (DASHBOARD, "/feedback/admin/login", "/feedback/admin/responses/999999"):
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_a_response_of_another_site_is_not_found(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    mine, theirs = add_response(db, site, nps_score=9), add_response(db, other, nps_score=2)
    for role in ("viewer", "manager", "owner"):
        client = logged_in(role)
        assert client.get(f"/feedback/admin/responses/{mine.id}").status_code == 200
        assert client.get(f"/feedback/admin/responses/{theirs.id}").status_code == 404
    assert logged_in(None).get(f"/feedback/admin/responses/{theirs.id}").status_code == 200


def test_the_response_link_of_an_alert_mail_goes_through_the_login(
    client: FlaskClient, site: Site, db: Session, make_admin: Any
) -> None:
    make_admin("ann@shop.example", sites=[(site, "viewer")])
    response = add_response(db, site, nps_score=1, comment="Cold coffee")
    url = f"/feedback/admin/responses/{response.id}"
    first = client.get(url)
    assert first.status_code == 302
    login = admin_login(client, "ann@shop.example", next=url)
    assert login.location == url
    assert "Cold coffee" in client.get(url).text


def test_the_dashboard_shows_the_figures_of_the_users_sites_only(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    add_response(db, site, nps_score=10, loyalty_tier="gold", comment="<script>alert(1)</script> great")
    add_response(db, other, nps_score=0)
    client = logged_in("viewer")

    page = client.get(DASHBOARD + "?period=7")

    assert page.status_code == 200
    assert "Test Shop" in page.text and "Other Shop" not in page.text
    assert client.get(f"{DASHBOARD}?site={other.id}").status_code == 404
    assert client.get(f"{DASHBOARD}?site={site.id}&period=90&by=week").status_code == 200


def test_dates_typed_into_the_form_make_a_custom_period(logged_in: Callable[..., FlaskClient]) -> None:
    client = logged_in("viewer")
    page = client.get(DASHBOARD + "?period=30&from=2026-01-01&to=2026-01-31")
    assert "2026-01-01 – 2026-01-31 (UTC), compared with 2025-12-01 – 2025-12-31." in page.text
    wrong = client.get(DASHBOARD + "?period=custom&from=2026-02-01&to=2026-01-01")
    assert "The end date is before the start date" in wrong.text
