"""declarations: the reception desk's day (issue 18): the citizen's deadline and its one extension, the mark of a
case returned to the queue (documents received, or a second approval sent back) with its note; the name folded
for the counter's search without diacritics

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-04 05:00:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _name_key(name):
    # as services.declarations.search.name_key: case-folded, without diacritics (Đ is D), spaces collapsed
    text = unicodedata.normalize("NFC", " ".join((name or "").split())).casefold().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _backfill():
    connection = op.get_bind()
    table = sa.table('declarations', sa.column('id', sa.BigInteger()), sa.column('full_name', sa.String(200)),
                     sa.column('name_key', sa.String(200)))
    last = 0
    while True:
        rows = connection.execute(sa.select(table.c.id, table.c.full_name).where(table.c.id > last)
                                  .order_by(table.c.id).limit(1000)).all()
        if not rows:
            return
        connection.execute(table.update().where(table.c.id == sa.bindparam('row_id'))
                           .values(name_key=sa.bindparam('key')),
                           [{'row_id': row_id, 'key': _name_key(name)} for row_id, name in rows])
        last = rows[-1][0]


def upgrade():
    with op.batch_alter_table('declarations') as batch:
        # the last working day the citizen has to bring or send what was asked for (a local date, Asia/Ho_Chi_Minh)
        batch.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('deadline_extended', sa.Boolean(), nullable=False, server_default=sa.false()))
        # back in the queue after waiting (documents received) or sent back by the second approver
        batch.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('returned_note', sa.Text(), nullable=True))
        batch.add_column(sa.Column('name_key', sa.String(200), nullable=True))
    _backfill()
    # the no-show sweep reads the waiting cases by deadline
    op.create_index('ix_declarations_due', 'declarations', ['due_on'],
                    postgresql_where=sa.text("state = 'awaiting_citizen'"),
                    sqlite_where=sa.text("state = 'awaiting_citizen'"))


def downgrade():
    op.drop_index('ix_declarations_due', table_name='declarations')
    with op.batch_alter_table('declarations') as batch:
        batch.drop_column('name_key')
        batch.drop_column('returned_note')
        batch.drop_column('returned_at')
        batch.drop_column('deadline_extended')
        batch.drop_column('due_on')
