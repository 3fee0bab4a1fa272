"""one history: the foundation's, delivery's, complaints' and the admin's branches meet here

Every later revision follows this one in a single line, so ``db upgrade`` and
``alembic heads`` report one head.

Revision ID: 0005_one_history
Revises: 0002_delivery, 0003_complaints, 0004_admin
"""

from __future__ import annotations

revision = "0005_one_history"
down_revision = ("0002_delivery", "0003_complaints", "0004_admin")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the three branches' tables are all in place."""


def downgrade() -> None:
    """Nothing to undo."""
