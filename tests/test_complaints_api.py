"""Registering complaints through the public JSON API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.models import Complaint, ComplaintEvent
from feedbackwidget.core.models import OutboxMessage, Site

from .conftest import SHOP_ORIGIN

REFERENCE = re.compile(r"FW-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def complaint_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Kiss Anna",
        "email": "anna@example.com",
        "phone": "+36 30 123 4567",
        "order_number": "A-1001",
        "category": "delivery",
        "description": "The parcel arrived two weeks late and the box was crushed.",
        "desired_resolution": "A refund of the delivery fee.",
        "consent": True,
        "locale": "en",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def post_complaint(client: FlaskClient, site: Site, body: Any, key: str | None = None, **headers: str) -> Any:
    if key:
        headers["Idempotency-Key"] = key
    return client.post(f"/feedback/api/v1/sites/{site.key}/complaints", json=body, headers=headers)


def complaints(db: Session) -> list[Complaint]:
    db.expire_all()
    return list(db.scalars(select(Complaint).order_by(Complaint.id)))


def outbox(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_complaint_gets_a_reference_a_deadline_and_an_acknowledgement(
    client: FlaskClient, site: Site, db: Session
) -> None:
    response = post_complaint(client, site, complaint_body(), key="c-1", Origin=SHOP_ORIGIN)

    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    [complaint] = complaints(db)
    assert REFERENCE.fullmatch(response.json["reference"])
    assert response.json["reference"] == complaint.reference
    assert response.json["status"] == "received"
    assert (complaint.due_at - complaint.received_at).days == 30
    assert (complaint.channel, complaint.category, complaint.order_number) == ("web", "delivery", "A-1001")
    assert complaint.consent_policy_version == "1"
    [ack] = [m for m in outbox(db) if m.recipient == "anna@example.com"]
    assert complaint.reference in ack.subject
    assert complaint.reference in ack.payload["text"]
    link = re.search(r"http://localhost/feedback/complaint/\S+", ack.payload["text"])
    assert link and f"/complaint/{site.key}/status/{complaint.reference}?lang=en&token=" in link.group(0)
    assert "status token" not in ack.payload["text"]


def test_the_status_token_is_stored_only_as_a_hash(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body())
    [complaint] = complaints(db)
    [ack] = outbox(db)[:1]
    token = re.search(r"token=([\w-]+)", ack.payload["text"])
    assert token is not None
    assert token.group(1) not in complaint.status_token_hash
    assert len(complaint.status_token_hash) == 64


def test_the_public_url_setting_is_used_in_links(make_app: Any, site: Site, db: Session) -> None:
    app = make_app(FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example/")
    post_complaint(app.test_client(), site, complaint_body())
    assert "https://feedback.shop.example/feedback/complaint/" in outbox(db)[0].payload["text"]


def test_receipt_is_audited(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body())
    [event] = db.scalars(select(ComplaintEvent))
    assert (event.actor, event.action, event.new_value) == ("customer", "received", "web")


def test_same_idempotency_key_and_body_replays_without_a_second_complaint(
    client: FlaskClient, site: Site, db: Session
) -> None:
    first = post_complaint(client, site, complaint_body(), key="same")
    again = post_complaint(client, site, complaint_body(), key="same")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(complaints(db)) == 1
    assert len([m for m in outbox(db) if m.recipient == "anna@example.com"]) == 1


def test_same_idempotency_key_with_another_body_is_refused(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(), key="k")
    second = post_complaint(client, site, complaint_body(description="Something else"), key="k")

    assert second.status_code == 422
    assert second.json["code"] == "idempotency_key_reused"
    assert len(complaints(db)) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": None}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"category": "weather"}, "category"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"desired_resolution": None}, "desired_resolution"),
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"name": 42}, "name"),
        ({"name": "Anna\r\nBcc: all@example.com"}, "name"),
        ({"email": "anna@example.com\nBcc: x@example.com"}, "email"),
        ({"order_number": "A\x001"}, "order_number"),
        ({"colour": "red"}, "colour"),
        ({"customer": {"id": "C1", "tier": "gold"}}, "customer.tier"),
    ],
)
def test_each_invalid_field_is_named_and_nothing_is_stored(
    client: FlaskClient, site: Site, db: Session, changes: dict[str, Any], field: str
) -> None:
    body = complaint_body()
    body.update(changes)
    body = {key: value for key, value in body.items() if value is not None}

    response = post_complaint(client, site, body)

    assert response.status_code == 422
    assert response.json["code"] == "invalid_request"
    assert field in response.json["fields"]
    assert complaints(db) == [] and outbox(db) == []


@pytest.mark.parametrize(
    "text", ["Árvíztűrő tükörfúrógép: a csomag sérülten érkezett", "送货太慢了，包装也坏了。请退款。"]
)
def test_hungarian_and_chinese_round_trip(client: FlaskClient, site: Site, db: Session, text: str) -> None:
    body = complaint_body(name="Győző Ödön" if "á" in text else "王小明", description=text, locale="hu")
    assert post_complaint(client, site, body).status_code == 201
    [complaint] = complaints(db)
    assert complaint.description == text
    assert complaint.customer_name == body["name"]
    assert body["name"] in outbox(db)[0].payload["text"]


def test_the_acknowledgement_is_in_the_customers_language(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(locale="hu-HU"))
    [ack] = outbox(db)[:1]
    assert "panasz" in ack.subject.lower()
    assert ack.payload["locale"] == "hu"


def test_loyalty_members_are_recorded(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(customer={"id": "C-77", "loyalty_tier": "gold"}))
    [complaint] = complaints(db)
    assert (complaint.customer_id, complaint.loyalty_tier) == ("C-77", "gold")


def test_a_foreign_origin_and_an_unknown_site_are_refused(client: FlaskClient, site: Site, db: Session) -> None:
    foreign = post_complaint(client, site, complaint_body(), Origin="https://evil.example")
    unknown = client.post("/feedback/api/v1/sites/site_nope/complaints", json=complaint_body())

    assert (foreign.status_code, foreign.json["code"]) == (403, "origin_not_allowed")
    assert (unknown.status_code, unknown.json["code"]) == (404, "unknown_site")
    assert complaints(db) == []


def test_a_site_specific_category_list_is_enforced(client: FlaskClient, site: Site, db: Session, app: Any) -> None:
    site.settings = {**site.settings, "complaint_categories": ["coffee", "tea"]}
    db.commit()
    assert post_complaint(client, site, complaint_body(category="delivery")).status_code == 422
    assert post_complaint(client, site, complaint_body(category="tea")).status_code == 201


def test_the_endpoint_and_its_answer_are_described_in_the_openapi_document(
    client: FlaskClient, site: Site
) -> None:
    import jsonschema

    document = client.get("/feedback/api/v1/openapi.json").json
    operation = document["paths"]["/v1/sites/{site_key}/complaints"]["post"]
    schemas = document["components"]["schemas"]
    created = post_complaint(client, site, complaint_body(customer={"id": "C1", "loyalty_tier": None}))

    assert operation["operationId"] == "submitComplaint"
    jsonschema.validate(complaint_body(customer={"id": "C1", "loyalty_tier": None}),
                        {**schemas["ComplaintSubmission"], "components": document["components"]})
    jsonschema.validate(created.json, schemas["ComplaintCreated"])


def test_unpaired_surrogates_are_refused_not_a_server_error(client: FlaskClient, site: Site, db: Session) -> None:
    import json

    for body in (complaint_body(description="bad \ud800 text"), complaint_body(locale="\udfff")):
        response = client.post(f"/feedback/api/v1/sites/{site.key}/complaints", data=json.dumps(body),
                               content_type="application/json")
        assert response.status_code in (400, 422)
        assert response.json["code"] in ("invalid_json", "invalid_request")
    assert complaints(db) == []


def test_the_sites_alert_recipients_hear_of_a_new_complaint(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body())
    [complaint] = complaints(db)

    alerts = [m for m in outbox(db) if m.recipient == "owner@shop.example"]

    assert len(alerts) == 1
    assert complaint.reference in alerts[0].subject
    assert f"/feedback/admin/complaints/{complaint.id}" in alerts[0].payload["text"]


def test_customer_text_is_inert_in_the_html_mail(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(name="<script>alert(1)</script> Anna"))
    [ack] = [m for m in outbox(db) if m.recipient == "anna@example.com"]
    assert "<script>" not in ack.payload["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Anna" in ack.payload["html"]


def test_concurrent_retries_with_one_key_store_one_complaint(app: Any, site: Site, db: Session) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def send(_: int) -> Any:
        response = post_complaint(app.test_client(), site, complaint_body(), key="race-1")
        return response.status_code, response.json["reference"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))

    assert {status for status, _ in answers} == {201}
    assert len({reference for _, reference in answers}) == 1
    assert len(complaints(db)) == 1
    assert len([m for m in outbox(db) if m.recipient == "anna@example.com"]) == 1
