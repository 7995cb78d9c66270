"""declarations: the claims index carries the id too, so take-next reads lapsed claims in its order without a sort

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

CLAIMED = sa.text("state = 'in_review'")


def _replace(columns):
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_declarations_claims', postgresql_where=CLAIMED, sqlite_where=CLAIMED)
        batch_op.create_index('ix_declarations_claims', columns, unique=False,
                              postgresql_where=CLAIMED, sqlite_where=CLAIMED)


def upgrade():
    _replace(['office_id', 'claim_touched_at', 'id'])


def downgrade():
    _replace(['office_id', 'claim_touched_at'])
