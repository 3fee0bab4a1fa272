"""site time zone: one zone per site, in its settings ("timezone"), instead of the invitations' own column

A zone an owner chose for invitations moves into the site's settings (unless the settings already
name one), then the invitations' column goes.

Revision ID: 0018_site_time_zone
Revises: 0017_admin_display_name
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018_site_time_zone"
down_revision = "0017_admin_display_name"
branch_labels = None
depends_on = None

SETTINGS_KEY = "timezone"
sites = sa.table("fw_sites", sa.column("id", sa.Integer()), sa.column("settings", sa.JSON()))
invitation_settings = sa.table("fw_invitation_settings", sa.column("site_id", sa.Integer()),
                               sa.column("time_zone", sa.String(64)))


def _settings(connection: sa.Connection, site_id: int) -> dict[str, Any]:
    stored = connection.execute(sa.select(sites.c.settings).where(sites.c.id == site_id)).scalar_one_or_none()
    return dict(stored or {})


def upgrade() -> None:
    connection = op.get_bind()
    chosen = connection.execute(sa.select(invitation_settings.c.site_id, invitation_settings.c.time_zone)
                                .where(invitation_settings.c.time_zone.is_not(None))).all()
    for site_id, zone in chosen:
        settings = _settings(connection, site_id)
        if not settings.get(SETTINGS_KEY):
            settings[SETTINGS_KEY] = zone
            connection.execute(sa.update(sites).where(sites.c.id == site_id).values(settings=settings))
    with op.batch_alter_table("fw_invitation_settings") as batch:
        batch.drop_column("time_zone")


def downgrade() -> None:
    with op.batch_alter_table("fw_invitation_settings") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for site_id, settings in connection.execute(sa.select(sites.c.id, sites.c.settings)).all():
        zone = (settings or {}).get(SETTINGS_KEY)
        if zone:
            connection.execute(sa.update(invitation_settings).where(invitation_settings.c.site_id == site_id)
                               .values(time_zone=zone))
