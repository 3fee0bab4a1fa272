"""Command line: ``flask --app feedbackwidget feedbackwidget ...`` or ``feedbackwidget ...``."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import migrations
from ..accounts import ROLES, PasswordRejected, check_new_password, find_admin, set_admin
from ..core.addresses import AddressError, parse_address
from ..web.admin.sessions import end_other_sessions
from ..core.state import get_state
from ..core.models import AdminUser, Site, utcnow
from ..privacy import Person, correct_person, erase_person, export_person, purge_expired
from ..core.public_url import GUESSED_HINT, PublicURL, embed_snippet, public_base_url
from ..provisioning import create_site


@click.group("feedbackwidget")
def feedbackwidget_group() -> None:
    """feedbackwidget: sites, admins, database and demo data."""


@feedbackwidget_group.group("db")
def db_group() -> None:
    """Database schema (feedbackwidget's own Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default=migrations.HEAD, show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Create or update feedbackwidget's tables."""
    migrations.upgrade(get_state().engine, revision)
    click.echo("database at revision " + ", ".join(migrations.current_revisions(get_state().engine)))


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's revision and the newest one shipped."""
    current = ", ".join(migrations.current_revisions(get_state().engine)) or "none"
    click.echo(f"current: {current}  newest: {', '.join(migrations.head_revisions())}")


def echo_if_guessed(base: PublicURL) -> None:
    if base.guessed:
        click.echo(GUESSED_HINT)


@feedbackwidget_group.command("create-site")
@click.argument("name")
@click.option("--origin", "origins", multiple=True, required=True, help="Origin of the shop's pages (repeatable).")
@click.option("--locale", "default_locale", default="en", show_default=True, help="Default language: en, hu or zh.")
@click.option("--alert-email", "alert_emails", multiple=True, help="Who receives alerts (repeatable).")
@with_appcontext
def create_site_command(name: str, origins: tuple[str, ...], default_locale: str, alert_emails: tuple[str, ...]) -> None:
    """Create a site and print its key and embed snippet."""
    session = get_state().session()
    try:
        site = create_site(session, name, origins, default_locale=default_locale, alert_emails=alert_emails)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err
    session.commit()
    base = public_base_url(current_app)
    click.echo(f"site key: {site.key}")
    click.echo("paste this into your pages:")
    click.echo(embed_snippet(base.url, site.key))
    echo_if_guessed(base)


@feedbackwidget_group.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--site", "site_keys", multiple=True, help="Site key the account may see (repeatable).")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="Role on the --site of the same position.")
@with_appcontext
def create_admin_command(email: str, password: str, site_keys: tuple[str, ...], roles: tuple[str, ...]) -> None:
    """Create an admin account (a superuser when no --site is given).

    For an existing account, only change its password (its roles stay; its sessions end).
    """
    try:
        check_new_password(password)
    except PasswordRejected as err:
        raise click.BadParameter(str(err), param_hint="--password") from err
    try:
        parse_address(email)
    except AddressError as err:
        raise click.BadParameter(str(err), param_hint="EMAIL") from err
    session = get_state().session()
    existing = find_admin(session, email)
    if existing is not None:
        _change_admin_password(session, existing, password, site_keys)
        return
    memberships = _memberships(session, site_keys, roles)
    session.commit()  # no transaction is held while the password is hashed
    user = set_admin(session, email, password, memberships=memberships)
    session.commit()
    kind = "superuser" if user.is_superuser else ", ".join(f"{s.key}: {r}" for s, r in memberships)
    click.echo(f"admin {user.email} ({kind})")


def _memberships(session: Session, site_keys: tuple[str, ...], roles: tuple[str, ...]) -> list[tuple[Site, str]]:
    memberships = []
    for index, key in enumerate(site_keys):
        site = session.scalar(select(Site).where(Site.key == key))
        if site is None:
            raise click.BadParameter(f"no site has key {key!r}: see 'create-site'", param_hint="--site")
        memberships.append((site, roles[index] if index < len(roles) else "viewer"))
    return memberships


def _change_admin_password(session: Session, user: AdminUser, password: str, site_keys: tuple[str, ...]) -> None:
    if site_keys:
        raise click.UsageError(f"admin {user.email} already exists and create-admin only changes its password: "
                               "drop --site/--role, and give roles on the site's page in the admin area (People)")
    email, user_id = user.email, user.id
    session.commit()  # no transaction is held while the password is hashed
    set_admin(session, email, password)
    end_other_sessions(session, user_id)
    session.commit()
    click.echo(f"password changed for admin {email} (roles unchanged; its sessions were ended)")


@feedbackwidget_group.command("demo")
@click.option("--responses", default=300, show_default=True, help="How many sample responses to create.")
@with_appcontext
def demo_command(responses: int) -> None:
    """Create (or refresh) the demo shop with sample data and print how to log in."""
    from ..provisioning.demo import load_demo

    migrations.upgrade(get_state().engine)
    password = secrets.token_urlsafe(9)
    demo = load_demo(get_state().session(), password=password, responses=responses)
    base = public_base_url(current_app)
    click.echo(f"demo site key: {demo.site_key} ({demo.created_responses} new sample responses)")
    click.echo(f"demo shop page: {base.url}/demo")
    click.echo(f"admin login: {base.url}/admin  e-mail: {demo.admin_email}  password: {password}")
    click.echo("embed snippet: " + embed_snippet(base.url, demo.site_key))
    echo_if_guessed(base)


def _person(email: str | None, customer_id: str | None) -> Person:
    try:
        return Person(email=email, customer_id=customer_id)
    except ValueError as err:
        raise click.UsageError(f"{err}: --email X or --customer-id Y") from err


@feedbackwidget_group.group("person")
def person_group() -> None:
    """A customer's data rights: export, correct or erase what is held about them."""


def person_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--customer-id", help="The shop's customer id.")(command)
    return click.option("--email", help="The person's e-mail address.")(command)


@person_group.command("export")
@person_options
@with_appcontext
def person_export(email: str | None, customer_id: str | None) -> None:
    """Print everything held about a person as JSON."""
    data = export_person(get_state().session(), _person(email, customer_id))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@person_group.command("correct")
@person_options
@click.option("--set-email", help="The corrected e-mail address.")
@click.option("--set-customer-id", help="The corrected customer id.")
@with_appcontext
def person_correct(email: str | None, customer_id: str | None, set_email: str | None,
                   set_customer_id: str | None) -> None:
    """Correct a person's e-mail address or customer id everywhere."""
    try:
        changed = correct_person(get_state().session(), _person(email, customer_id),
                                 email=set_email, customer_id=set_customer_id)
    except ValueError as err:
        raise click.UsageError(f"{err}: --set-email or --set-customer-id") from err
    click.echo("corrected: " + ", ".join(f"{area} {count}" for area, count in changed.items()))


@person_group.command("erase")
@person_options
@click.confirmation_option(prompt="Erase this person's data? Scores are kept, who they are is not.")
@with_appcontext
def person_erase(email: str | None, customer_id: str | None) -> None:
    """Anonymise everything held about a person (statistics stay right)."""
    erased = erase_person(get_state().session(), _person(email, customer_id))
    click.echo("anonymised: " + ", ".join(f"{area} {count}" for area, count in erased.items()))


@feedbackwidget_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Anonymise personal data older than each site's retention period."""
    purged = purge_expired(get_state().session(), utcnow())
    click.echo("anonymised: " + (", ".join(f"{a} {n}" for a, n in purged.items()) or "nothing (no site sets a retention period)"))


@feedbackwidget_group.command("check")
@click.option("--send-test", "send_test_to", metavar="ADDRESS", help="Also send a test e-mail to ADDRESS.")
@with_appcontext
def check_command(send_test_to: str | None) -> None:
    """Check the database, mail, secret key, URLs, sites and jobs; exit 1 when something failed."""
    from ..health import FAILED, run_checks, worst

    checks = run_checks(current_app._get_current_object(), send_test_to)  # type: ignore[attr-defined]
    for check in checks:
        line = f"{check.status.upper():8} {check.name}: {check.text(check.detail)}"
        click.echo(line + (f"\n         fix: {check.text(check.fix)}" if check.fix else ""))
    if worst(checks) == FAILED:
        raise SystemExit(1)


from .delivery import COMMANDS as DELIVERY_COMMANDS

for _command in DELIVERY_COMMANDS:
    feedbackwidget_group.add_command(_command)

from ..web.widget.links import survey_link_command

feedbackwidget_group.add_command(survey_link_command)

from .complaints import complaints_group

feedbackwidget_group.add_command(complaints_group)

from .metrics import stats_group

feedbackwidget_group.add_command(stats_group)

from .orders import COMMANDS as ORDER_COMMANDS

for _command in ORDER_COMMANDS:
    feedbackwidget_group.add_command(_command)

from .invitations import invitations_group

feedbackwidget_group.add_command(invitations_group)

from .themes import themes_group

feedbackwidget_group.add_command(themes_group)
