"""declarations: index of claims by last activity, for take-next's lapsed-claim lookup

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 07:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

CLAIMED = sa.text("state = 'in_review'")


def upgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_index('ix_declarations_claims', ['office_id', 'claim_touched_at'], unique=False,
                              postgresql_where=CLAIMED, sqlite_where=CLAIMED)


def downgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_declarations_claims', postgresql_where=CLAIMED, sqlite_where=CLAIMED)
