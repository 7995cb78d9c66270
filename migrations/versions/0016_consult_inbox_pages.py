"""complaints: the consult inbox read in keyset pages, due first (open consults of a department, by due_at and id)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 15:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_complaint_consults_open', 'complaint_consults',
                    ['office_id', 'department_code', 'due_at', 'id'],
                    postgresql_where=sa.text('answered_at IS NULL'), sqlite_where=sa.text('answered_at IS NULL'))


def downgrade():
    op.drop_index('ix_complaint_consults_open', table_name='complaint_consults')
