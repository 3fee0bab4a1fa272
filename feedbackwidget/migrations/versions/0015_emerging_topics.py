"""emerging topics: fw_emerging_topics (each site's phrases no theme covers, worked out by the worker) and
fw_emerging_topic_runs (when, and from which themes and responses, they were last worked out)

Revision ID: 0015_emerging_topics
Revises: 0014_winback_calls
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_emerging_topics"
down_revision = "0014_winback_calls"
branch_labels = None
depends_on = None


def _site_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["site_id"], ["fw_sites.id"], name=op.f(f"fk_{table}_site_id_fw_sites"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "fw_emerging_topics",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("phrase", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        _site_key("fw_emerging_topics"),
        sa.PrimaryKeyConstraint("site_id", "position", name=op.f("pk_fw_emerging_topics")),
    )
    op.create_table(
        "fw_emerging_topic_runs",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taxonomy_hash", sa.String(length=64), nullable=False),
        sa.Column("through_response_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("texts", sa.Integer(), nullable=False),
        _site_key("fw_emerging_topic_runs"),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_fw_emerging_topic_runs")),
    )


def downgrade() -> None:
    op.drop_table("fw_emerging_topic_runs")
    op.drop_table("fw_emerging_topics")
