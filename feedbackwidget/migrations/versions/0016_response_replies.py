"""response replies: fw_response_replies, the e-mails managers send to the customer of a response

Revision ID: 0016_response_replies
Revises: 0015_emerging_topics
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_response_replies"
down_revision = "0015_emerging_topics"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "fw_response_replies",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("response_id", BIG_ID, nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_email", sa.String(length=254), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("outbox_id", BIG_ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["fw_responses.id"],
                                name=op.f("fk_fw_response_replies_response_id_fw_responses"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["fw_admin_users.id"],
                                name=op.f("fk_fw_response_replies_author_id_fw_admin_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["outbox_id"], ["fw_outbox.id"],
                                name=op.f("fk_fw_response_replies_outbox_id_fw_outbox"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fw_response_replies")),
    )
    op.create_index("ix_fw_response_replies_response_id", "fw_response_replies", ["response_id"])


def downgrade() -> None:
    op.drop_index("ix_fw_response_replies_response_id", table_name="fw_response_replies")
    op.drop_table("fw_response_replies")
