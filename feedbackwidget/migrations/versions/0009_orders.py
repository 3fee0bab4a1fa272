"""orders: order events from the API, the platforms' webhooks and CSV; the secrets that sign them

Revision ID: 0009_orders
Revises: 0008_hardening
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_orders"
down_revision = "0008_hardening"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _site_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f(f"fk_{table}_site_id_fw_sites"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "fw_order_events",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("delivery_id", sa.String(length=128), nullable=True),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_language", sa.String(length=35), nullable=True),
        sa.Column("loyalty_tier", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("marketing_consent", sa.Boolean(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        _site_fk("fw_order_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_order_events")),
        sa.UniqueConstraint("site_id", "order_id", "event", name="uq_fw_order_events_site_order_event"),
        sa.UniqueConstraint("site_id", "source", "delivery_id", name="uq_fw_order_events_site_source_delivery"),
    )
    op.create_index("ix_fw_order_events_site_id_id", "fw_order_events", ["site_id", "id"])
    op.create_index(op.f("ix_fw_order_events_customer_id"), "fw_order_events", ["customer_id"])
    op.create_index(op.f("ix_fw_order_events_customer_email"), "fw_order_events", ["customer_email"])
    op.create_table(
        "fw_order_api_secrets",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _site_fk("fw_order_api_secrets"),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_fw_order_api_secrets")),
    )
    op.create_table(
        "fw_order_platform_secrets",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("secret", sa.String(length=256), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _site_fk("fw_order_platform_secrets"),
        sa.PrimaryKeyConstraint("site_id", "platform", name=op.f("pk_fw_order_platform_secrets")),
    )


def downgrade() -> None:
    op.drop_table("fw_order_platform_secrets")
    op.drop_table("fw_order_api_secrets")
    op.drop_index(op.f("ix_fw_order_events_customer_email"), table_name="fw_order_events")
    op.drop_index(op.f("ix_fw_order_events_customer_id"), table_name="fw_order_events")
    op.drop_index("ix_fw_order_events_site_id_id", table_name="fw_order_events")
    op.drop_table("fw_order_events")
