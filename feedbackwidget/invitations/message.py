"""The invitation e-mail: the survey's first question inside it as plain links, and its unsubscribe.

Every link carries only random tokens (derived from the invitation's id and the
secret key, so a reminder can carry the same ones; only their hashes are stored):
no name, e-mail or order number can be read from it.  A score link opens the hosted
page with that answer chosen; opening it records nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from ..core.i18n import N_, translate
from ..sites import CompiledSurvey
from ..surveys.questions import CSAT_VALUES, NPS_MAX, NPS_MIN, SCALE_ENDS, Question, own_answer_text
from ..surveys.templates import CSAT_LABELS

#: The hosted page's query parameter of a link's token (as :data:`feedbackwidget.web.widget.links.LINK_PARAM`).
LINK_PARAM = "link"
ONE_CLICK = "List-Unsubscribe=One-Click"
REMINDER_SUBJECT = N_("Reminder: %(subject)s")


@dataclass(frozen=True)
class FirstQuestion:
    """The question answered inside the e-mail, in the mail's language."""

    key: str
    type: str
    text: str
    answers: tuple[tuple[str, str], ...]  # (posted value, label)
    anchors: tuple[str, ...] = ()


def _text(texts: Mapping[str, str], locale: str, fallback: str) -> str:
    return texts.get(locale) or texts.get(fallback) or texts.get("en") or next(iter(texts.values()), "")


def mail_question(survey: CompiledSurvey) -> Question | None:
    """The survey's first question when everyone is asked it and it is a 0-10 or a three-answer one."""
    first = next((q for q in survey.questions if not q.show_if), None)
    return first if first is not None and first.type in ("nps", "csat") else None


def first_question(survey: CompiledSurvey, locale: str, fallback: str) -> FirstQuestion | None:
    """The question the e-mail asks, worded in *locale*, or None when the survey has none to ask there."""
    question = mail_question(survey)
    if question is None:
        return None
    if question.type == "nps":
        answers = tuple((str(n), str(n)) for n in range(NPS_MIN, NPS_MAX + 1))
        anchors = tuple(_text(question.scale[end], locale, fallback) for end in SCALE_ENDS if end in question.scale)
    else:
        # In the question's own words where the shop gave them, as the hosted page and the widget show them.
        answers = tuple((value, own_answer_text(question.answer_texts, value, locale)
                         or translate(locale, CSAT_LABELS[value])) for value in CSAT_VALUES)
        anchors = ()
    return FirstQuestion(question.key, question.type, _text(question.text, locale, fallback), answers, anchors)


def derived_token(secret_key: str, purpose: str, invitation_id: int) -> str:
    """A 192-bit token for one invitation's *purpose* (``link``, ``unsubscribe``): unguessable without the key."""
    message = f"feedbackwidget.invitation.{purpose}:{invitation_id}".encode()
    digest = hmac.new(secret_key.encode("utf-8", "surrogatepass"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def answer_url(base_url: str, site_key: str, slug: str, token: str, locale: str, key: str, value: str) -> str:
    """The hosted page of the survey with *value* chosen for question *key*, for the link of *token*."""
    path = f"{base_url}/s/{quote(site_key, safe='')}/{quote(slug, safe='')}"
    return path + "?" + urlencode({key: value, "lang": locale, LINK_PARAM: token})


def unsubscribe_url(base_url: str, token: str) -> str:
    """The page (GET) and one-click endpoint (POST, RFC 8058) that unsubscribe the invitation's address."""
    return f"{base_url}/unsubscribe/{token}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    """``List-Unsubscribe`` with the https URL and ``List-Unsubscribe-Post`` for one click (RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}


def mail_context(question: FirstQuestion, urls: list[tuple[str, str]], **context: Any) -> dict[str, Any]:
    """What the ``invitation`` mail templates show: the question, its answers as (label, URL), the rest."""
    return {"question": question, "answers": urls, **context}
