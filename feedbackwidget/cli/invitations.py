"""Command line for invitations: ``invitations rule`` sets a site's rule, ``invitations send`` sends what is due."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..delivery.worker import WorkerSettings, drain
from ..core.state import get_state
from ..invitations.message import mail_question
from ..invitations.models import RULE_EVENTS
from ..invitations.rules import RuleChanges, RuleRefused, check_rule, set_rule
from ..invitations.runner import run_invitations
from ..invitations.timing import format_duration, parse_duration, parse_hours

#: Mails sent over one SMTP connection (the worker lowers it when the lease could not cover it).
SEND_BATCH = 100


@click.group("invitations")
def invitations_group() -> None:
    """E-mail invitations to a survey after an order."""


def _parsed(value: str, option: str) -> int:
    try:
        return parse_duration(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint=option) from err


@invitations_group.command("rule")
@click.argument("site_key")
@click.option("--survey", "slug", required=True, help="The survey's slug (an NPS or CSAT survey).")
@click.option("--on", "event", required=True, type=click.Choice(RULE_EVENTS), help="The order event to wait for.")
@click.option("--delay", required=True, help="Time after the event: 3d, 12h, 90m, or 0 (the next run).")
@click.option("--reminder", default=None, help="One reminder this long after the invitation, e.g. 4d.")
@click.option("--hours", default="9-20", show_default=True, help="Sending hours in the site's time zone; 0-24: any.")
@click.option("--sample", default=100, show_default=True, type=click.IntRange(0, 100),
              help="Per cent of the orders that get an invitation.")
@click.option("--off", is_flag=True, help="Keep the rule but send nothing under it.")
@with_appcontext
def rule_command(site_key: str, slug: str, event: str, delay: str, reminder: str | None, hours: str, sample: int,
                 off: bool) -> None:
    """Set the site's rule for SURVEY on an order EVENT (one rule per survey and event; this replaces it)."""
    site = get_state().sites.get(site_key)
    if site is None:
        raise click.BadParameter(f"no site has key {site_key!r}: see 'create-site'", param_hint="SITE_KEY")
    try:
        start, end = parse_hours(hours)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--hours") from err
    changes = RuleChanges(slug, event, _parsed(delay, "--delay"),
                          _parsed(reminder, "--reminder") if reminder else None, start, end, sample, not off)
    linkable = [s for s, survey in site.surveys.items() if mail_question(survey) is not None]
    try:
        check_rule(changes, site.surveys, linkable)
    except RuleRefused as err:
        raise click.BadParameter(str(err), param_hint=f"--{err.field}") from err
    session = get_state().session()
    set_rule(session, site.id, changes)
    session.commit()
    reminder_text = f", a reminder after {format_duration(changes.reminder_minutes)}" if changes.reminder_minutes else ""
    click.echo(f"{site_key}: survey {slug!r} {format_duration(changes.delay_minutes)} after {event}, "
               f"between {start}:00 and {end}:00, to {sample}% of the orders{reminder_text}"
               + (" (off)" if off else ""))


@invitations_group.command("send")
@with_appcontext
def send_command() -> None:
    """Schedule invitations from new order events and send those due now (one SMTP connection per batch)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    report = run_invitations(app)
    outcomes = drain(get_state().engine, WorkerSettings.for_app(app), limit=SEND_BATCH)
    click.echo(f"{report.scheduled.scheduled} scheduled, {report.sent.mailed} invitations and "
               f"{report.sent.reminded} reminders queued, {report.sent.skipped + report.scheduled.skipped} held back; "
               + (", ".join(f"{status}: {n}" for status, n in sorted(outcomes.items())) or "nothing to send"))
    for key in report.failed_sites:
        click.echo(f"site {key}: invitations failed, see the log", err=True)
    if report.failed_sites:
        raise SystemExit(1)

