"""Every endpoint has a body limit: 413 at once for a body declared too large, nothing of it read."""

from __future__ import annotations

import io
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from feedbackwidget import FeedbackWidget
from feedbackwidget.web.api.openapi import DOCUMENT_PATH
from feedbackwidget.core.models import Site

from .conftest import ADMIN_LOGIN_URL, SHOP_ORIGIN

FORTY_MB = 40 * 1024 * 1024
FORM = "application/x-www-form-urlencoded"


class Endless(io.RawIOBase):
    """A 40 MB request body made up as it is read, counting what the server reads of it."""

    def __init__(self) -> None:
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), FORTY_MB - self.bytes_read)
        buffer[:size] = b"a" * size
        self.bytes_read += size
        return size


def send(client: FlaskClient, method: str, url: str, content_type: str, body: Endless, *, declared: bool = True,
         **headers: str) -> Any:
    environ: dict[str, Any] = {"CONTENT_LENGTH": str(FORTY_MB)} if declared else {
        "CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}
    return client.open(url, method=method, content_type=content_type, headers=headers,
                       environ_overrides={**environ, "wsgi.input": body})


def assert_described(method: str, url: str, response: Any) -> None:
    """The answer is one the OpenAPI document describes for this operation."""
    document = json.loads(DOCUMENT_PATH.read_text())
    operation = document["paths"][url.removeprefix("/feedback/api")][method.lower()]
    assert str(response.status_code) in operation["responses"]
    jsonschema.validate(response.json, document["components"]["schemas"]["Error"])


def pages(site: Site) -> list[tuple[str, str]]:
    return [(f"/feedback/s/{site.key}/nps", FORM), (f"/feedback/complaint/{site.key}", FORM),
            (ADMIN_LOGIN_URL, FORM)]


def api(site: Site) -> list[tuple[str, str, str]]:
    return [("POST", f"/feedback/api/v1/sites/{site.key}/responses", "application/json"),
            ("POST", f"/feedback/api/v1/sites/{site.key}/complaints", "application/json"),
            ("GET", f"/feedback/api/v1/sites/{site.key}/config", "application/json")]


def test_forty_megabytes_to_a_page_get_a_413_page_without_being_read(client: FlaskClient, site: Site) -> None:
    for url, content_type in pages(site):
        body = Endless()
        response = send(client, "POST", url, content_type, body, **{"Accept-Language": "hu"})

        assert response.status_code == 413, url
        assert "Túl sok" in response.get_data(as_text=True) and response.mimetype == "text/html"
        assert body.bytes_read == 0, url


def test_forty_megabytes_to_the_api_get_a_json_413_without_being_read(client: FlaskClient, site: Site) -> None:
    for method, url, content_type in api(site):
        body = Endless()
        response = send(client, method, url, content_type, body, Origin=SHOP_ORIGIN)

        assert response.status_code == 413, url
        assert response.json["code"] == "payload_too_large"
        assert_described(method, url.replace(site.key, "{site_key}"), response)
        assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
        assert body.bytes_read == 0, url


@pytest.mark.parametrize("kind", ["page", "api"])
def test_a_chunked_body_is_read_no_further_than_the_limit(
    make_app: Callable[..., Flask], site: Site, kind: str
) -> None:
    client = make_app(FEEDBACKWIDGET_MAX_BODY_BYTES=8192, FEEDBACKWIDGET_MAX_FORM_BYTES=16384).test_client()
    url, content_type, limit = ((f"/feedback/complaint/{site.key}", FORM, 16384) if kind == "page" else
                                (f"/feedback/api/v1/sites/{site.key}/responses", "application/json", 8192))
    body = Endless()

    response = send(client, "POST", url, content_type, body, declared=False, Origin=SHOP_ORIGIN)

    assert response.status_code == 413
    assert body.bytes_read <= limit + 1
    if kind == "api":
        assert response.json["code"] == "payload_too_large"


def test_a_body_within_the_limit_still_works(client: FlaskClient, site: Site) -> None:
    response = client.post(f"/feedback/api/v1/sites/{site.key}/responses",
                           json={"survey": "nps", "answers": {"score": 9, "reason": "x" * 1900}})
    assert response.status_code == 201


def test_the_hosts_own_body_limit_is_left_alone(tmp_path: Path) -> None:
    app = Flask("shop", instance_path=str(tmp_path / "instance"))
    app.config.update(SECRET_KEY=secrets.token_urlsafe(32),
                      FEEDBACKWIDGET_DATABASE_URL=f"sqlite:///{tmp_path / 'shop.sqlite'}")

    @app.post("/upload")
    def upload() -> str:
        from flask import request

        return str(len(request.get_data()))

    FeedbackWidget(app)
    big = b"x" * (2 * 1024 * 1024)

    assert app.config.get("MAX_CONTENT_LENGTH") is None
    assert app.test_client().post("/upload", data=big).get_data(as_text=True) == str(len(big))
