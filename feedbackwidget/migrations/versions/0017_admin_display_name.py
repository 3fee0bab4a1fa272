"""admin display name: how colleagues read a staff member in the complaint timeline ("Anna")

Revision ID: 0017_admin_display_name
Revises: 0016_response_replies
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_admin_display_name"
down_revision = "0016_response_replies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fw_admin_users") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fw_admin_users") as batch:
        batch.drop_column("display_name")
