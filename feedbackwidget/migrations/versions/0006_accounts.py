"""accounts: atomic login throttling, password changes, sessions

The failed-login counters are rebuilt keyed by subject (an account or a client
network) with the per-account delay; their old rows are only short-lived counts,
so they are dropped rather than converted.  Sessions remember their browser.

Revision ID: 0006_accounts
Revises: 0005_one_history
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_accounts"
down_revision = "0005_one_history"
branch_labels = None
depends_on = None

THROTTLE = "fw_admin_login_throttle"


def upgrade() -> None:
    op.drop_table(THROTTLE)
    op.create_table(
        THROTTLE,
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_fw_admin_login_throttle")),
    )
    with op.batch_alter_table("fw_admin_sessions") as batch:
        batch.add_column(sa.Column("user_agent", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("fw_admin_sessions") as batch:
        batch.drop_column("user_agent")
    op.drop_table(THROTTLE)
    op.create_table(
        THROTTLE,
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_fw_admin_login_throttle")),
    )
