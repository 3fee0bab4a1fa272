"""Delivery's commands: ``send-outbox``, ``digest``, ``outbox failed|retry``, ``webhook add``, ``alerts``."""

from __future__ import annotations

import datetime as dt
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..core import config
from ..core.state import get_state
from ..core.models import Site, utcnow
from ..delivery import invalidate_delivery
from ..delivery.admin_outbox import count_by_status, list_failed, retry
from ..digest import PERIODS, enqueue_digests
from ..delivery.models import DIGEST_FREQUENCIES, RULE_KINDS, AlertRecipient, AlertRule
from ..delivery.rules import add_rule, set_recipient, set_rule_recipients
from ..delivery.webhooks import add_webhook
from ..delivery.sender import SENDER_JOBS_KEY
from ..delivery.worker import WorkerSettings, drain


@click.command("send-outbox")
@click.option("--loop", is_flag=True, help="Keep running, checking for messages every few seconds.")
@with_appcontext
def send_outbox_command(loop: bool) -> None:
    """Send the e-mails and webhooks waiting in the outbox (and the invitations that fell due)."""
    engine = get_state().engine
    settings = WorkerSettings.for_app(current_app)  # the command runs inside the app context
    interval = float(current_app.config[config.SENDER_INTERVAL_SECONDS])
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        while True:
            for job in get_state().extras.get(SENDER_JOBS_KEY, ()):
                job(app)
            outcomes = drain(engine, settings)
            if outcomes or not loop:
                click.echo(", ".join(f"{status}: {n}" for status, n in sorted(outcomes.items())) or "nothing to send")
            if not loop:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped; messages being sent are taken again when their lease ends")


@click.command("digest")
@click.option("--site", "site_key", default=None, help="Only this site's digest (default: every site).")
@click.option("--period", type=click.Choice(["all", *sorted(PERIODS)]), default="all", show_default=True,
              help="all: the daily digests and, once a week, the weekly ones (run it every day).")
@click.option("--now", "now_text", default=None, metavar="ISO-TIME",
              help="Write the digests as if it were this UTC time, e.g. 2026-11-16T06:00 (to catch up).")
@with_appcontext
def digest_command(site_key: str | None, period: str, now_text: str | None) -> None:
    """Write the digest of the last full day or week for the recipients who chose it (once each)."""
    try:
        now = dt.datetime.fromisoformat(now_text).replace(tzinfo=dt.timezone.utc) if now_text else utcnow()
    except ValueError as err:
        raise click.BadParameter("write it as 2026-11-16T06:00", param_hint="--now") from err
    for name in sorted(PERIODS) if period == "all" else [period]:
        written = enqueue_digests(get_state().engine, name, now, site_key)
        click.echo(f"{written} {name} digest(s) queued")


@click.group("outbox")
def outbox_group() -> None:
    """Messages that could not be delivered."""


@outbox_group.command("failed")
@with_appcontext
def outbox_failed_command() -> None:
    """List failed messages with their last error."""
    session = get_state().session()
    click.echo(", ".join(f"{s}: {n}" for s, n in sorted(count_by_status(session).items())) or "the outbox is empty")
    for message in list_failed(session):
        click.echo(f"#{message.id} {message.kind} to {message.recipient} after {message.attempts} attempt(s): "
                   f"{message.last_error}")


@outbox_group.command("retry")
@click.argument("message_id", type=int)
@with_appcontext
def outbox_retry_command(message_id: int) -> None:
    """Send failed message MESSAGE_ID again."""
    session = get_state().session()
    if not retry(session, message_id):
        raise click.BadParameter(f"message {message_id} is not a failed message: see 'outbox failed'")
    session.commit()
    click.echo(f"message {message_id} will be sent again")


def _site(key: str) -> Site:
    site = get_state().session().scalar(select(Site).where(Site.key == key))
    if site is None:
        raise click.BadParameter(f"no site has key {key!r}: see 'create-site'", param_hint="--site")
    return site


@click.command("webhook-add")
@click.option("--site", "site_key", required=True)
@click.option("--event", "events", multiple=True, help="Event to send (repeatable; default: every event).")
@click.argument("url")
@with_appcontext
def webhook_add_command(site_key: str, events: tuple[str, ...], url: str) -> None:
    """Add a webhook to a site after checking its URL; print its signing secret."""
    site, session = _site(site_key), get_state().session()
    kwargs = {"events": events} if events else {}
    session.commit()  # end the read transaction: on SQLite it would block writers during the URL check
    try:
        hook = add_webhook(session, site, url, **kwargs,  # type: ignore[arg-type]
                           allow_private=bool(current_app.config[config.ALLOW_PRIVATE_WEBHOOKS]),
                           timeout=float(current_app.config[config.WEBHOOK_TIMEOUT_SECONDS]))
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="URL") from err
    session.commit()
    invalidate_delivery(current_app._get_current_object(), site.id)  # type: ignore[attr-defined]
    click.echo(f"webhook {hook.id}: {hook.url} ({', '.join(hook.events)})")
    click.echo(f"signing secret (verify X-Feedbackwidget-Signature with it): {hook.secret}")


@click.command("alerts")
@click.option("--site", "site_key", required=True)
@click.option("--rule", "rule_id", type=int, help="Replace this rule's recipients with the --email values.")
@click.option("--email", "emails", multiple=True, help="Recipient (repeatable).")
@click.option("--locale", type=click.Choice(["en", "hu", "zh"]), help="Language of the --email recipients' mails.")
@click.option("--digest", type=click.Choice(DIGEST_FREQUENCIES), help="Digest frequency of the --email recipients.")
@click.option("--add", "add_kind", type=click.Choice(RULE_KINDS), help="Add a rule of this kind for the --email values.")
@click.option("--survey", "survey_slug", help="With --add: watch only this survey.")
@click.option("--threshold", type=click.IntRange(0, 10), help="With --add: the score at or below which to alert.")
@with_appcontext
def alerts_command(site_key: str, rule_id: int | None, emails: tuple[str, ...], locale: str | None,
                   digest: str | None, add_kind: str | None, survey_slug: str | None, threshold: int | None) -> None:
    """Show a site's alert rules; add one, change a rule's recipients, or their language and digest."""
    site, session = _site(site_key), get_state().session()
    try:
        if add_kind is not None:
            add_rule(session, site, add_kind, emails, survey_slug=survey_slug, threshold=threshold)
        if rule_id is not None:
            set_rule_recipients(session, site, rule_id, emails)
        for email in emails if locale or digest else ():
            set_recipient(session, site, email, locale=locale, digest=digest)
    except (ValueError, LookupError) as err:
        raise click.BadParameter(str(err)) from err
    session.commit()
    invalidate_delivery(current_app._get_current_object(), site.id)  # type: ignore[attr-defined]
    for rule in session.scalars(select(AlertRule).where(AlertRule.site_id == site.id).order_by(AlertRule.id)):
        scope = f" on survey {rule.survey_slug}" if rule.survey_slug else ""
        limit = f" {rule.threshold}" if rule.threshold is not None else ""
        click.echo(f"rule {rule.id}: {rule.kind}{limit}{scope} -> {', '.join(rule.recipients) or 'nobody'}")
    for recipient in session.scalars(select(AlertRecipient).where(AlertRecipient.site_id == site.id)):
        click.echo(f"{recipient.email}: language {recipient.locale}, digest {recipient.digest}")


COMMANDS = (send_outbox_command, digest_command, outbox_group, webhook_add_command, alerts_command)
