"""``feedbackwidget complaints ...``: deadline reminders from cron or a systemd timer."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.state import get_state
from ..core.models import Site, utcnow
from ..sites import SiteConfig, load_site_config
from ..complaints.reminders import send_deadline_notices
from ..complaints.runtime import settings


@click.group("complaints")
def complaints_group() -> None:
    """Complaint handling."""


def _site_configs(session: Session) -> dict[int, SiteConfig | None]:
    # Read on the command's own session: a second connection would wait for its SQLite write lock.
    keys = session.scalars(select(Site.key)).all()
    configs = [load_site_config(session, key) for key in keys]
    return {config.id: config for config in configs if config is not None}


def _parse_now(text: str | None) -> dt.datetime:
    if not text:
        return utcnow()
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


@complaints_group.command("remind")
@click.option("--now", "now_text", default=None, help="Pretend it is this UTC time (ISO 8601), for trying it out.")
@with_appcontext
def remind_command(now_text: str | None) -> None:
    """Write a reminder for each complaint due soon and an overdue notice for each late one (once each)."""
    state = get_state()
    session = state.session()
    sites = _site_configs(session)
    counts = send_deadline_notices(session, _parse_now(now_text), settings(), sites.get, state.drafts_for)
    session.commit()
    click.echo(f"{counts.reminders} reminder(s) and {counts.overdue} overdue notice(s) written to the outbox")
