"""Invitations' tables: a site's settings and rules, each invitation, and the addresses never to mail.

An :class:`Invitation` is made once per (rule, order) from the order's events; it is
``scheduled`` until it is due, then ``mailed`` (its e-mail is in the outbox), or it ends
``skipped`` (with a ``reason``) or ``cancelled`` (the order was cancelled or refunded).
Whether it was sent, failed or answered is read from the outbox row and the survey
link it points at, never copied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow

#: The order events a rule may wait for (placing an order is too early to ask about it).
RULE_EVENTS: tuple[str, ...] = ("paid", "fulfilled", "delivered")
#: Events that cancel an order's invitation still waiting to go out (and its reminder).
CANCELLING_EVENTS: tuple[str, ...] = ("cancelled", "refunded")
STATUSES: tuple[str, ...] = ("scheduled", "mailed", "skipped", "cancelled")
#: Why an invitation was not mailed.
SKIP_REASONS: tuple[str, ...] = ("sample", "no_consent", "no_email", "suppressed", "fatigue", "survey_gone",
                                 "cancelled_order", "too_old")
SUPPRESSION_REASONS: tuple[str, ...] = ("unsubscribed", "bounced", "imported", "added")


class InvitationSettings(Base):
    """What a site decides for all its invitations; a site without a row has the defaults."""

    __tablename__ = "fw_invitation_settings"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    fatigue_days: Mapped[int] = mapped_column(SmallInteger, default=30)
    # Whether an order without marketing consent still gets a service survey.
    survey_without_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # {"hu": {"subject": "...", "introduction": "..."}}: a language the site did not write uses the default.
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The last order event (by id) the scheduler has read: it goes on from there.
    last_event_id: Mapped[int] = mapped_column(BigId, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InvitationRule(Base):
    """Which survey a site sends on which order event, after what delay, in which hours, to what share."""

    __tablename__ = "fw_invitation_rules"
    __table_args__ = (UniqueConstraint("site_id", "survey_slug", "event", name="uq_fw_invitation_rules_site_survey_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), index=True)
    survey_slug: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(16))
    delay_minutes: Mapped[int] = mapped_column(default=0)
    # None: no reminder.
    reminder_minutes: Mapped[int | None] = mapped_column()
    # Sending hours in the site's time zone: from the start of hours_start to the start of hours_end.
    hours_start: Mapped[int] = mapped_column(SmallInteger, default=9)
    hours_end: Mapped[int] = mapped_column(SmallInteger, default=20)
    sample_percent: Mapped[int] = mapped_column(SmallInteger, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Invitation(Base):
    """One e-mail asking one customer about one order, under one rule."""

    __tablename__ = "fw_invitations"
    __table_args__ = (
        UniqueConstraint("rule_id", "order_id", name="uq_fw_invitations_rule_order"),
        Index("ix_fw_invitations_due", "status", "due_at"),
        Index("ix_fw_invitations_reminder", "reminder_due_at"),
        Index("ix_fw_invitations_site_order", "site_id", "order_id"),
        Index("ix_fw_invitations_site_email", "site_id", "customer_email"),
        Index("ix_fw_invitations_site_customer", "site_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    rule_id: Mapped[int] = mapped_column(ForeignKey("fw_invitation_rules.id", ondelete="CASCADE"))
    survey_slug: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str] = mapped_column(String(128))
    order_event_id: Mapped[int] = mapped_column(BigId)
    customer_id: Mapped[str | None] = mapped_column(String(128))
    customer_email: Mapped[str | None] = mapped_column(String(254))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    reason: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[dt.datetime] = mapped_column()
    mailed_at: Mapped[dt.datetime | None] = mapped_column()
    reminder_due_at: Mapped[dt.datetime | None] = mapped_column()
    reminded_at: Mapped[dt.datetime | None] = mapped_column()
    link_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("fw_survey_links.id", ondelete="SET NULL"))
    # SHA-256 of the unsubscribe token in the e-mail (the token itself is only in the mail).
    unsubscribe_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Suppression(Base):
    """An address of a site that gets no invitation: unsubscribed, refused by its mail server, or listed."""

    __tablename__ = "fw_invitation_suppressions"
    __table_args__ = (UniqueConstraint("site_id", "email", name="uq_fw_invitation_suppressions_site_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
