"""``feedbackwidget stats refresh``: sum the closed days into the roll-ups ahead of time.

Run it nightly (the maintenance timer or the standalone server's maintenance thread
does): a dashboard never sums closed days itself, it leaves out those not summed yet.
It works in small committed batches, so submissions do not wait for it.
"""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from ..core.state import get_state
from ..metrics.periods import utc_day_today
from ..metrics.rollup import KEEP_READY_DAYS, forget, refresh


@click.group("stats")
def stats_group() -> None:
    """Dashboard statistics (daily roll-ups of the responses)."""


@stats_group.command("refresh")
@click.option("--days", default=KEEP_READY_DAYS, show_default=True, help="How many past days to make sure of.")
@click.option("--rebuild", is_flag=True, help="Forget the stored sums first (e.g. after deleting responses).")
@with_appcontext
def refresh_command(days: int, rebuild: bool) -> None:
    """Sum every closed day of every site that is not summed yet."""
    state = get_state()
    if rebuild:
        session = state.session()
        forget(session)
        session.commit()
    today = utc_day_today()
    batches = refresh(state.engine, today - dt.timedelta(days=days), today)
    click.echo(f"statistics ready: {days} days up to {today.isoformat()}, {batches} batch(es) summed")
