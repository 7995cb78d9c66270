"""casework and reissue requests: case events, the reissue case table, the register's cards, books and benefits

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 03:28:39.175353

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
# 0008 comes from another branch; until it is merged this worktree chains onto 0007 (set back to '0008' at merge).
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('card_number', sa.String(length=15), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('paid_until', sa.Date(), nullable=False),
    sa.Column('hospital', sa.String(length=200), nullable=False),
    sa.Column('reissue_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_cards')),
    sa.UniqueConstraint('social_insurance_number', name=op.f('uq_health_cards_social_insurance_number'))
    )
    op.create_table('insurance_books',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('book_number', sa.String(length=15), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('needs_verification', sa.Boolean(), nullable=False),
    sa.Column('reissue_count', sa.Integer(), nullable=False),
    sa.Column('reissued_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_books')),
    sa.UniqueConstraint('social_insurance_number', name=op.f('uq_insurance_books_social_insurance_number'))
    )
    op.create_table('benefits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('monthly_amount', sa.Integer(), nullable=False),
    sa.Column('paying_office_id', sa.Integer(), nullable=False),
    sa.Column('paying_from_month', sa.String(length=7), nullable=False),
    sa.Column('previous_office_id', sa.Integer(), nullable=True),
    sa.Column('previous_office_last_month', sa.String(length=7), nullable=True),
    sa.Column('payout_method', sa.String(length=10), nullable=False),
    sa.Column('bank_code', sa.String(length=20), nullable=True),
    sa.Column('account_number', sa.String(length=30), nullable=True),
    sa.Column('account_holder', sa.String(length=200), nullable=True),
    sa.Column('recipient_name', sa.String(length=200), nullable=True),
    sa.Column('payout_from_month', sa.String(length=7), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['paying_office_id'], ['offices.id'], name=op.f('fk_benefits_paying_office_id_offices')),
    sa.ForeignKeyConstraint(['previous_office_id'], ['offices.id'], name=op.f('fk_benefits_previous_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefits'))
    )
    with op.batch_alter_table('benefits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefits_paying_office_id'), ['paying_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefits_social_insurance_number'), ['social_insurance_number'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_type', sa.String(length=30), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=100), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=True),
    sa.Column('to_state', sa.String(length=30), nullable=True),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('clock_paused', sa.Boolean(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officers.id'], name=op.f('fk_case_events_actor_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_case', ['case_type', 'case_id', 'id'], unique=False)

    op.create_table('reissue_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('id_number', sa.String(length=20), nullable=True),
    sa.Column('phone', sa.String(length=15), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('failing_checks', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('data_change', sa.Boolean(), nullable=False),
    sa.Column('verification_needed', sa.Boolean(), nullable=False),
    sa.Column('delivery_method', sa.String(length=10), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=True),
    sa.Column('rejection_code', sa.String(length=30), nullable=True),
    sa.Column('rejection_text', sa.Text(), nullable=True),
    sa.Column('awaiting_reason', sa.String(length=40), nullable=True),
    sa.Column('destination_office_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('identity_checked_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('alert_phone', sa.String(length=15), nullable=True),
    sa.Column('effective_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sla_days', sa.Integer(), nullable=False),
    sa.Column('legal_basis', sa.String(length=200), nullable=False),
    sa.Column('clock_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_soon_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('queue_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['officers.id'], name=op.f('fk_reissue_requests_acknowledged_by_id_officers')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['officers.id'], name=op.f('fk_reissue_requests_approved_by_id_officers')),
    sa.ForeignKeyConstraint(['assignee_id'], ['officers.id'], name=op.f('fk_reissue_requests_assignee_id_officers')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['officers.id'], name=op.f('fk_reissue_requests_decided_by_id_officers')),
    sa.ForeignKeyConstraint(['destination_office_id'], ['offices.id'], name=op.f('fk_reissue_requests_destination_office_id_offices')),
    sa.ForeignKeyConstraint(['identity_checked_by_id'], ['officers.id'], name=op.f('fk_reissue_requests_identity_checked_by_id_officers')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_reissue_requests_office_id_offices')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['officers.id'], name=op.f('fk_reissue_requests_proposed_by_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reissue_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_reissue_requests_reference'))
    )
    with op.batch_alter_table('reissue_requests', schema=None) as batch_op:
        batch_op.create_index('ix_reissue_requests_assignee', ['assignee_id', 'queue_due_at', 'id'], unique=False, postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))
        batch_op.create_index('ix_reissue_requests_destination', ['destination_office_id', 'state'], unique=False)
        batch_op.create_index('ix_reissue_requests_person', ['social_insurance_number', 'kind'], unique=False)
        batch_op.create_index('ix_reissue_requests_queue', ['office_id', 'department_code', 'queue_due_at', 'received_at', 'id'], unique=False, postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))
        batch_op.create_index('ix_reissue_requests_to_escalate', ['due_at'], unique=False, postgresql_where=sa.text('closed_at IS NULL AND escalated_at IS NULL AND due_at IS NOT NULL'), sqlite_where=sa.text('closed_at IS NULL AND escalated_at IS NULL AND due_at IS NOT NULL'))
        batch_op.create_index('ix_reissue_requests_to_warn', ['due_soon_at'], unique=False, postgresql_where=sa.text('closed_at IS NULL AND warned_at IS NULL AND due_soon_at IS NOT NULL'), sqlite_where=sa.text('closed_at IS NULL AND warned_at IS NULL AND due_soon_at IS NOT NULL'))

    op.create_table('reissue_documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['reissue_requests.id'], name=op.f('fk_reissue_documents_request_id_reissue_requests')),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_files.id'], name=op.f('fk_reissue_documents_stored_file_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reissue_documents'))
    )
    with op.batch_alter_table('reissue_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reissue_documents_request_id'), ['request_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reissue_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reissue_documents_request_id'))

    op.drop_table('reissue_documents')
    with op.batch_alter_table('reissue_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_reissue_requests_to_warn', postgresql_where=sa.text('closed_at IS NULL AND warned_at IS NULL AND due_soon_at IS NOT NULL'), sqlite_where=sa.text('closed_at IS NULL AND warned_at IS NULL AND due_soon_at IS NOT NULL'))
        batch_op.drop_index('ix_reissue_requests_to_escalate', postgresql_where=sa.text('closed_at IS NULL AND escalated_at IS NULL AND due_at IS NOT NULL'), sqlite_where=sa.text('closed_at IS NULL AND escalated_at IS NULL AND due_at IS NOT NULL'))
        batch_op.drop_index('ix_reissue_requests_queue', postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))
        batch_op.drop_index('ix_reissue_requests_person')
        batch_op.drop_index('ix_reissue_requests_destination')
        batch_op.drop_index('ix_reissue_requests_assignee', postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))

    op.drop_table('reissue_requests')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_case')

    op.drop_table('case_events')
    with op.batch_alter_table('benefits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefits_social_insurance_number'))
        batch_op.drop_index(batch_op.f('ix_benefits_paying_office_id'))

    op.drop_table('benefits')
    op.drop_table('insurance_books')
    op.drop_table('health_cards')
