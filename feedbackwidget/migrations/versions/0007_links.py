"""survey links: opaque, expiring, one answer per link

Revision ID: 0007_links
Revises: 0006_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_links"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "fw_survey_links",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("survey_slug", sa.String(length=64), nullable=False),
        sa.Column("order_reference", sa.String(length=128), nullable=True),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_id", BIG_ID, nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_survey_links_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["response_id"], ["fw_responses.id"],
                                name=op.f("fk_fw_survey_links_response_id_fw_responses"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_survey_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_fw_survey_links_token_hash")),
        sa.UniqueConstraint("response_id", name=op.f("uq_fw_survey_links_response_id")),
    )
    with op.batch_alter_table("fw_survey_links") as batch:
        batch.create_index(batch.f("ix_fw_survey_links_site_id"), ["site_id"], unique=False)
        batch.create_index(batch.f("ix_fw_survey_links_customer_email"), ["customer_email"], unique=False)
        batch.create_index(batch.f("ix_fw_survey_links_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_table("fw_survey_links")
