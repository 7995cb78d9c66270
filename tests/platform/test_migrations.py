"""Alembic is the source of the schema: an empty database migrated to head equals the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from backoffice import create_app
from backoffice.extensions import db
from tests.conftest import DATABASE_URL, _engine_url, _settings

SCRATCH = "test_migrations_scratch"


@pytest.fixture
def scratch_url():
    """An empty PostgreSQL database of its own, dropped afterwards."""
    admin = create_engine(_engine_url(DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {SCRATCH}"))
    url = DATABASE_URL.rsplit("/", 1)[0] + "/" + SCRATCH
    yield url
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
    admin.dispose()


def test_migrations_build_the_models_schema_and_downgrade_cleanly(scratch_url):
    app = create_app(**_settings(scratch_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations drifted: {diff}"
        assert "audit_entries" in inspect(db.engine).get_table_names()

        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        with db.engine.connect() as connection:
            functions = connection.execute(
                text("SELECT count(*) FROM pg_proc WHERE proname = 'audit_entries_reject_change'")).scalar()
        assert functions == 0

        upgrade()  # and back up again: the downgrade left nothing behind that blocks it
        assert "officers" in inspect(db.engine).get_table_names()
        db.engine.dispose()
