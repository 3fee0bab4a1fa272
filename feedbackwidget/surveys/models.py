"""Survey links: one row per link sent to a customer (an e-mail's survey link, later an invitation).

The link itself carries only a random token; what it is about (site, survey, order,
customer) stays here, so a link shows nothing personal to whoever reads it.  Only the
token's SHA-256 is stored.  ``response_id`` is the one answer the link gave: a second
visit changes that answer instead of adding another.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow

#: Where a link was sent from: printed by the CLI (``link``), a legacy signed link (``legacy``), an e-mail invitation.
CHANNELS: tuple[str, ...] = ("link", "legacy", "email")


class SurveyLink(Base):
    """A private link to a site's hosted survey, for one customer and order, until ``expires_at``."""

    __tablename__ = "fw_survey_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), index=True)
    survey_slug: Mapped[str] = mapped_column(String(64))
    order_reference: Mapped[str | None] = mapped_column(String(128))
    customer_id: Mapped[str | None] = mapped_column(String(128))
    customer_email: Mapped[str | None] = mapped_column(String(254), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16), default="link")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column()
    response_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("fw_responses.id", ondelete="SET NULL"), unique=True)
