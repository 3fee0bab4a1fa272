"""widget seen: when a site's widget first fetched its config from an allowed origin (the setup checklist)

Revision ID: 0012_widget_seen
Revises: 0011_invitations
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_widget_seen"
down_revision = "0011_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fw_widget_seen",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_widget_seen_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_fw_widget_seen")),
    )


def downgrade() -> None:
    op.drop_table("fw_widget_seen")
