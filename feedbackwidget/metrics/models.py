"""Daily roll-ups of the responses: what the dashboard reads instead of a year of rows.

``fw_stats_daily`` holds, per site, closed UTC day, dimension and value, the
sums every figure is made of.  ``fw_stats_days`` marks the (site, day) pairs
already rolled up (a day without responses has no sums but is done), and
``fw_stats_state`` the highest response id seen, so responses stored later with
an earlier date (imports, demo data) make their days be rolled up again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, BigId, utcnow

# The sums kept per row; see feedbackwidget.metrics.sql.MEASURES for their definitions.
MEASURE_NAMES: tuple[str, ...] = (
    "responses", "nps_total", "promoters", "detractors", "csat_total", "csat_excellent",
    "stock_total", "stock_no", "loyalty_total", "loyalty_sum", "loyalty_promoters", "loyalty_detractors",
)


class StatsDaily(Base):
    """Sums of one site's responses of one UTC day, grouped by one dimension's value."""

    __tablename__ = "fw_stats_daily"
    # On SQLite the rows are stored in primary-key order: a site's days are read in one sweep.
    __table_args__ = {"sqlite_with_rowid": False}

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    dim: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
    responses: Mapped[int] = mapped_column(default=0)
    nps_total: Mapped[int] = mapped_column(default=0)
    promoters: Mapped[int] = mapped_column(default=0)
    detractors: Mapped[int] = mapped_column(default=0)
    csat_total: Mapped[int] = mapped_column(default=0)
    csat_excellent: Mapped[int] = mapped_column(default=0)
    stock_total: Mapped[int] = mapped_column(default=0)
    stock_no: Mapped[int] = mapped_column(default=0)
    loyalty_total: Mapped[int] = mapped_column(default=0)
    loyalty_sum: Mapped[int] = mapped_column(default=0)
    loyalty_promoters: Mapped[int] = mapped_column(default=0)
    loyalty_detractors: Mapped[int] = mapped_column(default=0)


class StatsDay(Base):
    """A (site, day) whose roll-up rows are complete."""

    __tablename__ = "fw_stats_days"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StatsState(Base):
    """The highest response id the roll-ups have looked at (a single row, ``id`` 1)."""

    __tablename__ = "fw_stats_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_response_id: Mapped[int] = mapped_column(BigId, default=0)


class WidgetSeen(Base):
    """When a site's widget first fetched its config from one of the site's allowed origins, and from which:
    the setup checklist's "snippet installed and seen" (see :mod:`.sightings`)."""

    __tablename__ = "fw_widget_seen"

    site_id: Mapped[int] = mapped_column(ForeignKey("fw_sites.id", ondelete="CASCADE"), primary_key=True)
    origin: Mapped[str] = mapped_column(String(200))
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
