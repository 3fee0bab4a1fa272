"""CORS and methods of the public API: exact origins, preflights, an honest Allow header."""

from __future__ import annotations

from flask.testing import FlaskClient

from feedbackwidget.core.models import Site

from .conftest import SHOP_ORIGIN


def test_a_preflight_from_the_shop_is_allowed_exactly(client: FlaskClient, site: Site) -> None:
    response = client.options(f"/feedback/api/v1/sites/{site.key}/responses", headers={
        "Origin": SHOP_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, idempotency-key"})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_another_origin_gets_no_cors_headers(client: FlaskClient, site: Site) -> None:
    response = client.options(f"/feedback/api/v1/sites/{site.key}/responses",
                              headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_allow_lists_only_the_methods_of_the_path(client: FlaskClient, site: Site) -> None:
    submit = client.options(f"/feedback/api/v1/sites/{site.key}/responses")
    config = client.options(f"/feedback/api/v1/sites/{site.key}/config")
    wrong = client.delete(f"/feedback/api/v1/sites/{site.key}/responses")

    assert submit.headers["Allow"] == "POST, OPTIONS"
    assert config.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert wrong.status_code == 405 and wrong.json["code"] == "method_not_allowed"
    assert wrong.headers["Allow"] == "POST, OPTIONS"


def test_an_unknown_api_path_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/feedback/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["code"] == "not_found"


def test_child_blueprints_of_the_api_get_its_json_errors_and_cors(client: FlaskClient, site: Site) -> None:
    url = f"/feedback/api/v1/sites/{site.key}/complaints"  # the complaints API is a child of the api blueprint
    wrong_method = client.delete(url, headers={"Origin": SHOP_ORIGIN})
    preflight = client.options(url, headers={"Origin": SHOP_ORIGIN, "Access-Control-Request-Method": "POST"})

    assert wrong_method.status_code == 405 and wrong_method.json["code"] == "method_not_allowed"
    assert preflight.headers["Allow"] == "POST, OPTIONS"
    assert preflight.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
