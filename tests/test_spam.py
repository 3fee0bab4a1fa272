"""Spam defences: the honeypot and the minimum fill time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask

from feedbackwidget.web.spam import (
    SpamGuardedForm,
    envelope_looks_human,
    envelope_problem,
    form_looks_human,
    render_stamp,
    seconds_since,
)


@pytest.fixture
def guarded_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(FEEDBACKWIDGET_MIN_FILL_SECONDS=2, WTF_CSRF_ENABLED=False)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"hp": "http://spam.example"}, "rejected_as_spam"),
        ({"elapsed_ms": 300}, "too_fast"),
        ({"elapsed_ms": "3000"}, "too_fast"),
        ({"elapsed_ms": True}, "too_fast"),
        ({"hp": "", "elapsed_ms": 2500}, None),
        ({}, None),  # shop back ends posting directly send neither
    ],
)
def test_json_submissions_from_the_widget(guarded_app: Flask, body: dict[str, object], problem: str | None) -> None:
    with guarded_app.app_context():
        found = envelope_problem(body)
    assert (found[0] if found else None) == problem


@pytest.mark.parametrize(
    ("body", "human"),
    [
        ({"hp": "", "elapsed_ms": 2500}, True),
        ({"hp": "", "elapsed_ms": 300}, False),  # too fast
        ({"hp": "x", "elapsed_ms": 2500}, False),  # honeypot filled
        ({"elapsed_ms": 2500}, False),  # no honeypot: not the widget
        ({}, False),  # a shop back end posting directly: legitimate, but no sign of a person
    ],
)
def test_what_looks_like_a_person_to_the_flood_cap(guarded_app: Flask, body: dict[str, object], human: bool) -> None:
    with guarded_app.app_context():
        assert envelope_looks_human(body) is human


def test_a_posted_form_looks_like_a_person_with_an_empty_honeypot_and_time_taken(guarded_app: Flask) -> None:
    with guarded_app.app_context():
        old, new = render_stamp(now=time.time() - 5), render_stamp()
        forms = [form_posted(guarded_app, {"website": website, "rendered": stamp})
                 for website, stamp in [("", old), ("", new), ("pills", old), ("", "forged")]]
        assert [form_looks_human(form) for form in forms] == [True, False, False, False]


def test_a_render_stamp_tells_how_long_ago_and_cannot_be_forged(guarded_app: Flask) -> None:
    with guarded_app.app_context():
        stamp = render_stamp(now=1000.0)
        assert seconds_since(stamp, now=1003.5) == pytest.approx(3.5)
        assert seconds_since(stamp[:-2] + "xx") is None
        assert seconds_since("") is None


def form_posted(app: Flask, data: dict[str, str]) -> SpamGuardedForm:
    with app.test_request_context(method="POST", data=data):
        form = SpamGuardedForm()
        form.validate()
        return form


def test_the_hosted_form_refuses_a_filled_honeypot(guarded_app: Flask) -> None:
    with guarded_app.app_context():
        stamp = render_stamp(now=time.time() - 10)
    form = form_posted(guarded_app, {"website": "buy pills", "rendered": stamp})
    assert form.errors == {"website": ["This submission looks automated and was not accepted."]}


def test_the_hosted_form_refuses_an_answer_faster_than_a_person(guarded_app: Flask) -> None:
    with guarded_app.app_context():
        stamp = render_stamp()
    form = form_posted(guarded_app, {"website": "", "rendered": stamp})
    assert "rendered" in form.errors
    assert "quicker than a person" in form.errors["rendered"][0]


def test_the_hosted_form_refuses_a_missing_or_forged_render_time(guarded_app: Flask) -> None:
    assert "rendered" in form_posted(guarded_app, {"website": ""}).errors
    assert "rendered" in form_posted(guarded_app, {"website": "", "rendered": "forged"}).errors


def test_a_person_passes(guarded_app: Flask) -> None:
    with guarded_app.app_context():
        stamp = render_stamp(now=time.time() - 5)
    assert form_posted(guarded_app, {"website": "", "rendered": stamp}).errors == {}


def complaints_stored(app: Flask) -> int:
    from sqlalchemy import func, select

    from feedbackwidget import get_state
    from feedbackwidget.complaints.models import Complaint

    with get_state(app).session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(Complaint)) or 0)


@pytest.fixture
def shop_key(guarded_app: Flask) -> str:
    from feedbackwidget import get_state
    from feedbackwidget.provisioning import create_site

    with get_state(guarded_app).session_factory() as session:
        key = create_site(session, "Shop", ["https://shop.example"]).key
        session.commit()
    return key


@pytest.mark.parametrize(("extra", "code"), [({"hp": "x"}, "rejected_as_spam"), ({"elapsed_ms": 200}, "too_fast")])
def test_the_complaint_api_refuses_what_looks_automated(guarded_app: Flask, shop_key: str, extra: dict[str, object],
                                                       code: str) -> None:
    from .test_complaints_api import complaint_body

    response = guarded_app.test_client().post(f"/feedback/api/v1/sites/{shop_key}/complaints",
                                              json={**complaint_body(), **extra})
    assert response.status_code == 422
    assert response.json is not None and response.json["code"] == code
    assert complaints_stored(guarded_app) == 0


def test_the_complaint_api_takes_a_widget_submission_that_took_its_time(guarded_app: Flask, shop_key: str) -> None:
    from .test_complaints_api import complaint_body

    response = guarded_app.test_client().post(f"/feedback/api/v1/sites/{shop_key}/complaints",
                                              json={**complaint_body(), "hp": "", "elapsed_ms": 45_000})
    assert response.status_code == 201
    assert complaints_stored(guarded_app) == 1


def test_the_hosted_complaint_form_keeps_bots_out_and_lets_people_in(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedbackwidget import get_state
    from feedbackwidget.provisioning import create_site

    from .test_complaints_pages import form_fields, hidden

    app = make_app(FEEDBACKWIDGET_MIN_FILL_SECONDS=30)
    with get_state(app).session_factory() as session:
        key = create_site(session, "Shop", ["https://shop.example"]).key
        session.commit()
    client = app.test_client()
    page = client.get(f"/feedback/complaint/{key}").text
    data = {"csrf_token": hidden(page, "csrf_token"), "submission_id": hidden(page, "submission_id"),
            "rendered": hidden(page, "rendered"), **form_fields()}

    bot = client.post(f"/feedback/complaint/{key}", data={**data, "website": "http://pills.example"})
    hasty = client.post(f"/feedback/complaint/{key}", data={**data, "website": ""})
    assert (bot.status_code, hasty.status_code) == (422, 422)
    assert "looks automated" in bot.text
    assert "quicker than a person" in hasty.text
    assert complaints_stored(app) == 0

    later = time.time() + 31  # the visitor takes their time
    monkeypatch.setattr(time, "time", lambda: later)
    person = client.post(f"/feedback/complaint/{key}", data={**data, "website": ""})
    assert person.status_code == 200, person.text
    assert complaints_stored(app) == 1


@pytest.mark.parametrize(("extra", "status", "code"), [
    ({"hp": "http://pills.example"}, 422, "rejected_as_spam"),
    ({"hp": "", "elapsed_ms": 300}, 422, "too_fast"),
    ({"hp": "", "elapsed_ms": 2000}, 201, None),
])
def test_the_response_api_checks_the_widgets_spam_fields(guarded_app: Flask, shop_key: str, extra: dict[str, object],
                                                        status: int, code: str | None) -> None:
    client = guarded_app.test_client()
    response = client.post(f"/feedback/api/v1/sites/{shop_key}/responses",
                           json={"survey": "nps", "answers": {"score": 9}, **extra})
    assert response.status_code == status
    assert response.json is not None and response.json.get("code") == code


def test_the_widget_learns_the_minimum_fill_time_from_the_config(guarded_app: Flask, shop_key: str) -> None:
    config = guarded_app.test_client().get(f"/feedback/api/v1/sites/{shop_key}/config").json
    assert config is not None and config["min_fill_ms"] == 2000


def test_the_hosted_survey_page_keeps_bots_out(make_app: Callable[..., Flask]) -> None:
    import re

    from feedbackwidget import get_state
    from feedbackwidget.provisioning import create_site

    app = make_app(FEEDBACKWIDGET_MIN_FILL_SECONDS=30)
    with get_state(app).session_factory() as session:
        key = create_site(session, "Shop", ["https://shop.example"]).key
        session.commit()
    client = app.test_client()
    page = client.get(f"/feedback/s/{key}/nps").text
    hidden = dict(re.findall(r'name="(csrf_token|submission_id|rendered)" type="hidden" value="([^"]*)"', page))

    bot = client.post(f"/feedback/s/{key}/nps", data={**hidden, "q_score": "9", "website": "x"})
    hasty = client.post(f"/feedback/s/{key}/nps", data={**hidden, "q_score": "9", "website": ""})

    assert "looks automated" in bot.text and bot.status_code != 302
    assert "quicker than a person" in hasty.text and hasty.status_code != 302
