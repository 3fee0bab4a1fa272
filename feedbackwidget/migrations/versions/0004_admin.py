"""admin: login sessions, failed-login throttle, follow-ups, dashboard indexes

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


def downgrade() -> None:
    op.drop_index("ix_fw_responses_site_created_scores", table_name="fw_responses")
    op.drop_table("fw_response_follow_ups")
    op.drop_table("fw_admin_login_throttle")
    op.drop_index(op.f("ix_fw_admin_sessions_user_id"), table_name="fw_admin_sessions")
    op.drop_table("fw_admin_sessions")
