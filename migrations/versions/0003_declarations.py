"""declarations: participants, declarations, documents, accounts, API keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:16:19.178934

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_keys_prefix'))
    )
    op.create_table('etransaction_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('status', sa.Enum('active', 'stopped', name='accountstatus', native_enum=False, length=10), nullable=False),
    sa.Column('phone', sa.String(length=15), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('temporary_password_hash', sa.String(length=200), nullable=True),
    sa.Column('temporary_password_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_etransaction_accounts')),
    sa.UniqueConstraint('social_insurance_number', name=op.f('uq_etransaction_accounts_social_insurance_number'))
    )
    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'], name=op.f('fk_idempotency_records_api_key_id_api_keys')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('api_key_id', 'key', name='uq_idempotency_records_api_key_key')
    )
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_records_created_at'), ['created_at'], unique=False)

    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=3), nullable=False),
    sa.Column('id_number', sa.String(length=12), nullable=True),
    sa.Column('health_card_number', sa.String(length=15), nullable=True),
    sa.Column('phone', sa.String(length=15), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_participants_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('social_insurance_number', name=op.f('uq_participants_social_insurance_number'))
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_participants_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participants_phone'), ['phone'], unique=False)

    op.create_table('declarations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.Enum('register', 'register_child', 'update', 'stop', name='declarationkind', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'extracting', 'ready', 'in_review', 'awaiting_citizen', 'awaiting_second_approval', 'approved', 'rejected', name='declarationstate', native_enum=False, length=30), nullable=False),
    sa.Column('channel', sa.Enum('vssid_app', 'portal', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=3), nullable=False),
    sa.Column('id_type', sa.String(length=10), nullable=True),
    sa.Column('id_number', sa.String(length=20), nullable=True),
    sa.Column('phone', sa.String(length=15), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('province_code', sa.String(length=10), nullable=True),
    sa.Column('ward_code', sa.String(length=10), nullable=True),
    sa.Column('street', sa.String(length=300), nullable=True),
    sa.Column('guardian_social_insurance_number', sa.String(length=10), nullable=True),
    sa.Column('extraction', sa.JSON(), nullable=True),
    sa.Column('checks', sa.JSON(), nullable=True),
    sa.Column('failing_checks', sa.Integer(), nullable=False),
    sa.Column('extraction_attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_touched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('justification', sa.Text(), nullable=True),
    sa.Column('rejection_code', sa.String(length=30), nullable=True),
    sa.Column('rejection_text', sa.Text(), nullable=True),
    sa.Column('awaiting_reason', sa.String(length=200), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['officers.id'], name=op.f('fk_declarations_claimed_by_id_officers')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['officers.id'], name=op.f('fk_declarations_decided_by_id_officers')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_declarations_office_id_offices')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['officers.id'], name=op.f('fk_declarations_proposed_by_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declarations')),
    sa.UniqueConstraint('reference', name=op.f('uq_declarations_reference'))
    )
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declarations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_declarations_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_declarations_phone'), ['phone'], unique=False)
        batch_op.create_index('ix_declarations_queue', ['office_id', 'state', 'submitted_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declarations_social_insurance_number'), ['social_insurance_number'], unique=False)

    op.create_table('declaration_documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('declaration_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('portrait', 'id_front', 'id_back', 'birth_certificate', name='documentkind', native_enum=False, length=20), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_declaration_documents_declaration_id_declarations')),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_files.id'], name=op.f('fk_declaration_documents_stored_file_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_documents'))
    )
    with op.batch_alter_table('declaration_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_documents_declaration_id'), ['declaration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('declaration_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_documents_declaration_id'))

    op.drop_table('declaration_documents')
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declarations_social_insurance_number'))
        batch_op.drop_index('ix_declarations_queue')
        batch_op.drop_index(batch_op.f('ix_declarations_phone'))
        batch_op.drop_index(batch_op.f('ix_declarations_id_number'))
        batch_op.drop_index(batch_op.f('ix_declarations_email'))

    op.drop_table('declarations')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_phone'))
        batch_op.drop_index(batch_op.f('ix_participants_office_id'))
        batch_op.drop_index(batch_op.f('ix_participants_id_number'))

    op.drop_table('participants')
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_records_created_at'))

    op.drop_table('idempotency_records')
    op.drop_table('etransaction_accounts')
    op.drop_table('api_keys')
