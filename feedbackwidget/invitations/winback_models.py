"""The outcome of each win-back phone call: who called whom, when, and how it went."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow

OUTCOMES: tuple[str, ...] = ("reached", "not_reached", "won_back")


class WinbackCall(Base):
    """One call to one customer (known by e-mail) of a site; the latest is the customer's state."""

    __tablename__ = "fw_winback_calls"
    __table_args__ = (Index("ix_fw_winback_calls_site_email", "site_id", "email"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # Kept as text so the record still reads after the account is deleted.
    called_by: Mapped[str] = mapped_column(String(254))
    called_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
