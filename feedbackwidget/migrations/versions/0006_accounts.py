"""accounts: atomic login throttling, password changes, sessions

Revision ID: 0006_accounts
Revises: 0005_one_history
"""

from __future__ import annotations

revision = "0006_accounts"
down_revision = "0005_one_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """No schema change yet."""


def downgrade() -> None:
    """Nothing to undo."""
