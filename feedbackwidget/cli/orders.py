"""Command line for orders: ``api-secret``, ``hooks secret`` and ``orders import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.state import get_state
from ..core.models import Site, utcnow
from ..core.public_url import public_base_url
from ..orders.credentials import new_api_secret, set_platform_secret
from ..orders.csv_import import UnreadableFile, decode_upload, import_orders
from ..orders.models import PLATFORMS


def _site(session: Session, key: str) -> Site:
    site = session.scalar(select(Site).where(Site.key == key))
    if site is None:
        raise click.BadParameter(f"no site has key {key!r}: see 'create-site'", param_hint="SITE_KEY")
    return site


@click.command("api-secret")
@click.argument("site_key")
@with_appcontext
def api_secret_command(site_key: str) -> None:
    """Create a new API secret for the site's orders endpoint; the previous one stops working."""
    session = get_state().session()
    secret = new_api_secret(session, _site(session, site_key).id, created_by="command line")
    session.commit()
    click.echo(f"API secret (shown only now; send it as 'Authorization: Bearer ...'): {secret}")


@click.group("hooks")
def hooks_group() -> None:
    """The shop platforms' order webhooks (Shopify, WooCommerce)."""


@hooks_group.command("secret")
@click.argument("site_key")
@click.argument("platform", type=click.Choice(PLATFORMS))
@click.argument("secret")
@with_appcontext
def hooks_secret_command(site_key: str, platform: str, secret: str) -> None:
    """Store the signing secret PLATFORM signs the site's order webhooks with ('-': read it from
    standard input, so that it stays out of the shell's history)."""
    if secret == "-":
        secret = sys.stdin.readline()
    session = get_state().session()
    try:
        set_platform_secret(session, _site(session, site_key).id, platform, secret)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="SECRET") from err
    session.commit()
    base = public_base_url(current_app).url
    click.echo(f"{platform} signing secret stored; send the order webhooks to {base}/hooks/{platform}/{site_key}")


@click.group("orders")
def orders_group() -> None:
    """Orders from shops without webhooks."""


@orders_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", "site_key", required=True, help="The site's key.")
@with_appcontext
def import_command(file: Path, site_key: str) -> None:
    """Import order events from a CSV FILE; bad rows are listed by line and skipped."""
    session = get_state().session()
    try:
        report = import_orders(session, _site(session, site_key).id, decode_upload(file.read_bytes()), utcnow())
    except UnreadableFile as err:
        raise click.ClickException(f"{file}: {err}; nothing was imported") from err
    session.commit()
    for problem in report.problems:
        click.echo(f"line {problem.line}: {problem.message}", err=True)
    click.echo(f"{report.stored} stored, {report.duplicates} already there, {len(report.problems)} refused")
    if report.problems:
        raise SystemExit(1)


COMMANDS = (api_secret_command, hooks_group, orders_group)
