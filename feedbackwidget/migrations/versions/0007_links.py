"""survey links: opaque, expiring, one answer per link

Revision ID: 0007_links
Revises: 0006_accounts
"""

from __future__ import annotations

revision = "0007_links"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """No schema change yet."""


def downgrade() -> None:
    """Nothing to undo."""
