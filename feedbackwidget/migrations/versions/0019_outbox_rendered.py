"""outbox rendered: an e-mail's MIME, written once when it is queued and sent as those bytes

Messages queued before this revision have none and are built when sent, as before.

Revision ID: 0019_outbox_rendered
Revises: 0018_site_time_zone
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_outbox_rendered"
down_revision = "0018_site_time_zone"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fw_outbox") as batch:
        batch.add_column(sa.Column("rendered", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fw_outbox") as batch:
        batch.drop_column("rendered")
