"""Alert e-mails on new responses: which rules a response sets off, and the mails.

:func:`response_hook` runs on the submit path for every response.  It reads the
site's cached rules only; when no rule matches and no webhook listens, it returns
nothing and the response stays a single INSERT.  Otherwise each recipient gets
one mail (whatever number of their rules matched), in their own language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from flask import current_app

from ..core import config, public_url
from ..core.state import get_state
from ..core.i18n import N_, translate
from ..sites import CompiledSurvey, SiteConfig
from ..surveys.templates import CSAT_LABELS
from .mail import mail_draft
from .outbox import OutboxDraft
from .rules import RESPONSE_KINDS, Rule, SiteDelivery
from .webhooks import response_webhook_drafts

DELIVERY_CACHE_KEY = "delivery"
YES_NO = {True: N_("Yes"), False: N_("No")}
# Why a rule fired, shown in the mail; the subject is that of the first reason.
REASONS = {
    "nps_at_or_below": N_("Recommendation score %(score)s (alert at %(threshold)s or below)"),
    "csat_bad": N_("Service rated bad"),
    "stock_no": N_("Goods not found in stock"),
    "loyalty_at_or_below": N_("Loyalty program score %(score)s (alert at %(threshold)s or below)"),
}
SUBJECT = N_("Feedback alert for %(site)s: %(reason)s")
#: The id of the reply form on the admin's response page.
REPLY_ANCHOR = "reply"


def site_delivery(site_id: int) -> SiteDelivery:
    """The cached rules and webhooks of *site_id* for the current app."""
    cache = get_state().extras[DELIVERY_CACHE_KEY]
    delivery: SiteDelivery = cache.get(site_id)
    return delivery


def public_base_url() -> str:
    """Where links in mails point: see :func:`feedbackwidget.core.public_url.public_base_url`."""
    return public_url.public_base_url(current_app).url


def recipient_key(email: str) -> str:
    """A short stable token for *email* inside dedupe keys (which have a length limit)."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def triggered_rules(delivery: SiteDelivery, survey: CompiledSurvey, row: Mapping[str, Any]) -> list[Rule]:
    return [r for r in delivery.rules_of(RESPONSE_KINDS) if r.applies_to(survey.slug) and r.is_triggered_by(row)]


def response_hook(site: SiteConfig, survey: CompiledSurvey, row: Mapping[str, Any]) -> list[OutboxDraft]:
    """The alert mails and webhook calls a new response *row* causes (registered on the state)."""
    delivery = site_delivery(site.id)
    drafts = response_webhook_drafts(site, delivery, survey, row)
    rules = triggered_rules(delivery, survey, row)
    if not rules:
        return drafts
    by_recipient: dict[str, list[Rule]] = {}
    for rule in rules:
        for email in rule.recipients:
            by_recipient.setdefault(email.lower(), []).append(rule)
    for email, matched in by_recipient.items():
        drafts.append(_alert_draft(site, delivery, survey, row, email, matched))
    return drafts


def _alert_draft(
    site: SiteConfig, delivery: SiteDelivery, survey: CompiledSurvey, row: Mapping[str, Any],
    email: str, rules: Sequence[Rule],
) -> OutboxDraft:
    locale = delivery.locale_of(email, site.default_locale)
    reasons = [_reason(locale, rule, row) for rule in rules]
    subject = translate(locale, SUBJECT) % {"site": site.name, "reason": reasons[0]}
    context = {
        "site_name": site.name, "reasons": reasons, "answers": answer_lines(survey, row, locale),
        "page_url": row.get("page_url"), "customer_id": row.get("customer_id"),
        "customer_email": row.get("customer_email"), "loyalty_tier": row.get("loyalty_tier"),
        "score": _score(row), "response_locale": row.get("locale"),
        "admin_url": public_base_url() + "/admin/responses/{response_id}",
        # The reply form on the response page (its anchor), for the one who takes the customer on.
        "reply_url": public_base_url() + "/admin/responses/{response_id}#" + REPLY_ANCHOR,
    }
    return mail_draft(
        recipient=email, subject=subject, template="response_alert", context=context, locale=locale,
        dedupe_key=f"alert:response:{{response_id}}:{recipient_key(email)}", site_id=site.id,
    )


def _reason(locale: str, rule: Rule, row: Mapping[str, Any]) -> str:
    score = row.get("loyalty_score") if rule.kind == "loyalty_at_or_below" else row.get("nps_score")
    return translate(locale, REASONS[rule.kind]) % {"score": score, "threshold": rule.threshold}


def _score(row: Mapping[str, Any]) -> str | None:
    for column in ("nps_score", "csat", "loyalty_score"):
        if row.get(column) is not None:
            return str(row[column])
    return None


def answer_lines(survey: CompiledSurvey, row: Mapping[str, Any], locale: str) -> list[tuple[str, str]]:
    """``(question text, answer text)`` of every answered question, in *locale*."""
    answers = row.get("answers") or {}
    return [(_localized(raw.get("text"), locale) or raw["key"], _answer_text(raw, answers[raw["key"]], locale))
            for raw in survey.raw_questions if raw["key"] in answers]


def _localized(texts: Any, locale: str) -> str:
    if isinstance(texts, Mapping):
        return str(texts.get(locale) or texts.get("en") or next(iter(texts.values()), ""))
    return str(texts or "")


def _answer_text(raw: Mapping[str, Any], value: Any, locale: str) -> str:
    if raw.get("type") == "csat" and value in CSAT_LABELS:
        return translate(locale, CSAT_LABELS[value])
    if isinstance(value, bool):
        return translate(locale, YES_NO[value])
    for option in raw.get("options", []):
        if option.get("value") == value:
            return _localized(option.get("text"), locale)
    return str(value)
