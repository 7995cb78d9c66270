"""reissue: the count of wrong stop codes a citizen sent for a payout change

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reissue_requests') as batch_op:
        batch_op.add_column(sa.Column('stop_failures', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('reissue_requests') as batch_op:
        batch_op.drop_column('stop_failures')
