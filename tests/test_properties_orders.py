"""Property-based tests (hypothesis) of the orders endpoint and the platforms' webhooks, like the rest of the API.

Whatever a shop's server (or a platform, correctly signed) sends, the answer is one the OpenAPI document
lists for the endpoint, JSON with a stable ``code`` when it is an error, never a 500; an event is stored
only when the answer says so, and what the endpoint accepts is what the document describes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site
from feedbackwidget.orders.credentials import set_platform_secret
from feedbackwidget.orders.models import StoredOrderEvent

from .test_orders_api import make_secret, order_body, post_order
from .test_orders_hooks import platform_sign, shopify_order, woo_order

FIXTURES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What JSON can carry (json.dumps would write Infinity, which is no JSON: the raw bodies' test covers those).
json_scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=60))
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
order_fields = st.sampled_from(["order_id", "event", "occurred_at", "customer", "channel", "marketing_consent",
                                "extra"])
customer_fields = st.sampled_from(["id", "email", "name", "language", "loyalty_tier", "extra"])
platform_fields = st.sampled_from(["id", "email", "contact_email", "customer", "customer_locale", "updated_at",
                                   "processed_at", "created_at", "cancelled_at", "fulfillments", "source_name",
                                   "buyer_accepts_marketing", "status", "billing", "customer_id", "date_paid_gmt",
                                   "date_modified_gmt", "date_created_gmt", "date_completed_gmt", "created_via"])


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Many requests from one client: rate limits have their own tests."""
    return make_app(FEEDBACKWIDGET_RATELIMIT_ENABLED=False)


@pytest.fixture
def secret(app: Flask, site: Site) -> str:
    return make_secret(app, site)


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    body = client.get("/feedback/api/v1/openapi.json").json
    assert isinstance(body, dict)
    return body


def count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(StoredOrderEvent)) or 0)


def documented(document: dict[str, Any], answer: Any) -> None:
    """The answer is one the document lists for the orders endpoint, in the shape it gives."""
    operation = document["paths"]["/v1/sites/{site_key}/orders"]["post"]
    assert str(answer.status_code) in operation["responses"], answer.text
    assert answer.is_json, answer.text
    if answer.status_code >= 400:
        assert isinstance(answer.json["code"], str) and answer.json["code"] and answer.json["message"]


@FIXTURES
@given(field=order_fields, value=json_values)
def test_the_orders_endpoint_never_answers_500_and_stores_only_what_it_accepts(
        client: FlaskClient, site: Site, db: Session, secret: str, document: dict[str, Any],
        field: str, value: Any) -> None:
    body = {**order_body(order_id=f"fuzz-{count(db)}"), field: value}
    before = count(db)

    answer = post_order(client, site, body, secret)

    documented(document, answer)
    assert answer.status_code in (200, 201, 422), answer.text
    assert count(db) == before + (1 if answer.status_code == 201 else 0)
    if answer.status_code == 201:
        schemas = document["components"]
        jsonschema.validate(body, {**schemas["schemas"]["OrderEventSubmission"], "components": schemas})


@FIXTURES
@given(field=customer_fields, value=json_scalars)
def test_any_customer_field_is_stored_or_named_in_the_error(
        client: FlaskClient, site: Site, db: Session, secret: str, document: dict[str, Any],
        field: str, value: Any) -> None:
    customer = {**order_body()["customer"], field: value}
    answer = post_order(client, site, order_body(customer=customer, order_id=f"cust-{count(db)}"), secret)

    documented(document, answer)
    assert answer.status_code in (201, 422), answer.text
    if answer.status_code == 422:
        assert any(field in name for name in answer.json.get("fields", {})), answer.text


@FIXTURES
@given(raw=st.binary(max_size=200))
def test_any_raw_body_with_the_secret_is_a_documented_answer(
        client: FlaskClient, site: Site, db: Session, secret: str, document: dict[str, Any], raw: bytes) -> None:
    before = count(db)
    answer = client.post(f"/feedback/api/v1/sites/{site.key}/orders", data=raw, content_type="application/json",
                         headers={"Authorization": f"Bearer {secret}"})

    documented(document, answer)
    assert answer.status_code in (400, 422), answer.text
    assert count(db) == before


@FIXTURES
@given(field=platform_fields, value=json_values, platform=st.sampled_from(["shopify", "woocommerce"]))
def test_a_signed_webhook_whatever_its_order_holds_is_stored_or_a_json_422(
        client: FlaskClient, site: Site, db: Session, field: str, value: Any, platform: str,
        hook_secrets: dict[str, str]) -> None:
    order = (shopify_order if platform == "shopify" else woo_order)(**{field: value})
    raw = json.dumps(order).encode()
    headers = ({"X-Shopify-Topic": "orders/paid", "X-Shopify-Hmac-Sha256": platform_sign(hook_secrets[platform], raw)}
               if platform == "shopify" else
               {"X-WC-Webhook-Topic": "order.updated",
                "X-WC-Webhook-Signature": platform_sign(hook_secrets[platform], raw)})
    before = count(db)

    answer = client.post(f"/feedback/hooks/{platform}/{site.key}", data=raw, content_type="application/json",
                         headers=headers)

    body = answer.json
    assert answer.status_code in (200, 422) and isinstance(body, dict), answer.text
    if answer.status_code == 422:
        assert body["code"] == "unusable_order"
    assert count(db) - before == (1 if body.get("stored") else 0)


@pytest.fixture
def hook_secrets(app: Flask, site: Site) -> dict[str, str]:
    secrets = {"shopify": "shpss_fuzz", "woocommerce": "wc-fuzz"}
    with app.app_context():
        session = get_state(app).session()
        for platform, value in secrets.items():
            set_platform_secret(session, site.id, platform, value)
        session.commit()
    return secrets
