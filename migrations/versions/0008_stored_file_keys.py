"""stored_files: an unguessable URL-safe key for each file's address (ids are sequential); declaration_documents:
index on stored_file_id (a file's access is found through the declaration that owns it)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 1000  # rows keyed per statement: a few round trips for millions of files, little memory


def _backfill():
    # Keys are drawn here, in Python, from `secrets`: the database's random() is not a cryptographic source.
    connection = op.get_bind()
    files = sa.table('stored_files', sa.column('id', sa.Integer()), sa.column('key', sa.String(43)))
    last = 0
    while True:
        ids = connection.execute(sa.select(files.c.id).where(files.c.key.is_(None), files.c.id > last)
                                 .order_by(files.c.id).limit(BATCH)).scalars().all()
        if not ids:
            return
        connection.execute(files.update().where(files.c.id == sa.bindparam('file_id'))
                           .values(key=sa.bindparam('new_key')),
                           [{'file_id': file_id, 'new_key': secrets.token_urlsafe(32)} for file_id in ids])
        last = ids[-1]


def upgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=43), nullable=True))
    _backfill()
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=43), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_stored_files_key'), ['key'])
    with op.batch_alter_table('declaration_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_documents_stored_file_id'), ['stored_file_id'], unique=False)


def downgrade():
    with op.batch_alter_table('declaration_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_documents_stored_file_id'))
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_stored_files_key'), type_='unique')
        batch_op.drop_column('key')
