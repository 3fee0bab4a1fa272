"""Receiving a complaint: storing it with its reference, deadline, audit entry and mails.

:func:`receive_complaint` is the one way in, whatever the channel: it writes the
complaint, the first audit entry, the customer's acknowledgement and the
``complaint.created`` messages of the delivery hooks in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..delivery.outbox import enqueue
from ..core.i18n import negotiate_locale
from ..core.models import Response
from .audit import record
from .context import Context
from .deadlines import due_at
from .models import Complaint
from .notifications import acknowledgement, event_drafts
from .references import new_reference, new_status_token, token_hash
from .validation import ComplaintInput

REFERENCE_ATTEMPTS = 5


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used with a different body."""


class UnknownResponse(ValueError):
    """The survey response to follow up does not exist or belongs to another site."""


@dataclass(frozen=True)
class Received:
    """A stored complaint; ``status_token`` is None when it is a replay (the token is not kept)."""

    complaint: Complaint
    status_token: str | None
    replayed: bool = False


@dataclass(frozen=True)
class Origin:
    """How a complaint came in."""

    channel: str
    locale: str | None = None
    idempotency_key: str | None = None
    body_hash: str | None = None
    response_id: int | None = None


def _existing(ctx: Context, origin: Origin) -> Complaint | None:
    if origin.idempotency_key is None:
        return None
    found = ctx.session.scalar(
        select(Complaint).where(Complaint.site_id == ctx.site.id, Complaint.idempotency_key == origin.idempotency_key)
    )
    if found is not None and found.body_hash != origin.body_hash:
        raise IdempotencyConflict(origin.idempotency_key)
    return found


def _new_complaint(ctx: Context, data: ComplaintInput, origin: Origin) -> Complaint:
    consent = data.consent
    return Complaint(
        site_id=ctx.site.id, channel=origin.channel, status="received",
        customer_name=data.name, customer_email=data.email, customer_phone=data.phone,
        order_number=data.order_number, customer_id=data.customer_id, loyalty_tier=data.loyalty_tier,
        category=data.category, description=data.description, desired_resolution=data.desired_resolution,
        locale=negotiate_locale([origin.locale], ctx.site.default_locale),
        consent_policy_version=str(ctx.site.settings.get("privacy_policy_version") or "1") if consent else None,
        consent_at=ctx.now if consent else None,
        response_id=origin.response_id, created_by_id=ctx.actor.id,
        escalation_level=1, reopen_count=0, received_at=ctx.now,
        due_at=due_at(ctx.now, ctx.settings.deadline_days), updated_at=ctx.now,
        idempotency_key=origin.idempotency_key, body_hash=origin.body_hash,
    )


def _insert(ctx: Context, complaint: Complaint, origin: Origin) -> Complaint | None:
    """Insert with a fresh reference, retrying on the (rare) collision; None if a twin won the race."""
    for _ in range(REFERENCE_ATTEMPTS):
        complaint.reference = new_reference()
        try:
            with ctx.session.begin_nested():
                ctx.session.add(complaint)
        except IntegrityError:
            if _existing(ctx, origin) is not None:
                return None
            continue
        return complaint
    raise RuntimeError("could not find a free complaint reference: check the fw_complaints table")


def receive_complaint(ctx: Context, data: ComplaintInput, origin: Origin) -> Received:
    """Store a new complaint (or replay the one stored under the same Idempotency-Key).

    :raises IdempotencyConflict: when that key was used with another body.
    """
    existing = _existing(ctx, origin)
    if existing is not None:
        return Received(existing, None, replayed=True)
    token = new_status_token()
    complaint = _new_complaint(ctx, data, origin)
    complaint.status_token_hash = token_hash(token)
    if _insert(ctx, complaint, origin) is None:
        return Received(_existing(ctx, origin) or complaint, None, replayed=True)
    record(ctx, complaint, "received", "channel", None, origin.channel)
    if origin.response_id is not None:
        record(ctx, complaint, "linked_response", "response_id", None, origin.response_id)
    ack = acknowledgement(ctx, complaint, token)
    drafts = [*([ack] if ack else []), *event_drafts(ctx, "complaint.created", complaint)]
    enqueue(ctx.session.connection(), drafts)
    return Received(complaint, token)


def response_for_follow_up(ctx: Context, response_id: int) -> Response:
    """The survey response of this site that staff turn into a complaint.

    :raises UnknownResponse: when it does not exist or belongs to another site.
    """
    response = ctx.session.get(Response, response_id)
    if response is None or response.site_id != ctx.site.id:
        raise UnknownResponse(f"survey response {response_id} does not exist for this site: pick one from its list")
    return response
