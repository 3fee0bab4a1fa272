"""Delivery's tables: alert rules, their recipients' preferences, and webhooks.

An :class:`AlertRule` says *when* to alert (a kind such as ``nps_at_or_below``,
optionally for one survey) and *whom* (``recipients``, a list of addresses).
An :class:`AlertRecipient` row holds what each address of a site prefers: the
language of its mails and how often it gets the digest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, utcnow

RULE_KINDS: tuple[str, ...] = (
    "nps_at_or_below", "csat_bad", "stock_no", "loyalty_at_or_below", "complaint_new", "complaint_overdue",
)
# Kinds that compare a score with the rule's threshold, and the threshold a new rule gets.
THRESHOLD_KINDS: dict[str, int] = {"nps_at_or_below": 6, "loyalty_at_or_below": 6}
DIGEST_FREQUENCIES: tuple[str, ...] = ("none", "daily", "weekly")
WEBHOOK_EVENTS: tuple[str, ...] = ("response.created", "complaint.created", "complaint.updated")


class AlertRule(Base):
    """When to alert whom on a site: ``kind`` (see :data:`RULE_KINDS`), optionally one survey."""

    __tablename__ = "fw_alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), index=True)
    # The slug of the one survey the rule watches; None watches every survey.
    survey_slug: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[int | None] = mapped_column(SmallInteger)
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AlertRecipient(Base):
    """What one address prefers on one site: mail language and digest frequency."""

    __tablename__ = "fw_alert_recipients"
    __table_args__ = (UniqueConstraint("site_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    digest: Mapped[str] = mapped_column(String(8), default="weekly")


class Webhook(Base):
    """A URL of a site that receives signed JSON POSTs for ``events``."""

    __tablename__ = "fw_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(128))
    events: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
