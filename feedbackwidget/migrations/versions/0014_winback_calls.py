"""win-back calls: the outcome of each phone call to a lapsed customer or a detractor

Revision ID: 0014_winback_calls
Revises: 0013_theme_daily
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_winback_calls"
down_revision = "0013_theme_daily"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fw_winback_calls",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("called_by", sa.String(length=254), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_winback_calls_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_winback_calls")),
    )
    op.create_index("ix_fw_winback_calls_site_email", "fw_winback_calls", ["site_id", "email"])


def downgrade() -> None:
    op.drop_index("ix_fw_winback_calls_site_email", table_name="fw_winback_calls")
    op.drop_table("fw_winback_calls")
