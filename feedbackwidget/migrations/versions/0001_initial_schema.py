"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 06:08:16.597534
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('fw_admin_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('is_superuser', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_admin_users')),
    sa.UniqueConstraint('email', name=op.f('uq_fw_admin_users_email'))
    )
    op.create_table('fw_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('allowed_origins', sa.JSON(), nullable=False),
    sa.Column('default_locale', sa.String(length=8), nullable=False),
    sa.Column('alert_emails', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_sites')),
    sa.UniqueConstraint('key', name=op.f('uq_fw_sites_key'))
    )
    op.create_table('fw_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['fw_sites.id'], name=op.f('fk_fw_outbox_site_id_fw_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_fw_outbox_dedupe_key')),
    sa.UniqueConstraint('message_id', name=op.f('uq_fw_outbox_message_id'))
    )
    with op.batch_alter_table('fw_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_fw_outbox_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('fw_site_memberships',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['fw_sites.id'], name=op.f('fk_fw_site_memberships_site_id_fw_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['fw_admin_users.id'], name=op.f('fk_fw_site_memberships_user_id_fw_admin_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'site_id', name=op.f('pk_fw_site_memberships'))
    )
    op.create_table('fw_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('template', sa.String(length=32), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['fw_sites.id'], name=op.f('fk_fw_surveys_site_id_fw_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_surveys')),
    sa.UniqueConstraint('site_id', 'slug', name=op.f('uq_fw_surveys_site_id'))
    )
    with op.batch_alter_table('fw_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fw_surveys_site_id'), ['site_id'], unique=False)

    op.create_table('fw_responses',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('nps_score', sa.SmallInteger(), nullable=True),
    sa.Column('csat', sa.String(length=16), nullable=True),
    sa.Column('in_stock', sa.Boolean(), nullable=True),
    sa.Column('loyalty_score', sa.SmallInteger(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('page_url', sa.Text(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('customer_id', sa.String(length=128), nullable=True),
    sa.Column('customer_email', sa.String(length=254), nullable=True),
    sa.Column('loyalty_tier', sa.String(length=32), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['fw_sites.id'], name=op.f('fk_fw_responses_site_id_fw_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['fw_surveys.id'], name=op.f('fk_fw_responses_survey_id_fw_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fw_responses')),
    sa.UniqueConstraint('site_id', 'idempotency_key', name=op.f('uq_fw_responses_site_id'))
    )
    with op.batch_alter_table('fw_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fw_responses_customer_email'), ['customer_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_fw_responses_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_fw_responses_site_created', ['site_id', 'created_at'], unique=False)
        batch_op.create_index('ix_fw_responses_survey_created', ['survey_id', 'created_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('fw_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_fw_responses_survey_created')
        batch_op.drop_index('ix_fw_responses_site_created')
        batch_op.drop_index(batch_op.f('ix_fw_responses_customer_id'))
        batch_op.drop_index(batch_op.f('ix_fw_responses_customer_email'))

    op.drop_table('fw_responses')
    with op.batch_alter_table('fw_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fw_surveys_site_id'))

    op.drop_table('fw_surveys')
    op.drop_table('fw_site_memberships')
    with op.batch_alter_table('fw_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_fw_outbox_due')

    op.drop_table('fw_outbox')
    op.drop_table('fw_sites')
    op.drop_table('fw_admin_users')

