"""audit: audit_chain_head(), the chain's lock and its head in one round trip (PostgreSQL)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The head is read after the lock is granted, by a query of its own: a VOLATILE function takes a fresh snapshot for
# each query it runs, so it sees every entry committed while it waited. One SELECT doing both would read the head
# in a snapshot taken before the wait, and two writers would chain onto the same entry.
CREATE = """
CREATE FUNCTION audit_chain_head(lock_key bigint) RETURNS varchar LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN (SELECT entry_hash FROM audit_entries ORDER BY id DESC LIMIT 1);
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_chain_head(bigint)")
