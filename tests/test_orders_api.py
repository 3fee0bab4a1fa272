"""The orders endpoint: a shop's server reports order events with its API secret."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site
from feedbackwidget.orders.credentials import new_api_secret
from feedbackwidget.orders.models import StoredOrderEvent

from .conftest import SHOP_ORIGIN


def make_secret(app: Flask, site: Site) -> str:
    with app.app_context():
        session = get_state(app).session()
        secret = new_api_secret(session, site.id, created_by="test")
        session.commit()
    return secret


def order_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_id": "1001", "event": "paid", "occurred_at": "2026-11-30T14:03:00+01:00",
        "customer": {"id": "C7", "email": "anna@example.com", "name": "Kovács Anna", "language": "hu-HU",
                     "loyalty_tier": "gold"},
        "channel": "web", "marketing_consent": True,
    }
    body.update(changes)
    return body


def post_order(client: FlaskClient, site: Site, body: Any, secret: str | None, **headers: str) -> Any:
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return client.post(f"/feedback/api/v1/sites/{site.key}/orders", data=json.dumps(body),
                       content_type="application/json", headers=headers)


def stored(db: Session) -> list[StoredOrderEvent]:
    return list(db.scalars(select(StoredOrderEvent).order_by(StoredOrderEvent.id)))


def test_an_order_event_is_stored_with_its_customer(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    response = post_order(client, site, order_body(), make_secret(app, site))

    assert response.status_code == 201, response.json
    assert response.json["duplicate"] is False
    assert response.json["occurred_at"] == "2026-11-30T13:03:00+00:00"
    [event] = stored(db)
    assert (event.order_id, event.event, event.source) == ("1001", "paid", "api")
    assert (event.customer_email, event.customer_name, event.customer_language) == (
        "anna@example.com", "Kovács Anna", "hu-HU")
    assert (event.customer_id, event.loyalty_tier, event.channel, event.marketing_consent) == ("C7", "gold", "web", True)


def test_the_same_order_and_event_again_answers_200_with_the_stored_one(
    app: Flask, client: FlaskClient, site: Site, db: Session
) -> None:
    secret = make_secret(app, site)
    first = post_order(client, site, order_body(), secret)
    again = post_order(client, site, order_body(occurred_at="2026-12-01T09:00:00Z"), secret)
    fulfilled = post_order(client, site, order_body(event="fulfilled"), secret)

    assert (first.status_code, again.status_code, fulfilled.status_code) == (201, 200, 201)
    assert again.json["id"] == first.json["id"]
    assert again.json["duplicate"] is True
    assert again.json["occurred_at"] == first.json["occurred_at"]
    assert [e.event for e in stored(db)] == ["paid", "fulfilled"]


def test_without_the_secret_nothing_is_stored(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    secret = make_secret(app, site)
    attempts = [
        post_order(client, site, order_body(), None),
        post_order(client, site, order_body(), secret + "x"),
        post_order(client, site, order_body(), site.key),  # the public site key is no secret
        post_order(client, site, order_body(), None, Authorization=f"Basic {secret}"),
    ]

    for response in attempts:
        assert response.status_code == 401
        assert response.json["code"] == "unauthorized"
        assert "api-secret" in response.json["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(db) == []


def test_a_site_without_a_secret_refuses_every_request(client: FlaskClient, site: Site, db: Session) -> None:
    response = post_order(client, site, order_body(), "")
    assert response.status_code == 401
    assert stored(db) == []


def test_a_new_secret_makes_the_previous_one_stop_working(app: Flask, client: FlaskClient, site: Site) -> None:
    old = make_secret(app, site)
    new = make_secret(app, site)

    assert post_order(client, site, order_body(), old).status_code == 401
    assert post_order(client, site, order_body(), new).status_code == 201


def test_only_the_hash_of_the_secret_is_stored(app: Flask, site: Site, db: Session) -> None:
    secret = make_secret(app, site)
    rows = db.execute(select(StoredOrderEvent.__table__.metadata.tables["fw_order_api_secrets"])).all()
    assert len(rows) == 1
    assert secret not in repr(rows[0])
    assert rows[0].prefix == secret[:8]


def test_invalid_fields_are_each_named(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    body = order_body(event="shipped", occurred_at="2026-11-30 14:03", extra=1,
                      customer={"email": "not an address", "language": "hu hu", "age": 3})
    response = post_order(client, site, body, make_secret(app, site))

    assert response.status_code == 422
    assert response.json["code"] == "invalid_request"
    assert set(response.json["fields"]) == {"event", "occurred_at", "extra", "customer.email", "customer.language",
                                            "customer.age"}
    assert "placed, paid, fulfilled, delivered, cancelled, refunded" in response.json["fields"]["event"]
    assert "name@example.com" in response.json["fields"]["customer.email"]
    assert stored(db) == []


def test_a_time_without_offset_or_far_ahead_is_refused(app: Flask, client: FlaskClient, site: Site) -> None:
    secret = make_secret(app, site)
    for moment in ("2026-11-30T14:03:00", "2999-01-01T00:00:00Z", "2026-02-30T10:00:00Z"):
        response = post_order(client, site, order_body(occurred_at=moment), secret)
        assert response.status_code == 422, moment
        assert "occurred_at" in response.json["fields"]


def test_only_order_id_event_and_time_are_required(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    body = {"order_id": "R-77", "event": "placed", "occurred_at": "2026-11-30T08:00:00Z"}
    response = post_order(client, site, body, make_secret(app, site))
    assert response.status_code == 201
    [event] = stored(db)
    assert (event.customer_email, event.marketing_consent) == (None, None)


def test_malformed_json_and_unknown_sites_get_json_errors(app: Flask, client: FlaskClient, site: Site) -> None:
    secret = make_secret(app, site)
    broken = client.post(f"/feedback/api/v1/sites/{site.key}/orders", data="{", content_type="application/json",
                         headers={"Authorization": f"Bearer {secret}"})
    unknown = client.post("/feedback/api/v1/sites/site_nope/orders", json=order_body(),
                          headers={"Authorization": f"Bearer {secret}"})
    wrong_method = client.get(f"/feedback/api/v1/sites/{site.key}/orders")

    assert (broken.status_code, broken.json["code"]) == (400, "invalid_json")
    assert (unknown.status_code, unknown.json["code"]) == (404, "unknown_site")
    assert wrong_method.status_code == 405


def test_no_browser_may_call_it_no_cors_headers(app: Flask, client: FlaskClient, site: Site) -> None:
    secret = make_secret(app, site)
    response = post_order(client, site, order_body(), secret, Origin=SHOP_ORIGIN)
    preflight = client.options(f"/feedback/api/v1/sites/{site.key}/orders",
                               headers={"Origin": SHOP_ORIGIN, "Access-Control-Request-Method": "POST"})

    assert response.status_code == 201
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_the_endpoint_is_described_in_the_openapi_document(app: Flask, client: FlaskClient, site: Site) -> None:
    import jsonschema

    document = client.get("/feedback/api/v1/openapi.json").json
    operation = document["paths"]["/v1/sites/{site_key}/orders"]["post"]
    schemas = {**document["components"]["schemas"]}
    created = post_order(client, site, order_body(), make_secret(app, site))

    assert operation["operationId"] == "submitOrderEvent"
    assert operation["security"] == [{"apiSecret": []}]
    assert set(operation["responses"]) >= {"200", "201", "401", "422"}
    jsonschema.validate(order_body(), {**schemas["OrderEventSubmission"], "components": document["components"]})
    jsonschema.validate(created.json, schemas["OrderEventStored"])


def test_concurrent_twins_store_one_event(app: Flask, site: Site, db: Session) -> None:
    import threading

    secret = make_secret(app, site)
    start = threading.Barrier(6)
    statuses: list[int] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(post_order(client, site, order_body(), secret).status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 200, 200, 200, 200, 201]
    assert len(stored(db)) == 1
