"""supervision: the backlog snapshot keyed by department too (a reissue type or a complaint belongs to its own
department, so one office holds open cases of one case type in several departments)

Revision ID: 0014
Revises: 0013
"""
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rollup_backlog") as batch:
        batch.drop_constraint("uq_rollup_backlog_key", type_="unique")
        batch.create_unique_constraint("uq_rollup_backlog_key", ["office_id", "department", "case_type", "bucket"])


def downgrade():
    op.execute("DELETE FROM rollup_backlog")  # a snapshot, rebuilt by the next refresh
    with op.batch_alter_table("rollup_backlog") as batch:
        batch.drop_constraint("uq_rollup_backlog_key", type_="unique")
        batch.create_unique_constraint("uq_rollup_backlog_key", ["office_id", "case_type", "bucket"])
