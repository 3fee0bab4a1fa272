"""delivery: alert rules, alert recipients, webhooks

Revision ID: 0002_delivery
Revises: 0001
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002_delivery"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fw_alert_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("survey_slug", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.SmallInteger(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_alert_rules_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_alert_rules")),
    )
    op.create_index(op.f("ix_fw_alert_rules_site_id"), "fw_alert_rules", ["site_id"], unique=False)
    op.create_table(
        "fw_alert_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("digest", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_alert_recipients_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_alert_recipients")),
        sa.UniqueConstraint("site_id", "email", name=op.f("uq_fw_alert_recipients_site_id")),
    )
    op.create_table(
        "fw_webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_webhooks_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_webhooks")),
    )
    op.create_index(op.f("ix_fw_webhooks_site_id"), "fw_webhooks", ["site_id"], unique=False)
    _default_rules_for_existing_sites()


# Frozen here (not imported) so this migration means the same thing forever.
DEFAULT_RULES = (("nps_at_or_below", 6), ("csat_bad", None), ("stock_no", None), ("loyalty_at_or_below", 6),
                 ("complaint_new", None), ("complaint_overdue", None))


def _default_rules_for_existing_sites() -> None:
    """Sites created before alert rules existed get the defaults a new site gets."""
    sites = sa.table("fw_sites", sa.column("id", sa.Integer()), sa.column("alert_emails", sa.JSON()),
                     sa.column("default_locale", sa.String()))
    rules = sa.table("fw_alert_rules", sa.column("site_id", sa.Integer()), sa.column("kind", sa.String()),
                     sa.column("threshold", sa.SmallInteger()), sa.column("recipients", sa.JSON()),
                     sa.column("active", sa.Boolean()), sa.column("created_at", sa.DateTime(timezone=True)))
    recipients = sa.table("fw_alert_recipients", sa.column("site_id", sa.Integer()), sa.column("email", sa.String()),
                          sa.column("locale", sa.String()), sa.column("digest", sa.String()))
    connection = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for site in connection.execute(sa.select(sites)).all():
        emails = list(dict.fromkeys(site.alert_emails or []))
        connection.execute(sa.insert(rules), [
            {"site_id": site.id, "kind": kind, "threshold": threshold, "recipients": emails, "active": True,
             "created_at": now} for kind, threshold in DEFAULT_RULES])
        if emails:
            connection.execute(sa.insert(recipients), [
                {"site_id": site.id, "email": email, "locale": site.default_locale, "digest": "weekly"}
                for email in emails])


def downgrade() -> None:
    op.drop_index(op.f("ix_fw_webhooks_site_id"), table_name="fw_webhooks")
    op.drop_table("fw_webhooks")
    op.drop_table("fw_alert_recipients")
    op.drop_index(op.f("ix_fw_alert_rules_site_id"), table_name="fw_alert_rules")
    op.drop_table("fw_alert_rules")
