"""The admin area's own tables: login sessions, failed-login throttling, follow-ups and replies.

Also the extra indexes of ``fw_responses`` that the dashboard's figures need
(declared here so the metadata, and so the migration check, knows them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, Response, utcnow


class AdminSession(Base):
    """A logged-in browser; ``id`` is the SHA-256 of the random token in its cookie."""

    __tablename__ = "fw_admin_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The browser's User-Agent (cut short), so the account page can tell the owner's devices apart.
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class LoginThrottle(Base):
    """Failed logins counted for one subject: an account (known or not) or a client network.

    ``key`` is ``account:<hash of the e-mail>`` or ``address:<keyed hash of the network>``: no
    address and no guessed e-mail is stored in the clear.  Counting happens in single
    ``INSERT ... ON CONFLICT DO UPDATE`` statements, so concurrent guesses never lose a count.
    """

    __tablename__ = "fw_admin_login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    # A network's window runs from its first failure; an account's from its latest attempt.
    window_started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # An account's next attempt is refused before this time (the growing per-account delay).
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ResponseFollowUp(Base):
    """A response somebody has followed up (called the customer back, answered...)."""

    __tablename__ = "fw_response_follow_ups"

    response_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("fw_responses.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="SET NULL"))
    followed_up_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ResponseReply(Base):
    """An e-mail a manager sent to the customer of a response (see :mod:`feedbackwidget.responses.replies`).

    ``message_id`` is that of its outbox message, so the next reply threads under it;
    ``author_email`` keeps who sent it when the account is gone.
    """

    __tablename__ = "fw_response_replies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("fw_responses.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="SET NULL"))
    author_email: Mapped[str] = mapped_column(String(254))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    message_id: Mapped[str] = mapped_column(String(200))
    outbox_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("fw_outbox.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


_responses = Response.__table__
# The dashboard's figures read only these columns for a site and period, so the
# scan never touches the table itself (a covering index on both databases).
SCORES_INDEX = Index(
    "ix_fw_responses_site_created_scores",
    _responses.c.site_id, _responses.c.created_at, _responses.c.nps_score, _responses.c.csat,
    _responses.c.in_stock, _responses.c.loyalty_score, _responses.c.loyalty_tier,
)
