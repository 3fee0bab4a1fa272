"""Rendering e-mails into outbox drafts, in the recipient's language.

A mail is rendered when its cause happens (so it shows what was true then) from
``templates/feedbackwidget/mail/<template>.txt`` and, if present, ``.html``.
Templates get ``_`` translating into the mail's locale; Jinja autoescaping
keeps every customer value inert in the HTML part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import render_template
from jinja2 import TemplateNotFound

from ..core.addresses import AddressError, parse_address
from ..core.customer_text import customer_plain, customer_text
from ..core.i18n import negotiate_locale, translate
from ..core.plain_text import shown
from .mime import header_safe as header_safe  # where the other areas have always imported it from
from .outbox import OutboxDraft

RECIPIENT_MAX = 254
NOT_SENT = "Not sent, the recipient was refused (correct it where it is stored, then retry):"


def translator(locale: str) -> Callable[..., str]:
    """``_(msgid, **params)`` for templates: the translation, %-formatted with *params*."""

    def gettext(message: str, **params: Any) -> str:
        translated = translate(locale, message)
        return translated % params if params else translated

    return gettext


def render_mail(template: str, context: Mapping[str, Any], locale: str) -> tuple[str, str | None]:
    """The text and HTML parts of mail *template* in *locale*."""
    locale = negotiate_locale([locale], "en")
    full_context = {**context, "_": translator(locale), "locale": locale, "customer_text": customer_text,
                    "customer_plain": customer_plain}
    text = render_template(f"feedbackwidget/mail/{template}.txt", **full_context)
    try:
        html: str | None = render_template(f"feedbackwidget/mail/{template}.html", **full_context)
    except TemplateNotFound:
        html = None
    return text, html


def mail_draft(
    *,
    recipient: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    locale: str,
    dedupe_key: str,
    site_id: int | None = None,
) -> OutboxDraft:
    """An outbox draft of mail *template* to *recipient*, rendered now.

    It never raises on the recipient: one that is not a deliverable address (an old
    install may have stored one) gives a draft written as failed, with the reason,
    which the outbox page shows, so the cause (a response, a complaint) is still stored.
    """
    address, refusal = checked_recipient(recipient)
    text, html = render_mail(template, context, locale)
    return OutboxDraft(
        kind="mail",
        recipient=address,
        subject=header_safe(subject),
        dedupe_key=dedupe_key,
        payload={"text": text, "html": html, "locale": negotiate_locale([locale], "en")},
        site_id=site_id,
        error=refusal,
    )


def checked_recipient(recipient: str) -> tuple[str, str | None]:
    """*recipient* normalised and None, or (when it cannot be mailed) shown safely and why."""
    try:
        return parse_address(recipient), None
    except AddressError as err:
        return shown(recipient, RECIPIENT_MAX), f"{NOT_SENT} {err}"
