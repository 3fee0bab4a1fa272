"""``feedbackwidget themes refresh``: analyse what is pending now, or recompute a site's themes; then work
out the emerging topics of the sites that are due (of every site with ``--rebuild``; of the site asked
for with ``--site``)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..core.state import get_state
from ..core.models import Site
from ..themes.parallel import analyse_in_processes
from ..themes.store import request_rebuild
from ..themes.topics import refresh_topics


@click.group("themes")
def themes_group() -> None:
    """Themes of the comments and complaint descriptions."""


@themes_group.command("refresh")
@click.option("--site", "site_key", help="Only this site (its key); every site by default.")
@click.option("--rebuild", is_flag=True, help="Recompute every stored theme (e.g. after editing the themes).")
@click.option("--batch", default=500, show_default=True, help="Texts per transaction.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes analysing the pending texts at once: up to the number of cores for a large backfill.")
@with_appcontext
def refresh_command(site_key: str | None, rebuild: bool, batch: int, jobs: int) -> None:
    """Find the themes of every comment and complaint not analysed yet (all of them with --rebuild),
    then the emerging topics of the sites that are due (of every site with --rebuild; of --site's always)."""
    state = get_state()
    session, site_id = state.session(), None
    if site_key:
        site_id = session.scalar(select(Site.id).where(Site.key == site_key))
        if site_id is None:
            raise click.UsageError(f"no site with key {site_key!r}: see the keys in the admin's site list")
    if rebuild:
        for each in [site_id] if site_id is not None else list(session.scalars(select(Site.id))):
            request_rebuild(session, each)
    session.commit()
    analysed = analyse_in_processes(state.engine, jobs, site_id, batch)
    click.echo(f"themes: {analysed} comment(s) and complaint(s) analysed")
    worked_out = refresh_topics(state.engine, site_id, every=rebuild or site_id is not None)
    click.echo(f"emerging topics: {worked_out} site(s) worked out")
