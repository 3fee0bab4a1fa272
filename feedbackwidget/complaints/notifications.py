"""What a complaint sends: mails to the customer and to staff, and event data for the hooks.

Everything here only builds :class:`~feedbackwidget.delivery.outbox.OutboxDraft`
objects; the caller writes them into the outbox in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from babel.dates import format_date

from ..delivery.mail import mail_draft
from ..delivery.outbox import OutboxDraft
from ..core.i18n import N_, translate
from .context import Context
from .labels import CATEGORY_LABELS, STATE_LABELS, label
from .models import Complaint, ComplaintMessage


def status_url(ctx: Context, complaint: Complaint, token: str) -> str:
    """The customer's private status link, in the complaint's language (``?lang=``: a Chinese
    customer reading the mail in an English browser still gets the page in Chinese)."""
    return (
        f"{ctx.settings.public_base}/complaint/{quote(ctx.site.key)}/status/{complaint.reference}"
        f"?lang={quote(complaint.locale)}&token={quote(token)}"
    )


def admin_path(ctx: Context, complaint: Complaint) -> str:
    """Where staff see *complaint* (a path under the URL prefix)."""
    return f"{ctx.settings.url_prefix}/admin/complaints/{complaint.id}"


def event_data(ctx: Context, complaint: Complaint) -> dict[str, Any]:
    """The data of a ``complaint.*`` event, as the delivery hooks expect it."""
    return {
        "id": complaint.id,
        "reference": complaint.reference,
        "category": complaint.category,
        "channel": complaint.channel,
        "description": complaint.description,
        "customer_name": complaint.customer_name,
        "customer_email": complaint.customer_email,
        "created_at": complaint.received_at.isoformat(),
        "due_at": complaint.due_at.isoformat(),
        "status": complaint.status,
        "admin_path": admin_path(ctx, complaint),
    }


def event_drafts(ctx: Context, event: str, complaint: Complaint) -> list[OutboxDraft]:
    """The outbox messages the hooks of *event* want for *complaint*."""
    return ctx.event_drafts(event, ctx.site, event_data(ctx, complaint))


def _mail_context(ctx: Context, complaint: Complaint, locale: str) -> dict[str, Any]:
    def text(msgid: str) -> str:
        return translate(locale, msgid)

    return {
        "site_name": ctx.site.name,
        "complaint": complaint,
        "category": label(CATEGORY_LABELS, complaint.category, text),
        "state": label(STATE_LABELS, complaint.status, text),
        "due_date": long_date(complaint.due_at, locale),
    }


def long_date(moment: dt.datetime, locale: str) -> str:
    """*moment*'s date written out in *locale* (e.g. ``2026. december 23.``)."""
    return format_date(moment.date(), format="long", locale={"zh": "zh_Hans_CN"}.get(locale, locale))


def acknowledgement(ctx: Context, complaint: Complaint, token: str) -> OutboxDraft | None:
    """The customer's receipt: reference, deadline and private status link (None without e-mail)."""
    if not complaint.customer_email:
        return None
    locale = complaint.locale
    return mail_draft(
        recipient=complaint.customer_email,
        subject=translate(locale, "We have received your complaint %(reference)s") % {"reference": complaint.reference},
        template="complaints/acknowledgement",
        context={**_mail_context(ctx, complaint, locale), "status_url": status_url(ctx, complaint, token)},
        locale=locale,
        dedupe_key=f"complaint:{complaint.id}:acknowledgement",
        site_id=ctx.site.id,
    )


def public_reply(ctx: Context, complaint: Complaint, message: ComplaintMessage) -> OutboxDraft | None:
    """A staff member's public reply, mailed to the customer (None without e-mail)."""
    if not complaint.customer_email:
        return None
    locale = complaint.locale
    return mail_draft(
        recipient=complaint.customer_email,
        subject=translate(locale, "Reply to your complaint %(reference)s") % {"reference": complaint.reference},
        template="complaints/reply",
        context={**_mail_context(ctx, complaint, locale), "reply": message.body},
        locale=locale,
        dedupe_key=f"complaint:{complaint.id}:reply:{message.id}",
        site_id=ctx.site.id,
    )


def staff_deadline_mail(ctx: Context, complaint: Complaint, recipient: str, kind: str, locale: str) -> OutboxDraft:
    """A ``reminder`` (due soon) or ``overdue`` mail about *complaint* to staff member *recipient*."""
    subjects = {
        "reminder": N_("Complaint %(reference)s is due on %(date)s"),
        "overdue": N_("Complaint %(reference)s is overdue (was due on %(date)s)"),
    }
    params = {"reference": complaint.reference, "date": long_date(complaint.due_at, locale)}
    return mail_draft(
        recipient=recipient,
        subject=translate(locale, subjects[kind]) % params,
        template=f"complaints/{kind}",
        context={**_mail_context(ctx, complaint, locale), "admin_url": _admin_url(ctx, complaint)},
        locale=locale,
        dedupe_key=f"complaint:{complaint.id}:{kind}:{recipient}",
        site_id=ctx.site.id,
    )


def assignment_mail(ctx: Context, complaint: Complaint, recipient: str, locale: str) -> OutboxDraft:
    """Tell staff member *recipient* that *complaint* is now theirs."""
    params = {"reference": complaint.reference}
    return mail_draft(
        recipient=recipient,
        subject=translate(locale, N_("Complaint %(reference)s has been assigned to you")) % params,
        template="complaints/assigned",
        context={**_mail_context(ctx, complaint, locale), "admin_url": _admin_url(ctx, complaint)},
        locale=locale,
        dedupe_key=f"complaint:{complaint.id}:assigned:{recipient}:{ctx.now.isoformat()}",
        site_id=ctx.site.id,
    )


def _admin_url(ctx: Context, complaint: Complaint) -> str:
    base = ctx.settings.public_base.removesuffix(ctx.settings.url_prefix)
    return base + admin_path(ctx, complaint)
