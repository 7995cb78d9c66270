"""complaint letters: the answer's letter number (per office, per year) and its sequence; files of consults

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 12:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_sequences',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_letter_sequences_office_id_offices')),
    sa.PrimaryKeyConstraint('office_id', 'year', name=op.f('pk_letter_sequences'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_number', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_complaints_letter_number'), ['letter_number'])
    with op.batch_alter_table('complaint_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consult_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_complaint_attachments_consult_id_complaint_consults'),
                                    'complaint_consults', ['consult_id'], ['id'])


def downgrade():
    with op.batch_alter_table('complaint_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaint_attachments_consult_id_complaint_consults'),
                                 type_='foreignkey')
        batch_op.drop_column('consult_id')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaints_letter_number'), type_='unique')
        batch_op.drop_column('letter_number')
    op.drop_table('letter_sequences')
