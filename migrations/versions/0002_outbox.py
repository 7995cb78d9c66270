"""outbox: outgoing SMS and email written with the decision, relayed by the notifications worker

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:11:04.380405

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'email', name='channel', native_enum=False, length=10), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('secret_box', sa.LargeBinary(), nullable=True),
    sa.Column('case_type', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'dead', 'cancelled', name='outboxstatus', native_enum=False, length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('provider_message_id', sa.String(length=200), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery_status', sa.Enum('delivered', 'undelivered', name='deliverystatus', native_enum=False, length=12), nullable=True),
    sa.Column('delivery_detail', sa.String(length=200), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('resend_of_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['officers.id'], name=op.f('fk_outbox_messages_created_by_id_officers')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_outbox_messages_office_id_offices')),
    sa.ForeignKeyConstraint(['resend_of_id'], ['outbox_messages.id'], name=op.f('fk_outbox_messages_resend_of_id_outbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_messages_idempotency_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_case', ['case_type', 'case_id', 'id'], unique=False)
        batch_op.create_index('ix_outbox_messages_due', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status IN ('pending', 'failed', 'sending')"), sqlite_where=sa.text("status IN ('pending', 'failed', 'sending')"))
        batch_op.create_index(batch_op.f('ix_outbox_messages_provider_message_id'), ['provider_message_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_status_office', ['status', 'office_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_office')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_provider_message_id'))
        batch_op.drop_index('ix_outbox_messages_due', postgresql_where=sa.text("status IN ('pending', 'failed', 'sending')"), sqlite_where=sa.text("status IN ('pending', 'failed', 'sending')"))
        batch_op.drop_index('ix_outbox_messages_case')

    op.drop_table('outbox_messages')
