"""supervision: the reason rollup keyed by department too (a reissue rejection in the card department and one in the
benefits department, with the same reason, the same day at the same office, are two rows; the old key made the
refresh fail on the second)

Revision ID: 0017
Revises: 0016
"""
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_KEY = "day, office_id, case_type, officer_id, code"


def upgrade():
    with op.batch_alter_table("rollup_reasons") as batch:
        batch.drop_constraint("uq_rollup_reasons_key", type_="unique")
        batch.create_unique_constraint("uq_rollup_reasons_key",
                                       ["day", "office_id", "case_type", "department", "officer_id", "code"])


def downgrade():
    # Fold the rows the old key cannot tell apart into the first of them (the counts are kept, the department lost).
    op.execute(f"""UPDATE rollup_reasons r SET count = s.total FROM (
                       SELECT min(id) AS id, sum(count) AS total FROM rollup_reasons GROUP BY {OLD_KEY}
                       HAVING count(*) > 1) s WHERE r.id = s.id""")
    op.execute(f"""DELETE FROM rollup_reasons WHERE id NOT IN (SELECT min(id) FROM rollup_reasons GROUP BY {OLD_KEY})""")
    with op.batch_alter_table("rollup_reasons") as batch:
        batch.drop_constraint("uq_rollup_reasons_key", type_="unique")
        batch.create_unique_constraint("uq_rollup_reasons_key", ["day", "office_id", "case_type", "officer_id", "code"])
