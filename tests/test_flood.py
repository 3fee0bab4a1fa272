"""A flood from many addresses: the site cap refuses it, people from the site's own pages still get in."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site
from feedbackwidget.web.ratelimit import client_key

from .conftest import SHOP_ORIGIN
from .test_body_limit import assert_described
from .test_complaints_api import complaint_body
from .test_ratelimit import BODY, redis_url, stored, submit

ATTACKERS = [f"198.51.{n // 250}.{n % 250 + 1}" for n in range(100)]
PERSON = {"hp": "", "elapsed_ms": 4200}
FLOOD_LIMITS = {"FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT": "3/minute",
                "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": "60/minute",
                "FEEDBACKWIDGET_RATELIMIT_FLOOD_PER_CLIENT": "1/hour"}


@pytest.fixture(params=["memory", "redis"])
def flood_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Flask:
    """An app with small limits, counting in memory or in Redis (as several hosts would)."""
    storage = "memory://" if request.param == "memory" else redis_url()
    if storage is None:
        pytest.fail("Redis is not running on 127.0.0.1:6379: start it (redis-server --port 6379)")
    return make_app(FEEDBACKWIDGET_RATELIMIT_STORAGE_URL=storage,
                    FEEDBACKWIDGET_SECRET_KEY=f"flood-{uuid.uuid4().hex}", **FLOOD_LIMITS)


def post(client: FlaskClient, site: Site, ip: str, body: dict[str, Any] | None = None, **headers: str) -> int:
    response = client.post(f"/feedback/api/v1/sites/{site.key}/responses", json=body or BODY,
                           headers={"Idempotency-Key": uuid.uuid4().hex, **headers}, environ_base={"REMOTE_ADDR": ip})
    return response.status_code


def visitor(client: FlaskClient, site: Site, ip: str = "203.0.113.50") -> int:
    """A person answering the widget on the shop's page."""
    return post(client, site, ip, {**BODY, **PERSON}, Origin=SHOP_ORIGIN)


def test_a_hundred_attacking_addresses_do_not_shut_out_a_visitor(flood_app: Flask, site: Site, db: Session) -> None:
    client = flood_app.test_client()

    flood = [post(client, site, ip) for ip in ATTACKERS for _ in range(3)]

    assert flood.count(201) == 60 and flood.count(429) == 240
    assert visitor(client, site) == 201
    assert [visitor(client, site, ip=f"203.0.113.{n}") for n in range(60, 70)] == [201] * 10
    assert stored(db) == 71


def test_a_flood_that_forges_a_persons_signs_gets_one_each_then_429(flood_app: Flask, site: Site, db: Session) -> None:
    client = flood_app.test_client()

    flood = [post(client, site, ip, {**BODY, **PERSON}, Origin=SHOP_ORIGIN) for ip in ATTACKERS for _ in range(3)]

    # 20 addresses fill the cap (3 each); while it is exceeded, every other address gets the flood quota: 1.
    assert flood.count(201) == 60 + 80 and flood.count(429) == 160
    assert visitor(client, site) == 201
    assert stored(db) == 141


def test_junk_the_spam_checks_refuse_does_not_fill_the_cap(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(**{**FLOOD_LIMITS, "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": "5/minute"}).test_client()

    junk = [post(client, site, ip, {**BODY, "hp": "http://pills.example"}) for ip in ATTACKERS[:20]]

    assert junk == [422] * 20
    assert [post(client, site, ip) for ip in ATTACKERS[20:26]] == [201] * 5 + [429]


def test_a_shop_back_end_is_held_to_the_site_cap(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(**{**FLOOD_LIMITS, "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": "2/minute"}).test_client()

    assert [post(client, site, ip) for ip in ATTACKERS[:2]] == [201, 201]
    refused = client.post(f"/feedback/api/v1/sites/{site.key}/responses", json=BODY,
                          environ_base={"REMOTE_ADDR": ATTACKERS[2]})
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert_described("POST", "/feedback/api/v1/sites/{site_key}/responses", refused)
    # A post that claims the shop's origin but lacks the widget's honeypot and fill time is no person's.
    assert post(client, site, ATTACKERS[3], Origin=SHOP_ORIGIN) == 429
    assert visitor(client, site) == 201


def test_complaints_from_a_flood_do_not_shut_out_a_customer(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(**{**FLOOD_LIMITS, "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": "3/minute"}).test_client()
    url = f"/feedback/api/v1/sites/{site.key}/complaints"

    def complain(ip: str, extra: dict[str, Any], **headers: str) -> int:
        return client.post(url, json=complaint_body(**extra), environ_base={"REMOTE_ADDR": ip}, headers=headers
                           ).status_code

    assert [complain(ip, {}) for ip in ATTACKERS[:5]] == [201, 201, 201, 429, 429]
    assert complain("203.0.113.50", PERSON, Origin=SHOP_ORIGIN) == 201


def test_the_site_config_stays_readable_for_the_sites_pages(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_READ_PER_SITE="5/minute").test_client()
    url = f"/feedback/api/v1/sites/{site.key}/config"

    reads = [client.get(url, environ_base={"REMOTE_ADDR": ip}).status_code for ip in ATTACKERS[:8]]

    assert reads == [200] * 5 + [429] * 3
    assert client.get(url, headers={"Origin": SHOP_ORIGIN}, environ_base={"REMOTE_ADDR": "203.0.113.50"}
                      ).status_code == 200


HIDDEN = re.compile(r'name="(csrf_token|rendered|submission_id)" type="hidden" value="([^"]*)"')


def test_a_flood_of_the_hosted_form_does_not_shut_out_a_customer(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(**{**FLOOD_LIMITS, "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": "5/minute"}).test_client()
    url = f"/feedback/s/{site.key}/nps"

    flood = [client.post(url, data={"q_score": "1"}, environ_base={"REMOTE_ADDR": ip}).status_code
             for ip in ATTACKERS[:10]]
    page = client.get(url, environ_base={"REMOTE_ADDR": "203.0.113.50"}).get_data(as_text=True)
    answered = client.post(url, data={**dict(HIDDEN.findall(page)), "q_score": "9"},
                           headers={"Origin": "http://localhost"}, environ_base={"REMOTE_ADDR": "203.0.113.50"})

    assert flood.count(429) == 5
    assert answered.status_code == 302 and "/thanks" in answered.headers["Location"]


def test_addresses_of_one_ipv6_64_share_a_limit(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="2/minute").test_client()

    same_64 = [submit(client, site, ip=f"2001:db8:1:2:{n:x}::9").status_code for n in range(1, 4)]

    assert same_64 == [201, 201, 429]
    assert submit(client, site, ip="2001:db8:1:3::9").status_code == 201
    assert [submit(client, site, ip=ip).status_code for ip in ("192.0.2.7", "::ffff:192.0.2.7", "192.0.2.7")] == [
        201, 201, 429]


@pytest.mark.parametrize(("address", "key"), [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("fe80::1%eth0", "fe80::/64"),
    ("unknown", "unknown"),
])
def test_client_key_groups_ipv6_by_64(address: str, key: str) -> None:
    assert client_key(address) == key


def test_refusals_do_not_extend_the_wait(make_app: Callable[..., Flask], site: Site) -> None:
    client = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="2/minute;3/hour").test_client()

    statuses = [submit(client, site).status_code for _ in range(2)]
    refused = [submit(client, site) for _ in range(6)]

    assert statuses == [201, 201]
    assert [r.status_code for r in refused] == [429] * 6
    assert max(int(r.headers["Retry-After"]) for r in refused) <= 60
