"""invitations: a site's invitation settings and rules, the invitations made from orders, suppressed addresses

Revision ID: 0011_invitations
Revises: 0010_themes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_invitations"
down_revision = "0010_themes"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def _site_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f(f"fk_{table}_site_id_fw_sites"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "fw_invitation_settings",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("fatigue_days", sa.SmallInteger(), nullable=False),
        sa.Column("survey_without_consent", sa.Boolean(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("last_event_id", BIG_ID, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        _site_fk("fw_invitation_settings"),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_fw_invitation_settings")),
    )
    op.create_table(
        "fw_invitation_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("survey_slug", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("delay_minutes", sa.Integer(), nullable=False),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("hours_start", sa.SmallInteger(), nullable=False),
        sa.Column("hours_end", sa.SmallInteger(), nullable=False),
        sa.Column("sample_percent", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        _site_fk("fw_invitation_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_invitation_rules")),
        sa.UniqueConstraint("site_id", "survey_slug", "event", name="uq_fw_invitation_rules_site_survey_event"),
    )
    op.create_index(op.f("ix_fw_invitation_rules_site_id"), "fw_invitation_rules", ["site_id"])
    op.create_table(
        "fw_invitations",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("survey_slug", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("order_event_id", BIG_ID, nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("mailed_at", WHEN, nullable=True),
        sa.Column("reminder_due_at", WHEN, nullable=True),
        sa.Column("reminded_at", WHEN, nullable=True),
        sa.Column("link_id", BIG_ID, nullable=True),
        sa.Column("unsubscribe_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        _site_fk("fw_invitations"),
        sa.ForeignKeyConstraint(["rule_id"], ["fw_invitation_rules.id"],
                                name=op.f("fk_fw_invitations_rule_id_fw_invitation_rules"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["link_id"], ["fw_survey_links.id"],
                                name=op.f("fk_fw_invitations_link_id_fw_survey_links"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_invitations")),
        sa.UniqueConstraint("rule_id", "order_id", name="uq_fw_invitations_rule_order"),
        sa.UniqueConstraint("unsubscribe_hash", name=op.f("uq_fw_invitations_unsubscribe_hash")),
    )
    op.create_index("ix_fw_invitations_due", "fw_invitations", ["status", "due_at"])
    op.create_index("ix_fw_invitations_reminder", "fw_invitations", ["reminder_due_at"])
    op.create_index("ix_fw_invitations_site_order", "fw_invitations", ["site_id", "order_id"])
    op.create_index("ix_fw_invitations_site_email", "fw_invitations", ["site_id", "customer_email"])
    op.create_index("ix_fw_invitations_site_customer", "fw_invitations", ["site_id", "customer_id"])
    op.create_table(
        "fw_invitation_suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        _site_fk("fw_invitation_suppressions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_invitation_suppressions")),
        sa.UniqueConstraint("site_id", "email", name="uq_fw_invitation_suppressions_site_email"),
    )


def downgrade() -> None:
    op.drop_table("fw_invitation_suppressions")
    for index in ("ix_fw_invitations_site_customer", "ix_fw_invitations_site_email", "ix_fw_invitations_site_order",
                  "ix_fw_invitations_reminder", "ix_fw_invitations_due"):
        op.drop_index(index, table_name="fw_invitations")
    op.drop_table("fw_invitations")
    op.drop_index(op.f("ix_fw_invitation_rules_site_id"), table_name="fw_invitation_rules")
    op.drop_table("fw_invitation_rules")
    op.drop_table("fw_invitation_settings")
