"""themes: the stored themes of responses and complaints, what was analysed, rebuilds

Revision ID: 0010_themes
Revises: 0009_orders
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_themes"
down_revision = "0009_orders"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PENDING = sa.text("themes_analysed_at IS NULL")


def _site_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f(f"fk_{table}_site_id_fw_sites"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    for table in ("fw_responses", "fw_complaints"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("themes_analysed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_fw_responses_themes_pending", "fw_responses", ["id"], sqlite_where=PENDING,
                    postgresql_where=PENDING)
    op.create_index("ix_fw_complaints_themes_pending", "fw_complaints", ["id"], sqlite_where=PENDING,
                    postgresql_where=PENDING)
    op.create_table(
        "fw_response_themes",
        sa.Column("response_id", BIG_ID, nullable=False),
        sa.Column("theme_key", sa.String(length=40), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nps_score", sa.SmallInteger(), nullable=True),
        sa.Column("csat", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["response_id"], ["fw_responses.id"],
                                name=op.f("fk_fw_response_themes_response_id_fw_responses"), ondelete="CASCADE"),
        _site_fk("fw_response_themes"),
        sa.PrimaryKeyConstraint("response_id", "theme_key", name=op.f("pk_fw_response_themes")),
    )
    op.create_index("ix_fw_response_themes_site_theme", "fw_response_themes", ["site_id", "theme_key"])
    op.create_index("ix_fw_response_themes_site_created", "fw_response_themes",
                    ["site_id", "created_at", "theme_key", "nps_score", "csat"])
    op.create_table(
        "fw_complaint_themes",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("theme_key", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["fw_complaints.id"],
                                name=op.f("fk_fw_complaint_themes_complaint_id_fw_complaints"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("complaint_id", "theme_key", name=op.f("pk_fw_complaint_themes")),
    )
    op.create_table(
        "fw_theme_rebuilds",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_cursor", BIG_ID, nullable=False),
        sa.Column("complaint_cursor", sa.Integer(), nullable=False),
        _site_fk("fw_theme_rebuilds"),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_fw_theme_rebuilds")),
    )


def downgrade() -> None:
    op.drop_table("fw_theme_rebuilds")
    op.drop_table("fw_complaint_themes")
    op.drop_index("ix_fw_response_themes_site_created", table_name="fw_response_themes")
    op.drop_index("ix_fw_response_themes_site_theme", table_name="fw_response_themes")
    op.drop_table("fw_response_themes")
    op.drop_index("ix_fw_complaints_themes_pending", table_name="fw_complaints")
    op.drop_index("ix_fw_responses_themes_pending", table_name="fw_responses")
    for table in ("fw_complaints", "fw_responses"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("themes_analysed_at")
