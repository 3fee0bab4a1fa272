"""The admin area speaks English, Hungarian and Chinese, without touching the host's Babel."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from feedbackwidget.core.models import Site

DASHBOARD = "/feedback/admin/"


def test_the_browser_language_is_used_until_the_user_picks_one(logged_in: Callable[..., FlaskClient]) -> None:
    client = logged_in("owner")
    assert "Irányítópult" in client.get(DASHBOARD, headers={"Accept-Language": "hu-HU,hu;q=0.9"}).text
    assert "仪表板" in client.get(DASHBOARD, headers={"Accept-Language": "zh-CN"}).text
    assert "<h1>Dashboard</h1>" in client.get(DASHBOARD, headers={"Accept-Language": "de"}).text

    client.get(DASHBOARD + "?lang=zh")  # remembered on the account

    page = client.get(DASHBOARD, headers={"Accept-Language": "hu"})
    assert 'lang="zh"' in page.text and "反馈" in page.text


def test_the_login_page_and_its_error_are_translated(client: FlaskClient) -> None:
    from .conftest import csrf_token

    page = client.get("/feedback/admin/login?lang=hu")
    assert "Bejelentkezés" in page.text
    failed = client.post("/feedback/admin/login", headers={"Accept-Language": "hu"},
                         data={"email": "x@y.example", "password": "wrong one", "csrf_token": csrf_token(page.text)})
    assert "Hibás e-mail-cím vagy jelszó" in failed.text


def test_the_host_app_gets_no_babel_of_ours(logged_in: Callable[..., FlaskClient]) -> None:
    client = logged_in("owner")
    client.get(DASHBOARD + "?lang=hu")
    app = client.application
    assert "babel" not in app.extensions
    assert "_" not in app.jinja_env.globals or app.jinja_env.globals["_"].__module__ != "feedbackwidget.web.admin.locale"


def test_the_options_of_the_admin_forms_are_in_the_admins_language(
    logged_in: Callable[..., FlaskClient], site: Site
) -> None:
    client = logged_in("owner")
    site_page = client.get(f"/feedback/admin/sites/{site.id}?lang=hu").text
    assert '<option value="manager">Kezelő</option>' in site_page
    alerts = client.get(f"/feedback/admin/outbox/sites/{site.id}?lang=hu").text
    assert '<option value="csat_bad">A kiszolgálást rossznak értékelték</option>' in alerts
    assert '<option value="">Minden kérdőív</option>' in alerts
    assert '<option value="daily">Naponta</option>' in alerts
