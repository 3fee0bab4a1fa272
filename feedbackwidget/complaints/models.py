"""Complaints, their messages (internal notes, public replies) and their audit trail.

A complaint is found by the public by its ``reference`` (``FW-7KQ4-93ZD``) plus a
secret status token of which only the SHA-256 is stored.  Every change made to a
complaint, by whom and when, is one :class:`ComplaintEvent` row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, SmallInteger, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow

STATES: tuple[str, ...] = ("received", "in_progress", "resolved", "rejected")
OPEN_STATES: tuple[str, ...] = ("received", "in_progress")
CLOSED_STATES: tuple[str, ...] = ("resolved", "rejected")
CHANNELS: tuple[str, ...] = ("web", "phone", "email", "in_store", "survey")
STAFF_CHANNELS: tuple[str, ...] = ("phone", "email", "in_store", "web")
ESCALATION_LEVELS: tuple[int, ...] = (1, 2, 3)
VERDICTS: tuple[str, ...] = ("justified", "unfounded")
COMPENSATION_TYPES: tuple[str, ...] = ("refund", "voucher", "replacement", "none")
VISIBILITIES: tuple[str, ...] = ("internal", "public")


class Complaint(Base):
    """One customer's complaint to one site, from receipt to resolution."""

    __tablename__ = "fw_complaints"
    __table_args__ = (
        UniqueConstraint("site_id", "idempotency_key"),
        Index("ix_fw_complaints_site_received", "site_id", "received_at"),
        Index("ix_fw_complaints_status_due", "status", "due_at"),
        Index("ix_fw_complaints_themes_pending", "id", sqlite_where=text("themes_analysed_at IS NULL"),
              postgresql_where=text("themes_analysed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    status_token_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="received")
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str | None] = mapped_column(String(254), index=True)
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    order_number: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[str | None] = mapped_column(String(128))
    loyalty_tier: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    desired_resolution: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    # The version of the site's privacy policy the customer agreed to; None: not asked (staff intake).
    consent_policy_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[dt.datetime | None] = mapped_column()
    response_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("fw_responses.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="SET NULL"))
    escalation_level: Mapped[int] = mapped_column(SmallInteger, default=1)
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(16))
    root_cause: Mapped[str | None] = mapped_column(String(64))
    compensation_type: Mapped[str | None] = mapped_column(String(16))
    compensation_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    compensation_currency: Mapped[str | None] = mapped_column(String(3))
    reopen_count: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column()
    first_response_at: Mapped[dt.datetime | None] = mapped_column()
    # When it was last resolved or rejected (cleared on reopen).
    resolved_at: Mapped[dt.datetime | None] = mapped_column()
    reminder_sent_at: Mapped[dt.datetime | None] = mapped_column()
    overdue_notified_at: Mapped[dt.datetime | None] = mapped_column()
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set by the themes worker once the description is analysed (see feedbackwidget.themes.store).
    themes_analysed_at: Mapped[dt.datetime | None] = mapped_column()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class ComplaintMessage(Base):
    """An internal note (staff only) or a public reply (shown and e-mailed to the customer)."""

    __tablename__ = "fw_complaint_messages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("fw_complaints.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="SET NULL"))
    visibility: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ComplaintEvent(Base):
    """One entry of a complaint's audit trail: who changed what, when, from what to what.

    ``actor`` keeps the staff member's e-mail (or ``customer`` / ``system``) so the
    trail still reads after an account is deleted.
    """

    __tablename__ = "fw_complaint_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("fw_complaints.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
