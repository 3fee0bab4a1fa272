"""Property-based tests (hypothesis) of every validator on the submit path.

Whatever a client sends, the answer is a 201 or a 4xx JSON error with a stable
code, never a 500, and nothing invalid is stored.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from feedbackwidget import get_state
from feedbackwidget.web.errors import ApiError
from feedbackwidget.web.submission import IDEMPOTENCY_KEY, idempotency_key, read_json_object, submission_row
from feedbackwidget.core.models import Response, Site
from feedbackwidget.surveys.questions import CSAT_VALUES, AnswerError, Option, Question, check_answer

FIXTURES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
QUESTIONS = {
    "nps": Question("score", "nps", {}),
    "csat": Question("rating", "csat", {}),
    "yes_no": Question("member", "yes_no", {}),
    "choice": Question("reward", "choice", {}, options=(Option("points", {}), Option("gifts", {}))),
    "text": Question("reason", "text", {}, max_length=50),
}


def _is_valid(question: Question, value: Any) -> bool:
    if question.type == "nps":
        return type(value) is int and 0 <= value <= 10
    if question.type == "csat":
        return value in CSAT_VALUES and isinstance(value, str)
    if question.type == "yes_no":
        return type(value) is bool
    if question.type == "choice":
        return value in ("points", "gifts") and isinstance(value, str)
    return isinstance(value, str) and len(value) <= 50 and not any(ord(c) < 32 and c not in "\t\n\r" for c in value)


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
@given(value=json_values)
def test_each_question_type_accepts_exactly_its_values(kind: str, value: Any) -> None:
    question = QUESTIONS[kind]
    try:
        accepted = check_answer(question, value)
    except AnswerError as err:
        assert str(err)  # the client is told what to send
        assert not _is_valid(question, value) or (isinstance(value, float) and not math.isfinite(value))
    else:
        assert _is_valid(question, value) and accepted == value and type(accepted) is type(value)


@given(header=st.text(max_size=140))
def test_an_idempotency_key_is_accepted_exactly_when_it_matches_the_documented_pattern(header: str) -> None:
    assume("\n" not in header and "\r" not in header and "\x00" not in header)
    try:
        request = Request(EnvironBuilder(headers={"Idempotency-Key": header}).get_environ())
    except (ValueError, UnicodeError):
        return  # not sendable as an HTTP header at all
    sent = request.headers.get("Idempotency-Key")
    try:
        key = idempotency_key(request)
    except ApiError as err:
        assert err.code == 400 and err.error_code == "invalid_idempotency_key"
        assert sent is not None and not IDEMPOTENCY_KEY.fullmatch(sent)
    else:
        assert key == sent and (key is None or IDEMPOTENCY_KEY.fullmatch(key))


@given(raw=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_the_body_is_a_json_object_or_a_400(raw: bytes) -> None:
    request = Request(EnvironBuilder(method="POST", data=raw, content_type="application/json").get_environ())
    try:
        body = read_json_object(request, 64 * 1024)
    except ApiError as err:
        assert err.code in (400, 413) and err.error_code in ("invalid_json", "payload_too_large")
    else:
        assert isinstance(body, dict) and body == json.loads(raw)


@given(content_type=st.sampled_from(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                     "application/jsonp", "text/json"]))
def test_another_content_type_is_a_415(content_type: str) -> None:
    request = Request(EnvironBuilder(method="POST", data=b"{}", content_type=content_type).get_environ())
    with pytest.raises(ApiError) as raised:
        read_json_object(request, 1024)
    assert raised.value.code == 415


answers = st.dictionaries(
    st.sampled_from(["score", "reason", "rating", "member", "program_score", "reward", "in_stock", "missing", "x"]),
    json_values, max_size=4,
)
envelopes = st.fixed_dictionaries(
    {"survey": st.sampled_from(["nps", "csat", "stock", "suggestions", "loyalty", "nope"]) | json_scalars,
     "answers": answers | json_values},
    optional={
        "page_url": st.none() | st.text(max_size=60) | json_scalars,
        "locale": st.sampled_from(["en", "hu", "zh", "zh-CN", "xx"]) | json_scalars,
        "customer": st.none() | json_values | st.fixed_dictionaries(
            {}, optional={"id": json_scalars, "email": st.emails() | json_scalars, "loyalty_tier": json_scalars,
                          "extra": json_scalars}),
        "extra": json_values,
    },
)


@FIXTURES
@given(body=envelopes)
def test_submission_row_returns_a_valid_row_or_lists_the_fields_to_fix(app: Flask, site: Site, body: Any) -> None:
    config = get_state(app).sites.get(site.key)
    assert config is not None
    try:
        survey, row = submission_row(config, body, "key")
    except ApiError as err:
        assert 400 <= err.code < 500 and err.error_code and err.description
    else:
        for key, value in row["answers"].items():
            question = survey.question(key)
            assert question is not None and check_answer(question, value) == value
        assert all(question.key in row["answers"] or not question.required or not question.is_shown(row["answers"])
                   for question in survey.questions)


@pytest.fixture
def unlimited(make_app: Any) -> FlaskClient:
    """A client of an app with the limits off (hypothesis sends many requests), shared by a test's examples."""
    client: FlaskClient = make_app(FEEDBACKWIDGET_RATELIMIT_ENABLED=False).test_client()
    return client


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Response)) or 0


@FIXTURES
@given(body=envelopes | json_values, key=st.none() | st.text(st.characters(min_codepoint=33, max_codepoint=126),
                                                              min_size=1, max_size=20))
def test_the_api_never_answers_500_and_stores_only_what_it_accepts(
    unlimited: FlaskClient, site: Site, db: Session, body: Any, key: str | None
) -> None:
    client = unlimited
    before = _count(db)
    headers = {"Idempotency-Key": key} if key else {}
    response = client.post(f"/feedback/api/v1/sites/{site.key}/responses", data=json.dumps(body),
                           content_type="application/json", headers=headers)

    assert response.status_code in (201, 400, 404, 413, 415, 422), response.get_data()
    assert response.is_json and response.json is not None
    if response.status_code == 201:
        assert set(response.json) == {"id"}
        assert _count(db) - before in (0, 1)  # 0: the same key and body replayed
    else:
        assert isinstance(response.json["code"], str) and isinstance(response.json["message"], str)
        assert _count(db) == before


@FIXTURES
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300))
def test_any_unicode_text_round_trips_unchanged(unlimited: FlaskClient, site: Site, db: Session, text: str) -> None:
    assume(text.strip())
    response = unlimited.post(f"/feedback/api/v1/sites/{site.key}/responses",
                           json={"survey": "suggestions", "answers": {"suggestion": text}})
    assert response.status_code == 201
    stored = db.get(Response, response.json["id"])
    assert stored is not None and stored.answers == {"suggestion": text} and stored.comment == text


@pytest.mark.parametrize("raw", [
    '{"survey":"nps","answers":{"score":9,"reason":"a\\ud800b"}}',
    '{"survey":"nps","answers":{"score":9},"page_url":"\\udfff"}',
    '{"survey":"nps","answers":{"score":9},"customer":{"id":"\\ud83d"}}',
    '{"survey":"nps","answers":{"score":9},"page_url":"a\\u0000b"}',
    '{"survey":"nps","answers":{"score":NaN}}',
    '{"survey":"nps","answers":{"score":1e999}}',
    '{"survey":"nps","answers":{"score":9.0}}',
    '{"survey":"nps","answers":{"score":true}}',
])
def test_text_no_database_can_store_and_non_numbers_are_4xx(client: FlaskClient, site: Site, db: Session,
                                                              raw: str) -> None:
    response = client.post(f"/feedback/api/v1/sites/{site.key}/responses", data=raw,
                           content_type="application/json")
    assert response.status_code in (400, 422) and response.json["code"]
    assert _count(db) == 0
