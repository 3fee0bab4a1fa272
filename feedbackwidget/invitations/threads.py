"""Which invitation e-mail a response came from, so a reply to its customer threads under it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.models import OutboxMessage
from ..responses.replies import MailOrigin
from ..surveys.models import SurveyLink
from .models import Invitation


def invitation_mail_of(session: Session, response_id: int) -> MailOrigin | None:
    """The Message-ID and subject of the invitation e-mail whose link *response_id* answered, or None
    (the response came through the widget, a printed link, or the mail is no longer in the outbox)."""
    answered = select(SurveyLink.id).where(SurveyLink.response_id == response_id)
    invitation_id = session.scalar(select(Invitation.id).where(Invitation.link_id.in_(answered)).limit(1))
    if invitation_id is None:
        return None
    mail = session.execute(select(OutboxMessage.message_id, OutboxMessage.subject)
                           .where(OutboxMessage.dedupe_key == f"invitation-{invitation_id}")).first()
    return MailOrigin(mail.message_id, mail.subject) if mail is not None else None
