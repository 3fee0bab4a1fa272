"""Submitting responses through the public JSON API."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site

from .conftest import SHOP_ORIGIN


def url(site: Site) -> str:
    return f"/feedback/api/v1/sites/{site.key}/responses"


def post(client: FlaskClient, site: Site, body: Any, key: str | None = None, **headers: str) -> Any:
    if key:
        headers["Idempotency-Key"] = key
    return client.post(url(site), json=body, headers=headers)


def stored(db: Session) -> list[Response]:
    db.expire_all()
    return list(db.scalars(select(Response).order_by(Response.id)))


def test_a_valid_response_is_stored_with_its_scores(client: FlaskClient, site: Site, db: Session) -> None:
    body = {"survey": "nps", "answers": {"score": 3, "reason": "Slow delivery"}, "page_url": "https://shop.example/cart",
            "locale": "en", "customer": {"id": "C42", "email": "ann@example.com", "loyalty_tier": "gold"}}

    response = post(client, site, body, key="k-1", Origin=SHOP_ORIGIN)

    assert response.status_code == 201
    [row] = stored(db)
    assert response.json == {"id": row.id}
    assert (row.nps_score, row.comment, row.page_url, row.locale) == (3, "Slow delivery", body["page_url"], "en")
    assert (row.customer_id, row.customer_email, row.loyalty_tier) == ("C42", "ann@example.com", "gold")
    assert row.answers == {"score": 3, "reason": "Slow delivery"}


@pytest.mark.parametrize(
    ("survey", "answers", "column", "value"),
    [
        ("csat", {"rating": "bad"}, "csat", "bad"),
        ("stock", {"in_stock": False, "missing": "Decaf"}, "in_stock", False),
        ("loyalty", {"member": True, "program_score": 4}, "loyalty_score", 4),
    ],
)
def test_each_score_kind_lands_in_its_own_column(
    client: FlaskClient, site: Site, db: Session, survey: str, answers: dict[str, Any], column: str, value: Any
) -> None:
    assert post(client, site, {"survey": survey, "answers": answers}).status_code == 201
    assert getattr(stored(db)[0], column) == value


@pytest.mark.parametrize("text", ["Árvíztűrő tükörfúrógép ő ű", "送货太慢了，包装也坏了", "Great 👍🏽 service 🎉"])
def test_unicode_round_trips_unchanged(client: FlaskClient, site: Site, db: Session, text: str) -> None:
    assert post(client, site, {"survey": "nps", "answers": {"score": 9, "reason": text}}).status_code == 201
    assert stored(db)[0].comment == text


def test_same_idempotency_key_and_body_replays_the_first_answer(client: FlaskClient, site: Site, db: Session) -> None:
    body = {"survey": "nps", "answers": {"score": 10}}
    first = post(client, site, body, key="same-key")
    again = post(client, site, {"answers": {"score": 10}, "survey": "nps"}, key="same-key")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(stored(db)) == 1


def test_same_idempotency_key_with_another_body_is_refused(client: FlaskClient, site: Site, db: Session) -> None:
    post(client, site, {"survey": "nps", "answers": {"score": 10}}, key="k")
    second = post(client, site, {"survey": "nps", "answers": {"score": 2}}, key="k")

    assert second.status_code == 422
    assert second.json["code"] == "idempotency_key_reused"
    assert [r.nps_score for r in stored(db)] == [10]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": True}, "score"),
        ({"score": 5.0}, "score"),
        ({"score": "5"}, "score"),
        ({"score": None}, "score"),
        ({}, "score"),
        ({"score": 5, "reason": "x" * 2001}, "reason"),
        ({"score": 5, "reason": 7}, "reason"),
        ({"score": 5, "colour": "red"}, "colour"),
    ],
)
def test_invalid_answers_are_refused_with_the_field_named(
    client: FlaskClient, site: Site, db: Session, answers: dict[str, Any], field: str
) -> None:
    response = post(client, site, {"survey": "nps", "answers": answers})

    assert response.status_code == 422
    assert response.json["code"] == "invalid_answers"
    assert field in response.json["fields"]
    assert stored(db) == []


@pytest.mark.parametrize(
    ("survey", "answers", "field"),
    [("csat", {"rating": "superb"}, "rating"), ("stock", {"in_stock": "no"}, "in_stock"),
     ("loyalty", {"member": True, "preferred_reward": "cash"}, "preferred_reward")],
)
def test_each_question_type_checks_its_values(
    client: FlaskClient, site: Site, survey: str, answers: dict[str, Any], field: str
) -> None:
    response = post(client, site, {"survey": survey, "answers": answers})
    assert response.status_code == 422
    assert field in response.json["fields"]


def test_nan_is_not_a_number_we_accept(client: FlaskClient, site: Site, db: Session) -> None:
    response = client.post(url(site), data='{"survey": "nps", "answers": {"score": NaN}}', content_type="application/json")
    assert response.status_code == 400
    assert response.json["code"] == "invalid_json"
    assert stored(db) == []


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ('{"survey": "nps", ', "application/json", 400, "invalid_json"),
        ("[1, 2]", "application/json", 400, "invalid_json"),
        ("score=5", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"survey": "nps"}', "text/plain", 415, "unsupported_media_type"),
        ('{"survey": "nps", "answers": {"score": 5, "reason": "' + "x" * 70_000 + '"}}', "application/json", 413,
         "payload_too_large"),
        ('{"survey": "nope", "answers": {}}', "application/json", 422, "invalid_request"),
        ('{"survey": "nps", "answers": []}', "application/json", 422, "invalid_request"),
        ('{"survey": "nps", "answers": {"score": 1}, "extra": 1}', "application/json", 422, "invalid_request"),
        ('{"survey": "nps", "answers": {"score": 1}, "customer": {"email": "not-an-email"}}', "application/json", 422,
         "invalid_request"),
    ],
)
def test_malformed_requests_get_a_json_error_and_store_nothing(
    client: FlaskClient, site: Site, db: Session, data: str, content_type: str, status: int, code: str
) -> None:
    response = client.post(url(site), data=data, content_type=content_type)

    assert response.status_code == status
    assert response.json["code"] == code
    assert response.json["message"]
    assert stored(db) == []


def test_an_unknown_site_is_a_json_404(client: FlaskClient, site: Site) -> None:
    response = client.post("/feedback/api/v1/sites/site_nope/responses", json={"survey": "nps", "answers": {}})
    assert response.status_code == 404
    assert response.json["code"] == "unknown_site"


def test_a_malformed_idempotency_key_is_refused(client: FlaskClient, site: Site, db: Session) -> None:
    response = post(client, site, {"survey": "nps", "answers": {"score": 1}}, key="x" * 129)
    assert response.status_code == 400
    assert response.json["code"] == "invalid_idempotency_key"


def test_the_body_size_limit_is_configurable(make_app: Any, db: Session) -> None:
    app = make_app(FEEDBACKWIDGET_MAX_BODY_BYTES=100)
    from feedbackwidget.provisioning import create_site

    with app.app_context():
        from feedbackwidget import get_state

        session = get_state().session()
        shop = create_site(session, "Small", [SHOP_ORIGIN])
        session.commit()
        key = shop.key
    body = {"survey": "nps", "answers": {"score": 5, "reason": "x" * 200}}
    response = app.test_client().post(f"/feedback/api/v1/sites/{key}/responses", json=body)
    assert response.status_code == 413


def test_an_inactive_survey_takes_no_answers(client: FlaskClient, site: Site, db: Session) -> None:
    from feedbackwidget.core.models import Survey

    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "csat"))
    assert survey is not None
    survey.active = False
    db.commit()

    response = post(client, site, {"survey": "csat", "answers": {"rating": "good"}})

    assert response.status_code == 422
    assert "survey" in response.json["fields"]
    assert db.scalar(select(func.count()).select_from(Response)) == 0
