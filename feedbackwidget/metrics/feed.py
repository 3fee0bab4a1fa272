"""The newest comments of a dashboard's sites, each with the score it came with (no HTTP here)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.models import Response
from ..responses.purposes import is_site_feedback
from .periods import Period, day_start

FEED_SIZE = 8


def latest_comments(db: Session, site_ids: Sequence[int], period: Period, limit: int = FEED_SIZE) -> list[Response]:
    """The *limit* newest responses of *period* that carry a comment, newest first."""
    query = select(Response).where(
        Response.site_id.in_(list(site_ids)), Response.comment.is_not(None), Response.comment != "",
        Response.created_at >= day_start(period.start), Response.created_at < day_start(period.end),
        is_site_feedback(),
    ).order_by(Response.created_at.desc(), Response.id.desc()).limit(limit)
    return list(db.scalars(query))
