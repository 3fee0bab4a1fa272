"""Closing the loop: a manager's e-mail reply to the customer of a response, and its follow-up mark.

A reply is written in the customer's language (the response's locale); the mail's own
words (greeting line, footer) are rendered in it too.  It goes through the outbox like
every other mail, threaded: ``In-Reply-To`` and ``References`` name the invitation e-mail
the response came from (when it came from one) and the replies sent before, and
``Reply-To`` names the site's alert recipients, so a customer who answers reaches a
person.  Sending a reply marks the response followed up.  Plain functions: the caller
commits; rendering needs an app context (the mail templates), never a request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import ResponseFollowUp, ResponseReply
from ..core.addresses import AddressError, parse_address
from ..core.i18n import N_, negotiate_locale, translate
from ..core.models import AdminUser, OutboxMessage, Response, Site
from ..delivery.mail import header_safe, mail_draft
from ..delivery.outbox import enqueue
from ..sites.replies_to import reply_to_headers
from ..sites.saved_replies import SavedReply, fill
from ..surveys.models import SurveyLink

BODY_MAX_LENGTH = 10_000
SUBJECT_MAX_LENGTH = 200
#: How many earlier Message-IDs ``References`` keeps (the first and the latest, as RFC 5322 suggests).
REFERENCES_KEPT = 10
DEFAULT_SUBJECT = N_("Your feedback to %(site)s")
REPLY_PREFIX = "Re: "


class ReplyError(ValueError):
    """A reply that cannot go; ``field`` is the form field at fault, the message an English msgid."""

    def __init__(self, field: str, message: str, address_error: AddressError | None = None) -> None:
        super().__init__(message)
        self.field, self.message, self.address_error = field, message, address_error

    def text(self, translate: Callable[[str], str]) -> str:
        """The message (and what is wrong with the address) in the language of *translate*."""
        details = self.address_error.messages(translate) if self.address_error else []
        return " ".join([translate(self.message), *details])


@dataclass(frozen=True)
class MailOrigin:
    """The e-mail a response answered (an invitation): threads the first reply under it."""

    message_id: str
    subject: str


@dataclass(frozen=True)
class Customer:
    """Who answered: as the response and the survey link it came through know them."""

    name: str | None
    email: str | None
    order: str | None


@dataclass(frozen=True)
class ReplyDraft:
    """What the manager wrote."""

    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class ThreadEntry:
    """A reply as the response page shows it, with its outbox message's state (None: purged)."""

    reply: ResponseReply
    delivery: str | None


def customer_of(session: Session, response: Response) -> Customer:
    """The customer of *response*: the link's name, e-mail and order, the response's e-mail first."""
    link = session.scalars(select(SurveyLink).where(SurveyLink.response_id == response.id).limit(1)).first()
    email = response.customer_email or (link.customer_email if link else None)
    return Customer(name=link.customer_name if link else None, email=email,
                    order=link.order_reference if link else None)


def filled_saved_reply(reply: SavedReply, customer: Customer) -> str:
    """*reply* for *customer*: their name, and their order as both the reference and the order."""
    return fill(reply, name=customer.name, reference=customer.order, order=customer.order)


def replies_of(session: Session, response_id: int) -> list[ResponseReply]:
    """The replies sent to the customer of *response_id*, oldest first."""
    return list(session.scalars(select(ResponseReply).where(ResponseReply.response_id == response_id)
                                .order_by(ResponseReply.created_at, ResponseReply.id)))


def thread_of(session: Session, response_id: int) -> list[ThreadEntry]:
    """The replies of *response_id* with whether each mail went (``pending``, ``sent``, ``failed``)."""
    rows = session.execute(
        select(ResponseReply, OutboxMessage.status).outerjoin(OutboxMessage, OutboxMessage.id == ResponseReply.outbox_id)
        .where(ResponseReply.response_id == response_id).order_by(ResponseReply.created_at, ResponseReply.id))
    return [ThreadEntry(reply, status) for reply, status in rows]


def default_subject(locale: str, site_name: str, origin: MailOrigin | None, earlier: Sequence[ResponseReply]) -> str:
    """The subject a new reply starts with: that of the thread, with ``Re:``, or a fresh one."""
    previous = earlier[0].subject if earlier else (origin.subject if origin else None)
    if previous:
        return previous if previous.startswith(REPLY_PREFIX) else REPLY_PREFIX + previous
    return translate(negotiate_locale([locale], "en"), DEFAULT_SUBJECT) % {"site": site_name}


def thread_headers(origin: MailOrigin | None, earlier: Sequence[ResponseReply]) -> dict[str, str]:
    """``In-Reply-To`` and ``References`` of the next reply (none when it starts the thread)."""
    chain = [origin.message_id] if origin else []
    chain += [reply.message_id for reply in earlier]
    if not chain:
        return {}
    kept = chain if len(chain) <= REFERENCES_KEPT else [chain[0], *chain[-(REFERENCES_KEPT - 1):]]
    return {"In-Reply-To": chain[-1], "References": " ".join(kept)}


def checked(draft: ReplyDraft) -> ReplyDraft:
    """*draft* tidied: the address normalised, the subject on one line, the text trimmed.

    :raises ReplyError: for a missing or undeliverable address, an empty subject or text, or one too long.
    """
    if not draft.recipient.strip():
        raise ReplyError("recipient", N_("Give the customer's e-mail address: the response has none."))
    try:
        recipient = parse_address(draft.recipient)
    except AddressError as err:
        raise ReplyError("recipient", N_("The reply cannot go to this address."), err) from err
    subject, body = header_safe(draft.subject), draft.body.replace("\r\n", "\n").strip()
    if not subject or len(subject) > SUBJECT_MAX_LENGTH:
        raise ReplyError("subject", N_("Give the e-mail a subject of 1 to 200 characters."))
    if not body or len(body) > BODY_MAX_LENGTH:
        raise ReplyError("body", N_("Write a reply of 1 to 10,000 characters."))
    return ReplyDraft(recipient, subject, body)


def mark_followed_up(session: Session, response_id: int, user_id: int | None, now: dt.datetime) -> bool:
    """Mark *response_id* followed up by *user_id* at *now*; False when it already was (its time stays)."""
    if session.get(ResponseFollowUp, response_id) is not None:
        return False
    session.add(ResponseFollowUp(response_id=response_id, user_id=user_id, followed_up_at=now))
    return True


def undo_follow_up(session: Session, response_id: int) -> bool:
    """Take the follow-up mark off *response_id*; False when it had none."""
    existing = session.get(ResponseFollowUp, response_id)
    if existing is not None:
        session.delete(existing)
    return existing is not None


def _mail_context(site: Site, response: Response, customer: Customer, body: str) -> dict[str, object]:
    return {"body": body, "site_name": site.name, "name": customer.name, "comment": response.comment,
            "answered_on": response.created_at.date().isoformat(), "order": customer.order}


def send_reply(session: Session, site: Site, response: Response, author: AdminUser, draft: ReplyDraft, *,
               origin: MailOrigin | None, now: dt.datetime) -> ResponseReply:
    """Queue *draft* to the customer of *response* in the outbox and keep it on the response; mark the
    response followed up.  *origin* is the invitation e-mail the response came from, if any.

    :raises ReplyError: see :func:`checked`.
    """
    draft = checked(draft)
    earlier = replies_of(session, response.id)
    locale = negotiate_locale([response.locale], site.default_locale)
    mail = mail_draft(recipient=draft.recipient, subject=draft.subject, template="response_reply", locale=locale,
                      context=_mail_context(site, response, customer_of(session, response), draft.body),
                      dedupe_key=f"response:{response.id}:reply:{secrets.token_hex(8)}", site_id=site.id)
    headers = {**thread_headers(origin, earlier), **reply_to_headers(site.alert_emails)}
    enqueue(session.connection(), [dataclasses.replace(mail, payload={**mail.payload, "headers": headers})])
    queued = session.execute(select(OutboxMessage.id, OutboxMessage.message_id)
                             .where(OutboxMessage.dedupe_key == mail.dedupe_key)).one()
    reply = ResponseReply(response_id=response.id, author_id=author.id, author_email=author.email,
                          recipient=draft.recipient, subject=draft.subject, body=draft.body, locale=locale,
                          message_id=queued.message_id, outbox_id=queued.id, created_at=now)
    session.add(reply)
    mark_followed_up(session, response.id, author.id, now)
    return reply
