"""Every page feedbackwidget serves carries the security headers."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from feedbackwidget.core.models import Site


def test_html_pages_get_a_strict_csp_and_are_never_framed(app: Flask, client: FlaskClient) -> None:
    app.test_cli_runner().invoke(args=["feedbackwidget", "demo", "--responses", "0"])
    page = client.get("/feedback/demo")

    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_api_and_script_responses_are_not_sniffed(client: FlaskClient, site: Site) -> None:
    for path in ("/feedback/widget.js", f"/feedback/api/v1/sites/{site.key}/config", "/feedback/api/v1/nope"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert "Content-Security-Policy" not in response.headers or response.mimetype == "text/html"


def test_https_requests_get_hsts(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" in client.get("/feedback/healthz", base_url="https://localhost").headers
    assert "Strict-Transport-Security" not in client.get("/feedback/healthz").headers


def test_the_host_apps_own_pages_are_left_alone(app: Flask) -> None:
    @app.get("/shop-page")
    def shop_page() -> str:
        return "<p>the shop</p>"

    response = app.test_client().get("/shop-page")
    assert "Content-Security-Policy" not in response.headers
