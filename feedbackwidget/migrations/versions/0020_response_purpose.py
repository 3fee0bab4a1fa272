"""response purpose: the answers to the complaint-handling survey marked apart from the site's feedback

Responses given through a complaint's survey link (order reference ``complaint:...``) get
``purpose = 'complaint_handling'``.  The dashboard's roll-ups of the sites that have such
answers are dropped (they are rebuilt from the responses, now without them), and a themes
rebuild is asked for those sites (their daily sums of every answer are summed again).

Revision ID: 0020_response_purpose
Revises: 0019_outbox_rendered
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_response_purpose"
down_revision = "0019_outbox_rendered"
branch_labels = None
depends_on = None

MARKED = "SELECT response_id FROM fw_survey_links WHERE order_reference LIKE :prefix AND response_id IS NOT NULL"
SITES = "SELECT DISTINCT site_id FROM fw_responses WHERE purpose = 'complaint_handling'"


def upgrade() -> None:
    with op.batch_alter_table("fw_responses") as batch:
        batch.add_column(sa.Column("purpose", sa.String(32), nullable=True))
    op.execute(sa.text(f"UPDATE fw_responses SET purpose = 'complaint_handling' WHERE id IN ({MARKED})")
               .bindparams(prefix="complaint:%"))
    for table in ("fw_stats_daily", "fw_stats_days"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE site_id IN ({SITES})"))
    op.execute(sa.text("INSERT INTO fw_theme_rebuilds (site_id, requested_at, response_cursor, complaint_cursor) "
                       "SELECT DISTINCT site_id, CURRENT_TIMESTAMP, 0, 0 FROM fw_responses "
                       "WHERE purpose = 'complaint_handling' AND site_id NOT IN (SELECT site_id FROM fw_theme_rebuilds)"))


def downgrade() -> None:
    with op.batch_alter_table("fw_responses") as batch:
        batch.drop_column("purpose")
