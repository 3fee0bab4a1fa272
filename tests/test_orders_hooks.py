"""Shopify's and WooCommerce's order webhooks, signed the way each platform documents it:
base64 of HMAC-SHA256 over the raw body with the shop's signing secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site
from feedbackwidget.orders.credentials import set_platform_secret
from feedbackwidget.orders.models import StoredOrderEvent

SHOPIFY_SECRET = "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"
WOO_SECRET = "wc-webhook-secret-&-quote'"


def platform_sign(secret: str, body: bytes) -> str:
    """What both platforms put in their signature header (Shopify's docs: Base64 of the HMAC-SHA256
    digest of the raw body; WooCommerce: base64_encode(hash_hmac('sha256', $payload, $secret, true)))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.fixture
def secrets_set(app: Flask, site: Site) -> None:
    with app.app_context():
        session = get_state(app).session()
        set_platform_secret(session, site.id, "shopify", SHOPIFY_SECRET)
        set_platform_secret(session, site.id, "woocommerce", WOO_SECRET)
        session.commit()


def shopify_order(**changes: Any) -> dict[str, Any]:
    # Fields as in Shopify's REST Order resource (the orders/* webhook payload).
    order: dict[str, Any] = {
        "id": 450789469, "admin_graphql_api_id": "gid://shopify/Order/450789469", "name": "#1001",
        "email": "jon@doe.ca", "contact_email": "jon@doe.ca", "buyer_accepts_marketing": False,
        "created_at": "2026-11-10T11:00:00-05:00", "processed_at": "2026-11-10T11:00:00-05:00",
        "updated_at": "2026-11-10T11:05:00-05:00", "cancelled_at": None, "customer_locale": "hu",
        "financial_status": "paid", "fulfillment_status": None, "source_name": "web", "fulfillments": [],
        "customer": {"id": 207119551, "email": "jon@doe.ca", "first_name": "Jon", "last_name": "Doe",
                     "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in"}},
        "billing_address": {"first_name": "Bob", "last_name": "Norman"},
    }
    order.update(changes)
    return order


def post_shopify(client: FlaskClient, site: Site, order: Any, topic: str = "orders/paid",
                 webhook_id: str = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", secret: str | None = SHOPIFY_SECRET,
                 body: bytes | None = None) -> Any:
    raw = body if body is not None else json.dumps(order).encode()
    headers = {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": webhook_id,
               "X-Shopify-Shop-Domain": "shop.myshopify.com", "X-Shopify-API-Version": "2025-10"}
    if secret is not None:
        headers["X-Shopify-Hmac-Sha256"] = platform_sign(secret, raw)
    return client.post(f"/feedback/hooks/shopify/{site.key}", data=raw, content_type="application/json",
                        headers=headers)


def woo_order(**changes: Any) -> dict[str, Any]:
    # Fields as in WooCommerce's REST API v3 order (the order.* webhook payload).
    order: dict[str, Any] = {
        "id": 727, "number": "727", "status": "processing", "customer_id": 26, "created_via": "checkout",
        "date_created_gmt": "2026-11-22T14:30:00", "date_modified_gmt": "2026-11-22T14:31:00",
        "date_paid_gmt": "2026-11-22T14:30:40", "date_completed_gmt": None,
        "billing": {"first_name": "Anna", "last_name": "Kovács", "email": "anna@example.com"},
    }
    order.update(changes)
    return order


def post_woo(client: FlaskClient, site: Site, order: Any, topic: str = "order.updated",
             secret: str | None = WOO_SECRET) -> Any:
    raw = json.dumps(order).encode()
    headers = {"X-WC-Webhook-Topic": topic, "X-WC-Webhook-Resource": "order", "X-WC-Webhook-Event": "updated",
               "X-WC-Webhook-Source": "https://shop.example/", "X-WC-Webhook-ID": "3",
               "X-WC-Webhook-Delivery-ID": "0a1b2c"}
    if secret is not None:
        headers["X-WC-Webhook-Signature"] = platform_sign(secret, raw)
    return client.post(f"/feedback/hooks/woocommerce/{site.key}", data=raw, content_type="application/json",
                       headers=headers)


def stored(db: Session) -> list[StoredOrderEvent]:
    return list(db.scalars(select(StoredOrderEvent).order_by(StoredOrderEvent.id)))


@pytest.mark.usefixtures("secrets_set")
def test_a_signed_shopify_paid_order_is_stored_with_its_customer(client: FlaskClient, site: Site,
                                                                  db: Session) -> None:
    response = post_shopify(client, site, shopify_order())

    assert response.status_code == 200
    assert response.json["stored"] is True
    [event] = stored(db)
    assert (event.order_id, event.event, event.source, event.channel) == ("#1001", "paid", "shopify", "web")
    assert (event.customer_id, event.customer_email, event.customer_name) == ("207119551", "jon@doe.ca", "Jon Doe")
    assert (event.customer_language, event.marketing_consent) == ("hu", True)
    assert event.occurred_at.isoformat() == "2026-11-10T16:05:00+00:00"
    assert event.delivery_id == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"


@pytest.mark.usefixtures("secrets_set")
def test_shopify_fulfilled_and_cancelled_take_their_own_times(client: FlaskClient, site: Site, db: Session) -> None:
    fulfilled = shopify_order(fulfillments=[{"id": 1, "created_at": "2026-11-12T09:00:00-05:00"}])
    cancelled = shopify_order(cancelled_at="2026-11-13T10:00:00+01:00")
    post_shopify(client, site, fulfilled, topic="orders/fulfilled", webhook_id="w-2")
    post_shopify(client, site, cancelled, topic="orders/cancelled", webhook_id="w-3")

    times = {e.event: e.occurred_at.isoformat() for e in stored(db)}
    assert times == {"fulfilled": "2026-11-12T14:00:00+00:00", "cancelled": "2026-11-13T09:00:00+00:00"}


@pytest.mark.usefixtures("secrets_set")
def test_a_shopify_redelivery_is_stored_once(client: FlaskClient, site: Site, db: Session) -> None:
    first = post_shopify(client, site, shopify_order())
    again = post_shopify(client, site, shopify_order(updated_at="2026-11-10T12:00:00-05:00"))
    same_event_new_delivery = post_shopify(client, site, shopify_order(), webhook_id="another-delivery")

    assert [r.status_code for r in (first, again, same_event_new_delivery)] == [200, 200, 200]
    assert (again.json["duplicate"], same_event_new_delivery.json["duplicate"]) == (True, True)
    assert len(stored(db)) == 1


@pytest.mark.usefixtures("secrets_set")
def test_unsigned_or_wrongly_signed_shopify_webhooks_are_refused(client: FlaskClient, site: Site,
                                                                 db: Session) -> None:
    body = json.dumps(shopify_order()).encode()
    tampered = body.replace(b"jon@doe.ca", b"eve@evil.example")
    forged = {"X-Shopify-Topic": "orders/paid", "X-Shopify-Hmac-Sha256": platform_sign(SHOPIFY_SECRET, body)}
    attempts = [
        post_shopify(client, site, shopify_order(), secret=None),
        post_shopify(client, site, shopify_order(), secret="not-the-secret"),
        client.post(f"/feedback/hooks/shopify/{site.key}", data=tampered, content_type="application/json",
                    headers=forged),
        # The hex digest is not Shopify's scheme.
        client.post(f"/feedback/hooks/shopify/{site.key}", data=body, content_type="application/json",
                    headers={**forged, "X-Shopify-Hmac-Sha256": hmac.new(SHOPIFY_SECRET.encode(), body,
                                                                         hashlib.sha256).hexdigest()}),
    ]

    for response in attempts:
        assert response.status_code == 401
        assert response.json["code"] == "unauthorized"
    assert stored(db) == []


def test_a_site_without_a_signing_secret_refuses_webhooks(client: FlaskClient, site: Site, db: Session) -> None:
    response = post_shopify(client, site, shopify_order(), secret="")

    assert response.status_code == 401
    assert "feedbackwidget hooks secret" in response.json["message"]
    assert stored(db) == []


@pytest.mark.usefixtures("secrets_set")
def test_other_shopify_topics_are_acknowledged_and_not_stored(client: FlaskClient, site: Site, db: Session) -> None:
    response = post_shopify(client, site, shopify_order(), topic="orders/updated")
    assert (response.status_code, response.json["stored"]) == (200, False)
    assert stored(db) == []


@pytest.mark.usefixtures("secrets_set")
def test_a_signed_order_without_an_email_is_still_stored(client: FlaskClient, site: Site, db: Session) -> None:
    pos_order = shopify_order(email=None, contact_email=None, customer=None, source_name="pos",
                              buyer_accepts_marketing=True)
    assert post_shopify(client, site, pos_order).status_code == 200
    [event] = stored(db)
    assert (event.customer_email, event.customer_name, event.channel, event.marketing_consent) == (
        None, "Bob Norman", "pos", True)


@pytest.mark.usefixtures("secrets_set")
def test_a_signed_body_that_is_no_order_gets_a_json_error(client: FlaskClient, site: Site, db: Session) -> None:
    broken = post_shopify(client, site, None, body=b"{not json")
    no_id = post_shopify(client, site, shopify_order(id=None, name=None))

    assert (broken.status_code, broken.json["code"]) == (400, "invalid_json")
    assert (no_id.status_code, no_id.json["code"]) == (422, "unusable_order")
    assert stored(db) == []


@pytest.mark.usefixtures("secrets_set")
@pytest.mark.parametrize(("status", "event", "moment"), [
    ("processing", "paid", "2026-11-22T14:30:40+00:00"),
    ("completed", "fulfilled", "2026-11-23T08:00:00+00:00"),
    ("cancelled", "cancelled", "2026-11-22T14:31:00+00:00"),
    ("refunded", "refunded", "2026-11-22T14:31:00+00:00"),
])
def test_woocommerce_orders_map_by_status(client: FlaskClient, site: Site, db: Session, status: str, event: str,
                                          moment: str) -> None:
    order = woo_order(status=status, date_completed_gmt="2026-11-23T08:00:00" if status == "completed" else None)
    response = post_woo(client, site, order)

    assert (response.status_code, response.json["stored"]) == (200, True)
    [stored_event] = stored(db)
    assert (stored_event.order_id, stored_event.event, stored_event.source) == ("727", event, "woocommerce")
    assert stored_event.occurred_at.isoformat() == moment
    assert (stored_event.customer_id, stored_event.customer_email, stored_event.customer_name) == (
        "26", "anna@example.com", "Anna Kovács")


@pytest.mark.usefixtures("secrets_set")
def test_orders_are_known_by_the_number_the_customer_was_shown(client: FlaskClient, site: Site, db: Session) -> None:
    post_shopify(client, site, shopify_order(name="#SK-1042"), webhook_id="w-1")
    post_shopify(client, site, shopify_order(id=450789470, name=None), webhook_id="w-2")
    post_woo(client, site, woo_order(id=731, number="WC-2026-0042"))  # a sequential-numbers plugin
    post_woo(client, site, woo_order(id=732, number=""))

    assert [event.order_id for event in stored(db)] == ["#SK-1042", "450789470", "WC-2026-0042", "732"]


@pytest.mark.usefixtures("secrets_set")
def test_woocommerce_statuses_of_no_interest_store_nothing(client: FlaskClient, site: Site, db: Session) -> None:
    for status in ("pending", "on-hold", "failed"):
        response = post_woo(client, site, woo_order(status=status), topic="order.created")
        assert (response.status_code, response.json["stored"]) == (200, False)
    assert stored(db) == []


@pytest.mark.usefixtures("secrets_set")
def test_a_repeated_woocommerce_update_is_stored_once_and_guests_have_no_id(client: FlaskClient, site: Site,
                                                                            db: Session) -> None:
    guest = woo_order(customer_id=0)
    post_woo(client, site, guest)
    again = post_woo(client, site, guest)

    assert again.json["duplicate"] is True
    [event] = stored(db)
    assert event.customer_id is None


@pytest.mark.usefixtures("secrets_set")
def test_unsigned_or_wrongly_signed_woocommerce_webhooks_are_refused(client: FlaskClient, site: Site,
                                                                     db: Session) -> None:
    for secret in (None, "wrong"):
        response = post_woo(client, site, woo_order(), secret=secret)
        assert (response.status_code, response.json["code"]) == (401, "unauthorized")
    assert stored(db) == []


def test_woocommerces_ping_on_webhook_creation_gets_200(client: FlaskClient, site: Site, db: Session) -> None:
    # WC_Webhook::deliver_ping(): an unsigned form body "webhook_id=<id>"; anything but 200 fails the save.
    response = client.post(f"/feedback/hooks/woocommerce/{site.key}", data="webhook_id=3",
                           content_type="application/x-www-form-urlencoded")
    unknown_site = client.post("/feedback/hooks/woocommerce/site_nope", data="webhook_id=3",
                               content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert unknown_site.status_code == 404
    assert stored(db) == []
