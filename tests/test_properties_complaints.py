"""Property-based tests (hypothesis) of the complaint intake's validators.

Whatever a client sends to the complaint API or the validator, the answer is a
201 or a 4xx JSON error, never a 500; what is accepted keeps no control
character in a field that can reach a mail header, and text round-trips (trimmed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.models import Complaint
from feedbackwidget.complaints.validation import InvalidComplaint, validate_complaint
from feedbackwidget.core.models import Site

from .test_complaints_api import complaint_body

@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Many submissions from one client: rate limits have their own tests."""
    return make_app(FEEDBACKWIDGET_RATELIMIT_ENABLED=False)


FIXTURES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CATEGORIES = ("delivery", "price", "other")
HEADER_FIELDS = ("name", "email")

json_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=60)
field_names = st.sampled_from(["name", "email", "phone", "order_number", "category", "description",
                               "desired_resolution", "consent", "locale", "customer", "hp", "elapsed_ms", "extra"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(field_names, json_scalars, max_size=10))
def test_the_validator_accepts_or_names_each_problem(raw: dict[str, Any]) -> None:
    try:
        data = validate_complaint(raw, categories=CATEGORIES, text_limit=500)
    except InvalidComplaint as err:
        assert err.messages() and all(isinstance(text, str) and text for text in err.messages().values())
        return
    assert data.category in CATEGORIES
    for name in HEADER_FIELDS:
        value = getattr(data, name)
        assert value is None or not any(ord(char) < 32 or ord(char) == 127 for char in value)


@FIXTURES
@given(field=field_names, value=json_scalars)
def test_the_api_never_fails_with_a_500_and_stores_only_valid_complaints(
    client: FlaskClient, site: Site, db: Session, field: str, value: Any
) -> None:
    before = db.scalar(select(func.count()).select_from(Complaint))
    response = client.post(f"/feedback/api/v1/sites/{site.key}/complaints", json=complaint_body(**{field: value}))

    assert response.status_code in (201, 400, 422), response.text
    assert response.is_json and (response.status_code == 201 or response.json["code"])
    after = db.scalar(select(func.count()).select_from(Complaint))
    assert after == before + (1 if response.status_code == 201 else 0)


@FIXTURES
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)
       .filter(lambda t: t.strip()))
def test_accepted_text_round_trips_unchanged(client: FlaskClient, site: Site, db: Session, text: str) -> None:
    response = client.post(f"/feedback/api/v1/sites/{site.key}/complaints", json=complaint_body(description=text))
    assert response.status_code == 201, response.text
    stored = db.scalar(select(Complaint.description).where(Complaint.reference == response.json["reference"]))
    assert stored == text.strip()  # surrounding white space is trimmed, everything else kept
