"""The stored themes of responses and complaints, the sites waiting for a rebuild, emerging topics.

A response's themes are stored one row per theme, with the few response columns the
drivers count by (the day it came in and its scores) copied alongside, so the
dashboard's theme panels read one index and join nothing. Which responses and
complaints were analysed is kept on their own rows (``themes_analysed_at``), so a
submission stays a single INSERT and the worker finds new texts through a small
partial index.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow


class ResponseTheme(Base):
    """One theme of one response (``delivery``, ``price`` ...)."""

    __tablename__ = "fw_response_themes"
    __table_args__ = (
        Index("ix_fw_response_themes_site_theme", "site_id", "theme_key"),
        # Covers the drivers' query: site and period, then theme and scores, from the index alone.
        Index("ix_fw_response_themes_site_created", "site_id", "created_at", "theme_key", "nps_score", "csat"),
    )

    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("fw_responses.id", ondelete="CASCADE"),
                                             primary_key=True)
    theme_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column()
    nps_score: Mapped[int | None] = mapped_column(SmallInteger)
    csat: Mapped[str | None] = mapped_column(String(16))
    # Where the theme matched, stored by the worker so the dashboard's examples compile nothing:
    # JSON ``{"text": index in response_texts(), "language": ..., "spans": [[start, end], ...], "words": [...]}``.
    matched: Mapped[str | None] = mapped_column(Text)


class ComplaintTheme(Base):
    """One theme of one complaint's description."""

    __tablename__ = "fw_complaint_themes"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("fw_complaints.id", ondelete="CASCADE"), primary_key=True)
    theme_key: Mapped[str] = mapped_column(String(40), primary_key=True)


class ThemeRebuild(Base):
    """A site whose stored themes are being recomputed (after an edit of its themes).

    The worker walks the site's responses and complaints by id from the cursors, so a
    rebuild of a million rows is many short transactions, never one long UPDATE.
    """

    __tablename__ = "fw_theme_rebuilds"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    response_cursor: Mapped[int] = mapped_column(BigId, default=0)
    complaint_cursor: Mapped[int] = mapped_column(default=0)


class ThemeDaily(Base):
    """The stored themes of responses summed per site, UTC day and theme (the drivers' closed days).

    Kept by the worker: each batch it stores sums its days again from
    ``fw_response_themes`` (:func:`feedbackwidget.themes.daily.refresh_days`), so the
    sums are idempotent; answers counted by NPS band and CSAT rating.
    """

    __tablename__ = "fw_theme_daily"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    theme_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer)
    detractors: Mapped[int] = mapped_column(Integer)
    passives: Mapped[int] = mapped_column(Integer)
    promoters: Mapped[int] = mapped_column(Integer)
    bad: Mapped[int] = mapped_column(Integer)
    good: Mapped[int] = mapped_column(Integer)
    excellent: Mapped[int] = mapped_column(Integer)


class EmergingTopic(Base):
    """One emerging topic of a site: a phrase its customers repeat that no theme covers.

    Worked out by the worker (:mod:`feedbackwidget.themes.topics`), never in a request;
    the admin only reads these rows. ``examples`` holds a few ``{"response_id": ...,
    "text": excerpt}`` of the comments the phrase came from.
    """

    __tablename__ = "fw_emerging_topics"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    phrase: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(Integer)
    examples: Mapped[list[Any]] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column()


class EmergingTopicRun(Base):
    """When a site's emerging topics were last worked out, and from what.

    A row with no topics means "worked out, nothing new"; no row, "not worked out yet".
    ``taxonomy_hash`` is the hash of the site's theme edits then (an edit changes what no
    theme covers), ``through_response_id`` the newest response analysed then.
    """

    __tablename__ = "fw_emerging_topic_runs"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[dt.datetime] = mapped_column()
    taxonomy_hash: Mapped[str] = mapped_column(String(64))
    through_response_id: Mapped[int] = mapped_column(BigId, default=0)
    texts: Mapped[int] = mapped_column(Integer, default=0)
