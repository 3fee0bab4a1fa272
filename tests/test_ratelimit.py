"""Rate limits of the public endpoints: per client IP and site, per site, shared through Redis."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site
from feedbackwidget.web.ratelimit import client_ip, hit, limiter_state, parse_limits

from .smtp import free_port

BODY = {"survey": "nps", "answers": {"score": 9}}


def submit(client: FlaskClient, site: Site, ip: str = "203.0.113.9", **headers: str) -> Any:
    return client.post(
        f"/feedback/api/v1/sites/{site.key}/responses", json=BODY,
        headers={"Idempotency-Key": uuid.uuid4().hex, **headers}, environ_base={"REMOTE_ADDR": ip},
    )


def stored(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Response)) or 0


def redis_url() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        return None


def test_hits_over_the_limit_get_the_seconds_to_wait(app: Flask) -> None:
    results = [hit(app, "status", "203.0.113.9", "3/minute") for _ in range(4)]

    assert results[:3] == [None, None, None]
    assert results[3] is not None and 1 <= results[3] <= 60 and results[3].seconds == int(results[3])
    assert hit(app, "status", "198.51.100.1", "3/minute") is None
    assert hit(app, "other-scope", "203.0.113.9", "3/minute") is None


def test_each_app_counts_on_its_own(make_app: Callable[..., Flask]) -> None:
    first, second = make_app(), make_app()
    assert hit(first, "scope", "k", "1/minute") is None
    assert hit(first, "scope", "k", "1/minute") is not None
    assert hit(second, "scope", "k", "1/minute") is None


def test_a_malformed_limit_says_how_to_write_it() -> None:
    with pytest.raises(ValueError, match="10/minute"):
        parse_limits("ten per minute")


def test_a_client_over_its_limit_gets_429_json_and_nothing_is_stored(
    make_app: Callable[..., Flask], site: Site, db: Session
) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="2/minute").test_client()

    statuses = [submit(client, site).status_code for _ in range(3)]
    refused = submit(client, site, Origin="https://shop.example")

    assert statuses == [201, 201, 429]
    assert refused.status_code == 429
    assert refused.json["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60 and refused.json["retry_after"] >= 1
    assert refused.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert stored(db) == 2
    assert submit(client, site, ip="198.51.100.7").status_code == 201


def test_a_forged_forwarded_for_does_not_buy_a_new_limit(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="1/minute").test_client()

    assert submit(client, site, **{"X-Forwarded-For": "192.0.2.1"}).status_code == 201
    assert submit(client, site, **{"X-Forwarded-For": "192.0.2.2"}).status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    make_app: Callable[..., Flask], site: Site
) -> None:
    client = make_app(
        FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="1/minute", FEEDBACKWIDGET_TRUSTED_PROXIES=1
    ).test_client()
    proxy = "10.0.0.2"

    assert submit(client, site, ip=proxy, **{"X-Forwarded-For": "192.0.2.1"}).status_code == 201
    assert submit(client, site, ip=proxy, **{"X-Forwarded-For": "192.0.2.2"}).status_code == 201
    # The client prepends a made-up address; the proxy appends the real one, which is what counts.
    forged = submit(client, site, ip=proxy, **{"X-Forwarded-For": "198.51.100.99, 192.0.2.1"})
    assert forged.status_code == 429


def test_client_ip_follows_proxyfix() -> None:
    environ = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.1, 10.0.0.1"}
    assert client_ip(environ, 0) == "10.0.0.2"
    assert client_ip(environ, 1) == "10.0.0.1"
    assert client_ip(environ, 2) == "192.0.2.1"
    assert client_ip(environ, 4) == "10.0.0.2"
    assert client_ip({"REMOTE_ADDR": "10.0.0.2"}, 1) == "10.0.0.2"


def test_a_site_has_an_aggregate_cap_over_all_clients(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE="3/minute").test_client()

    statuses = [submit(client, site, ip=f"192.0.2.{n}").status_code for n in range(1, 5)]

    assert statuses == [201, 201, 201, 429]


def test_the_site_config_is_limited_too(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_READ_PER_CLIENT="2/minute").test_client()
    url = f"/feedback/api/v1/sites/{site.key}/config"

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_probing_random_site_keys_shares_one_limit(make_app: Callable[..., Flask]) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="2/minute").test_client()

    statuses = [client.post(f"/feedback/api/v1/sites/site_nope{n}/responses", json=BODY).status_code for n in range(3)]

    assert statuses == [404, 404, 429]


def test_the_client_ip_is_never_a_storage_key(app: Flask, client: FlaskClient, site: Site) -> None:
    submit(client, site, ip="203.0.113.77")

    storage = limiter_state(app).limiter().storage
    keys = " ".join(str(key) for key in vars(storage).get("storage", {}))
    assert keys and "203.0.113.77" not in keys


def test_limits_can_be_switched_off(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="1/minute", FEEDBACKWIDGET_RATELIMIT_ENABLED=False
                      ).test_client()
    assert [submit(client, site).status_code for _ in range(2)] == [201, 201]


def test_when_redis_is_down_submissions_still_work_with_a_warning(
    make_app: Callable[..., Flask], site: Site, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_app(
        FEEDBACKWIDGET_RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{free_port()}/0",
        FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="1/minute",
    ).test_client()

    with caplog.at_level(logging.WARNING, logger="feedbackwidget.web.ratelimit"):
        statuses = [submit(client, site).status_code for _ in range(3)]

    assert statuses == [201, 201, 201]
    assert stored(db) == 3
    assert "limits are NOT enforced" in caplog.text


def test_two_hosts_share_their_limits_through_redis(make_app: Callable[..., Flask], site: Site) -> None:
    url = redis_url()
    if url is None:
        pytest.fail("Redis is not running on 127.0.0.1:6379: start it (redis-server --port 6379)")
    settings = {"FEEDBACKWIDGET_RATELIMIT_STORAGE_URL": url, "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT": "2/minute",
                "FEEDBACKWIDGET_SECRET_KEY": f"shared-{uuid.uuid4().hex}"}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()

    statuses = [submit(first, site).status_code, submit(second, site).status_code, submit(first, site).status_code]

    assert statuses == [201, 201, 429]
