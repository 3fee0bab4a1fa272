"""complaints: complaints, their messages and audit trail

Revision ID: 0003_complaints
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_complaints"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fw_complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('status_token_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer_email', sa.String(length=254), nullable=True),
    sa.Column('customer_phone', sa.String(length=40), nullable=True),
    sa.Column('order_number', sa.String(length=64), nullable=True),
    sa.Column('customer_id', sa.String(length=128), nullable=True),
    sa.Column('loyalty_tier', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('desired_resolution', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('consent_policy_version', sa.String(length=32), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('escalation_level', sa.SmallInteger(), nullable=False),
    sa.Column('escalation_reason', sa.Text(), nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=True),
    sa.Column('root_cause', sa.String(length=64), nullable=True),
    sa.Column('compensation_type', sa.String(length=16), nullable=True),
    sa.Column('compensation_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('compensation_currency', sa.String(length=3), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('overdue_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['fw_admin_users.id'], name=op.f('fk_fw_complaints_assignee_id_fw_admin_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['fw_admin_users.id'], name=op.f('fk_fw_complaints_created_by_id_fw_admin_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['fw_responses.id'], name=op.f('fk_fw_complaints_response_id_fw_responses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['fw_sites.id'], name=op.f('fk_fw_complaints_site_id_fw_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_complaints')),
    sa.UniqueConstraint('reference', name=op.f('uq_fw_complaints_reference')),
    sa.UniqueConstraint('site_id', 'idempotency_key', name=op.f('uq_fw_complaints_site_id'))
    )
    op.create_index(op.f('ix_fw_complaints_customer_email'), 'fw_complaints', ['customer_email'], unique=False)
    op.create_index('ix_fw_complaints_site_received', 'fw_complaints', ['site_id', 'received_at'], unique=False)
    op.create_index('ix_fw_complaints_status_due', 'fw_complaints', ['status', 'due_at'], unique=False)
    op.create_table('fw_complaint_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=True),
    sa.Column('old_value', sa.JSON(), nullable=True),
    sa.Column('new_value', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['fw_admin_users.id'], name=op.f('fk_fw_complaint_events_actor_id_fw_admin_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['fw_complaints.id'], name=op.f('fk_fw_complaint_events_complaint_id_fw_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_complaint_events'))
    )
    op.create_index(op.f('ix_fw_complaint_events_complaint_id'), 'fw_complaint_events', ['complaint_id'], unique=False)
    op.create_table('fw_complaint_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['fw_admin_users.id'], name=op.f('fk_fw_complaint_messages_author_id_fw_admin_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['fw_complaints.id'], name=op.f('fk_fw_complaint_messages_complaint_id_fw_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_complaint_messages'))
    )
    op.create_index(op.f('ix_fw_complaint_messages_complaint_id'), 'fw_complaint_messages', ['complaint_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_fw_complaint_messages_complaint_id'), table_name='fw_complaint_messages')
    op.drop_table('fw_complaint_messages')
    op.drop_index(op.f('ix_fw_complaint_events_complaint_id'), table_name='fw_complaint_events')
    op.drop_table('fw_complaint_events')
    op.drop_index('ix_fw_complaints_status_due', table_name='fw_complaints')
    op.drop_index('ix_fw_complaints_site_received', table_name='fw_complaints')
    op.drop_index(op.f('ix_fw_complaints_customer_email'), table_name='fw_complaints')
    op.drop_table('fw_complaints')
