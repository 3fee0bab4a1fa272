"""Orders as the shop reports them, and the secrets that prove a report comes from the shop.

An order is known only through its events (``placed``, ``paid``, ``fulfilled``, ...):
one :class:`OrderEvent` row per (site, order id, event), each with the customer as
the shop knew them at that moment.  A repeat of the same event is never stored
twice, whichever way it came (API, Shopify, WooCommerce, CSV).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow


EVENTS: tuple[str, ...] = ("placed", "paid", "fulfilled", "delivered", "cancelled", "refunded")
SOURCES: tuple[str, ...] = ("api", "shopify", "woocommerce", "csv")
PLATFORMS: tuple[str, ...] = ("shopify", "woocommerce")


class StoredOrderEvent(Base):
    """One thing that happened to one order of a site, stored once."""

    __tablename__ = "fw_order_events"
    __table_args__ = (
        UniqueConstraint("site_id", "order_id", "event", name="uq_fw_order_events_site_order_event"),
        # A platform's delivery id (Shopify's X-Shopify-Webhook-Id): a redelivery is known at once.
        UniqueConstraint("site_id", "source", "delivery_id", name="uq_fw_order_events_site_source_delivery"),
        Index("ix_fw_order_events_site_id_id", "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(128))
    event: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[dt.datetime] = mapped_column()
    source: Mapped[str] = mapped_column(String(16))
    delivery_id: Mapped[str | None] = mapped_column(String(128))
    customer_id: Mapped[str | None] = mapped_column(String(128), index=True)
    customer_email: Mapped[str | None] = mapped_column(String(254), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_language: Mapped[str | None] = mapped_column(String(35))
    loyalty_tier: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(64))
    # None: the shop did not say; invitations treat it as no consent.
    marketing_consent: Mapped[bool | None] = mapped_column(Boolean)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OrderApiSecret(Base):
    """A site's one secret for the orders endpoint; only its SHA-256 is kept.

    The secret is 256 random bits, so a fast hash is as safe as a slow one and costs
    nothing per request; a new one replaces the row, and the old one stops working.
    """

    __tablename__ = "fw_order_api_secrets"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The first characters, so that an owner can tell which secret a server holds.
    prefix: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlatformSecret(Base):
    """The signing secret a shop platform (Shopify, WooCommerce) signs its webhooks with.

    Kept readable, as the outgoing webhooks' secrets are: checking an HMAC needs the
    secret itself, not a hash of it.
    """

    __tablename__ = "fw_order_platform_secrets"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    secret: Mapped[str] = mapped_column(String(256))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
