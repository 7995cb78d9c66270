"""declarations: queue indexes for the open work list and all states by age

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:52:23.309613

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_index('ix_declarations_office_age', ['office_id', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_declarations_open', ['office_id', 'submitted_at', 'id'], unique=False, postgresql_where=sa.text("state NOT IN ('approved', 'rejected')"), sqlite_where=sa.text("state NOT IN ('approved', 'rejected')"))



def downgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_declarations_open', postgresql_where=sa.text("state NOT IN ('approved', 'rejected')"), sqlite_where=sa.text("state NOT IN ('approved', 'rejected')"))
        batch_op.drop_index('ix_declarations_office_age')

