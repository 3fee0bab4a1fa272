"""hardening: refused submissions, roll-up progress and other small tables

Revision ID: 0008_hardening
Revises: 0007_links
"""

from __future__ import annotations

revision = "0008_hardening"
down_revision = "0007_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """No schema change yet."""


def downgrade() -> None:
    """Nothing to undo."""
