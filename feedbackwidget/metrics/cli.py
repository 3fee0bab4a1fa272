"""``feedbackwidget stats refresh``: sum the closed days into the roll-ups ahead of time.

Run it nightly (e.g. from the maintenance timer) so that nobody's morning dashboard
has to sum a day, or a year after an import, while they wait.
"""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extension import get_state
from ..models import Site
from .periods import utc_day_today
from .rollup import forget, refresh

DEFAULT_DAYS = 2 * 366  # a year and the year before it, which a yearly dashboard compares with


@click.group("stats")
def stats_group() -> None:
    """Dashboard statistics (daily roll-ups of the responses)."""


@stats_group.command("refresh")
@click.option("--days", default=DEFAULT_DAYS, show_default=True, help="How many past days to make sure of.")
@click.option("--rebuild", is_flag=True, help="Forget the stored sums first (e.g. after deleting responses).")
@with_appcontext
def refresh_command(days: int, rebuild: bool) -> None:
    """Sum every closed day of every site that is not summed yet."""
    session = get_state().session()
    if rebuild:
        forget(session)
        session.commit()
    today = utc_day_today()
    site_ids = list(session.scalars(select(Site.id)))
    refresh(session, site_ids, today - dt.timedelta(days=days), today)
    click.echo(f"statistics ready for {len(site_ids)} site(s), {days} days up to {today.isoformat()}")
