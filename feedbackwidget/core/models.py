"""The foundation's tables: sites, surveys, responses, admin users and the outbox.

Plain SQLAlchemy 2.0 typed declarative models on feedbackwidget's own
:class:`~sqlalchemy.MetaData`, every table prefixed ``fw_`` so they sit beside a
host app's tables without clashing.  The schema itself is created by the Alembic
migrations shipped in :mod:`feedbackwidget.migrations`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an INTEGER PRIMARY KEY, so big ids are BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no time zone, so values are normalised to UTC on the way in and
    marked UTC on the way out: comparisons behave the same on every database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given: pass a timezone-aware UTC datetime")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of every feedbackwidget model, on its own metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class Site(Base):
    """A shop or website that embeds the widget, known to it by its public ``key``."""

    __tablename__ = "fw_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    allowed_origins: Mapped[list[Any]] = mapped_column(default=list)
    default_locale: Mapped[str] = mapped_column(String(8), default="en")
    alert_emails: Mapped[list[Any]] = mapped_column(default=list)
    # Widget look, complaint categories, privacy policy, retention: see sites.SiteSettings.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Survey(Base):
    """A survey of a site: its ordered questions (with per-locale texts) and triggers."""

    __tablename__ = "fw_surveys"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(32))
    questions: Mapped[list[Any]] = mapped_column(default=list)
    triggers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Response(Base):
    """One visitor's answers to a survey.

    The primary score of each kind (NPS, CSAT, in stock, loyalty) is copied into
    its own indexed column so that dashboards aggregate without reading JSON.
    """

    __tablename__ = "fw_responses"
    __table_args__ = (
        UniqueConstraint("site_id", "idempotency_key"),
        Index("ix_fw_responses_site_created", "site_id", "created_at"),
        Index("ix_fw_responses_survey_created", "survey_id", "created_at"),
        Index("ix_fw_responses_themes_pending", "id", sqlite_where=text("themes_analysed_at IS NULL"),
              postgresql_where=text("themes_analysed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("fw_surveys.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    nps_score: Mapped[int | None] = mapped_column(SmallInteger)
    csat: Mapped[str | None] = mapped_column(String(16))
    in_stock: Mapped[bool | None] = mapped_column(Boolean)
    loyalty_score: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    page_url: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[str | None] = mapped_column(String(128), index=True)
    customer_email: Mapped[str | None] = mapped_column(String(254), index=True)
    loyalty_tier: Mapped[str | None] = mapped_column(String(32))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set by the themes worker once the free text is analysed (see feedbackwidget.themes.store).
    themes_analysed_at: Mapped[dt.datetime | None] = mapped_column()
    # None: the site's own feedback; "complaint_handling": the survey after a complaint (see responses.purposes).
    purpose: Mapped[str | None] = mapped_column(String(32))


class AdminUser(Base):
    """A person who may log in to the admin area; ``is_superuser`` sees every site."""

    __tablename__ = "fw_admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # How colleagues read this person ("Anna"); None: from the e-mail address (see accounts.display_name).
    display_name: Mapped[str | None] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SiteMembership(Base):
    """A user's role on one site: ``owner``, ``manager`` or ``viewer``."""

    __tablename__ = "fw_site_memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("fw_admin_users.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))


class OutboxMessage(Base):
    """A message (e-mail or webhook) to deliver, written in the same transaction as its cause.

    ``dedupe_key`` makes enqueueing idempotent; ``message_id`` is fixed at enqueue
    time so a resend after a crash carries the same Message-ID.
    """

    __tablename__ = "fw_outbox"
    __table_args__ = (Index("ix_fw_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # An e-mail's MIME without From, written once when queued (see delivery.mime); None: built when sent.
    rendered: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()


# Areas that keep their models in modules of their own; listed here so that the
# metadata (for migrations and tests) is complete whichever area was imported.
AREA_MODEL_MODULES: tuple[str, ...] = (
    "feedbackwidget.delivery.models", "feedbackwidget.complaints.models", "feedbackwidget.accounts.models",
    "feedbackwidget.metrics.models", "feedbackwidget.surveys.models", "feedbackwidget.sites.refusals",
    "feedbackwidget.orders.models", "feedbackwidget.themes.models", "feedbackwidget.invitations.models",
    "feedbackwidget.invitations.winback_models",
)


def load_all_models() -> None:
    """Import every area's models onto :data:`Base.metadata`."""
    for module in AREA_MODEL_MODULES:
        importlib.import_module(module)
