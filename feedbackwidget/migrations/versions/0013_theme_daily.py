"""theme daily: fw_theme_daily (the stored themes summed per site, day and theme, for the drivers' closed
days) and fw_response_themes.matched (where the theme matched, so the dashboard's examples compile nothing)

Revision ID: 0013_theme_daily
Revises: 0012_widget_seen
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_theme_daily"
down_revision = "0012_widget_seen"
branch_labels = None
depends_on = None

SUMS = ("mentions", "detractors", "passives", "promoters", "bad", "good", "excellent")


def upgrade() -> None:
    op.create_table(
        "fw_theme_daily",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("theme_key", sa.String(length=40), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in SUMS),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_theme_daily_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site_id", "day", "theme_key", name=op.f("pk_fw_theme_daily")),
    )
    with op.batch_alter_table("fw_response_themes") as batch:
        batch.add_column(sa.Column("matched", sa.Text(), nullable=True))
    # Where each theme matched is stored from now on, and the daily sums are built as the worker stores
    # themes: recompute the stored themes of every site that has some (the worker's rebuild fills both;
    # a migration does not run the application's code).
    op.execute(sa.text("INSERT INTO fw_theme_rebuilds (site_id, requested_at, response_cursor, complaint_cursor) "
                       "SELECT DISTINCT site_id, CURRENT_TIMESTAMP, 0, 0 FROM fw_response_themes "
                       "WHERE site_id NOT IN (SELECT site_id FROM fw_theme_rebuilds)"))


def downgrade() -> None:
    with op.batch_alter_table("fw_response_themes") as batch:
        batch.drop_column("matched")
    op.drop_table("fw_theme_daily")
