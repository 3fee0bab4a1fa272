"""admin: login sessions, failed-login throttle, follow-ups, daily statistics roll-ups, indexes

Revision ID: 0004_admin
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_admin"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SCORE_COLUMNS = ["site_id", "created_at", "nps_score", "csat", "in_stock", "loyalty_score", "loyalty_tier"]
MEASURES = ["responses", "nps_total", "promoters", "detractors", "csat_total", "csat_excellent",
            "stock_total", "stock_no", "loyalty_total", "loyalty_sum", "loyalty_promoters", "loyalty_detractors"]


def _create_stats_tables() -> None:
    op.create_table(
        "fw_stats_daily",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("dim", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_stats_daily_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site_id", "dim", "day", "value", name=op.f("pk_fw_stats_daily")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "fw_stats_days",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f("fk_fw_stats_days_site_id_fw_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site_id", "day", name=op.f("pk_fw_stats_days")),
    )
    op.create_table(
        "fw_stats_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_response_id", BigId, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_stats_state")),
    )


def upgrade() -> None:
    op.create_table(
        "fw_admin_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["fw_admin_users.id"],
                                name=op.f("fk_fw_admin_sessions_user_id_fw_admin_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_admin_sessions")),
    )
    op.create_index(op.f("ix_fw_admin_sessions_user_id"), "fw_admin_sessions", ["user_id"], unique=False)
    op.create_table(
        "fw_admin_login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_fw_admin_login_throttle")),
    )
    op.create_table(
        "fw_response_follow_ups",
        sa.Column("response_id", BigId, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["fw_responses.id"],
                                name=op.f("fk_fw_response_follow_ups_response_id_fw_responses"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["fw_admin_users.id"],
                                name=op.f("fk_fw_response_follow_ups_user_id_fw_admin_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_fw_response_follow_ups")),
    )
    op.create_index("ix_fw_responses_site_created_scores", "fw_responses", SCORE_COLUMNS, unique=False)
    _create_stats_tables()


def downgrade() -> None:
    for table in ("fw_stats_state", "fw_stats_days", "fw_stats_daily"):
        op.drop_table(table)
    op.drop_index("ix_fw_responses_site_created_scores", table_name="fw_responses")
    op.drop_table("fw_response_follow_ups")
    op.drop_table("fw_admin_login_throttle")
    op.drop_index(op.f("ix_fw_admin_sessions_user_id"), table_name="fw_admin_sessions")
    op.drop_table("fw_admin_sessions")
