"""hardening: refused submissions, counted by site, day, origin and reason

Revision ID: 0008_hardening
Revises: 0007_links
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_hardening"
down_revision = "0007_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fw_refused_submissions",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_refused_submissions_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site_id", "day", "origin", "reason", name=op.f("pk_fw_refused_submissions")),
    )


def downgrade() -> None:
    op.drop_table("fw_refused_submissions")
