"""Spam defences: the honeypot and the minimum fill time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask

from feedbackwidget.spam import SpamGuardedForm, envelope_problem, render_stamp, seconds_since


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
