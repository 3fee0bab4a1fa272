"""Spam defences of the public forms: a honeypot field and a minimum fill time.

People never see the honeypot (it is hidden from sight and from screen readers)
and take more than a moment to answer; form-filling bots do neither.  The JSON
API checks them when the widget sends them (``hp`` and ``elapsed_ms``); the
hosted HTML forms carry them as fields (:class:`SpamGuardedForm`).  Neither is
authentication: rate limits apply whatever these say.  They do decide whether a
request *looks like a person's* (:func:`envelope_looks_human`,
:func:`form_looks_human`), which a site's flood cap spares (see
:mod:`feedbackwidget.web.ratelimit`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

from ..core import config
from ..core.state import get_state
from .forms import ProtectedForm
from ..core.i18n import N_

HONEYPOT_FIELD = "website"
# Fields of a JSON submission that only the spam checks read.
ENVELOPE_KEYS = frozenset({"hp", "elapsed_ms"})
TOO_FAST = N_("That was quicker than a person can answer: please wait a moment and send it again.")
LOOKS_AUTOMATED = N_("This submission looks automated and was not accepted.")


def min_fill_seconds() -> float:
    return float(current_app.config[config.MIN_FILL_SECONDS])


def envelope_problem(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(code, message)`` when a JSON submission trips a spam check, else None.

    ``hp`` must be empty; ``elapsed_ms`` (time the visitor spent on the form),
    when given, must be at least FEEDBACKWIDGET_MIN_FILL_SECONDS.
    """
    if body.get("hp"):
        return "rejected_as_spam", LOOKS_AUTOMATED
    elapsed = body.get("elapsed_ms")
    if elapsed is not None and (type(elapsed) is not int or elapsed < min_fill_seconds() * 1000):
        return "too_fast", TOO_FAST
    return None


def envelope_looks_human(body: Mapping[str, Any]) -> bool:
    """Whether a JSON submission carries the widget's signs of a person: an empty honeypot and a
    fill time a person takes (a back end posting directly sends neither)."""
    return body.get("hp") == "" and "elapsed_ms" in body and envelope_problem(body) is None


def form_looks_human(form: SpamGuardedForm) -> bool:
    """Whether a posted :class:`SpamGuardedForm` has an empty honeypot and a person's fill time."""
    elapsed = seconds_since(form.rendered.data or "")
    return not form.website.data and elapsed is not None and elapsed >= min_fill_seconds()


def check_envelope(body: Mapping[str, Any]) -> None:
    """Refuse a JSON submission that trips a spam check.

    :raises ApiError: 422 with code ``rejected_as_spam`` or ``too_fast``.
    """
    from .errors import json_error

    problem = envelope_problem(body)
    if problem is not None:
        raise json_error(422, problem[0], problem[1])


def _stamp_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_state().secret_key, salt="feedbackwidget-form-rendered")


def render_stamp(now: float | None = None) -> str:
    """A signed note of when a form was rendered."""
    return str(_stamp_serializer().dumps(round(now if now is not None else time.time(), 3)))


def seconds_since(stamp: str, now: float | None = None) -> float | None:
    """How long ago *stamp* was made, or None when it is missing or forged."""
    try:
        rendered = float(_stamp_serializer().loads(stamp))
    except (BadSignature, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - rendered


class SpamGuardedForm(ProtectedForm):
    """A public form with a honeypot (``website``) and a signed render time (``rendered``).

    Render ``form.website`` inside an element with the ``fw-hp`` class (hidden by
    the stylesheet, ``aria-hidden``) and ``form.rendered`` anywhere in the form.
    """

    website = StringField(N_("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    rendered = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.rendered.data = render_stamp()

    def validate_website(self, field: StringField) -> None:
        if field.data:
            raise ValidationError(LOOKS_AUTOMATED)

    def validate_rendered(self, field: HiddenField) -> None:
        elapsed = seconds_since(field.data or "")
        if elapsed is None:
            raise ValidationError(LOOKS_AUTOMATED)
        if elapsed < min_fill_seconds():
            field.data = render_stamp(time.time() - elapsed)  # keep the original time for the retry
            raise ValidationError(TOO_FAST)
