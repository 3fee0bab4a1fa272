"""The widget's scripts and the site config are served as a CDN serves assets: precompressed
(brotli, gzip) by Accept-Encoding, with Vary, cacheable by shared caches, revalidated by ETag."""

from __future__ import annotations

import gzip
import json

import brotli
import pytest
from flask.testing import FlaskClient

from feedbackwidget.core.models import Site

from .conftest import SHOP_ORIGIN

FIRST_PAINT_LIMIT = int(6.5 * 1024)


def decoded(response: object) -> bytes:
    body: bytes = response.get_data()  # type: ignore[attr-defined]
    encoding = response.headers.get("Content-Encoding")  # type: ignore[attr-defined]
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip" else body


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip, deflate", "gzip"),
                                                  ("gzip;q=1, br;q=0.5", "gzip"), ("", None),
                                                  ("identity", None), ("br;q=0, gzip;q=0", None)])
def test_the_script_comes_in_the_best_encoding_the_browser_accepts(
    client: FlaskClient, accept: str, encoding: str | None
) -> None:
    plain = client.get("/feedback/widget.js").get_data()
    response = client.get("/feedback/widget.js", headers={"Accept-Encoding": accept})

    assert response.headers.get("Content-Encoding") == encoding
    assert decoded(response) == plain
    assert "Accept-Encoding" in response.headers["Vary"]
    if encoding:
        assert len(response.get_data()) < len(plain) / 2


def test_each_representation_has_its_own_etag_and_is_revalidated(client: FlaskClient) -> None:
    tags = {accept: client.get("/feedback/widget.js", headers={"Accept-Encoding": accept}).headers["ETag"]
            for accept in ("br", "gzip", "")}
    again = client.get("/feedback/widget.js", headers={"Accept-Encoding": "br", "If-None-Match": tags["br"]})
    stale = client.get("/feedback/widget.js", headers={"Accept-Encoding": "br", "If-None-Match": tags["gzip"]})

    assert len(set(tags.values())) == 3
    assert again.status_code == 304 and again.get_data() == b""
    assert stale.status_code == 200


def test_shared_caches_may_keep_the_script(client: FlaskClient) -> None:
    short = client.get("/feedback/widget.js").headers["Cache-Control"]
    version = client.get("/feedback/widget.js").headers["ETag"].strip('"')
    versioned = client.get(f"/feedback/widget.{version}.js").headers["Cache-Control"]

    assert {"public", "max-age=300", "s-maxage=300"} <= set(short.replace(" ", "").split(","))
    assert "immutable" in versioned and "s-maxage=31536000" in versioned


def config_url(site: Site, locale: str = "hu") -> str:
    return f"/feedback/api/v1/sites/{site.key}/config?locale={locale}"


def test_the_site_config_is_compressed_and_revalidated(client: FlaskClient, site: Site) -> None:
    headers = {"Origin": SHOP_ORIGIN}
    plain = client.get(config_url(site), headers=headers)
    compressed = client.get(config_url(site), headers={**headers, "Accept-Encoding": "gzip, br"})
    again = client.get(config_url(site), headers={**headers, "Accept-Encoding": "gzip, br",
                                                   "If-None-Match": compressed.headers["ETag"]})

    assert compressed.headers["Content-Encoding"] == "br"
    assert json.loads(decoded(compressed)) == plain.get_json()
    assert plain.get_json()["locale"] == "hu"
    assert "s-maxage=60" in compressed.headers["Cache-Control"]
    assert again.status_code == 304


def test_a_changed_site_gets_a_new_config_body(client: FlaskClient, site: Site, db: object, app: object) -> None:
    from feedbackwidget import get_state

    before = client.get(config_url(site, "en"), headers={"Accept-Encoding": "br"})
    site.name = "Renamed Shop"
    db.commit()  # type: ignore[attr-defined]
    get_state(app).sites.invalidate(site.key)  # type: ignore[arg-type]
    after = client.get(config_url(site, "en"), headers={"Accept-Encoding": "br"})

    assert json.loads(decoded(after))["site"]["name"] == "Renamed Shop"
    assert after.headers["ETag"] != before.headers["ETag"]


def test_the_first_paint_fits_in_six_and_a_half_kilobytes(client: FlaskClient, site: Site) -> None:
    """What a visitor downloads before the Feedback button shows: the script and the config, as sent."""
    for locale in ("en", "hu", "zh"):
        script = client.get("/feedback/widget.js", headers={"Accept-Encoding": "br, gzip"})
        config = client.get(config_url(site, locale), headers={"Accept-Encoding": "br, gzip"})
        assert len(script.get_data()) + len(config.get_data()) <= FIRST_PAINT_LIMIT, locale
