"""Shared fixtures: real PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL), migrated once per run.

The suite fails, never skips, when those services are unreachable.
"""
import logging
import os
import re

import pytest
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import create_engine, text

from backoffice import create_app
from backoffice.extensions import db, limiter
from backoffice.services import declarations, demo

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DEMO_PASSWORD = "mat-khau-thu-nghiem"


def _engine_url(url):
    from config import _database_url

    return _database_url(url)


def pytest_sessionstart(session):
    """Refuse to run without the real services, and migrate the test database from empty."""
    try:
        with create_engine(_engine_url(DATABASE_URL)).connect() as connection:
            connection.execute(text("SELECT 1"))
        Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 - any failure here must stop the run loudly
        pytest.exit(f"Test services unreachable ({exc}). Start PostgreSQL and Redis or fix "
                    f"TEST_DATABASE_URL / TEST_REDIS_URL.", returncode=3)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        reset_schema(DATABASE_URL)


def reset_schema(url):
    """Drop everything and apply every migration, as a new deployment would."""
    from flask_migrate import upgrade

    engine = create_engine(_engine_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app(**_settings(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _settings(url, **extra):
    values = dict(
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=_engine_url(url),
        REDIS_URL=REDIS_URL,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        WTF_CSRF_ENABLED=False,
        SECRET_KEY="test-secret-key-that-is-long-enough-0123",
    )
    values.update(extra)
    return values


def truncate_all(engine):
    """Empty every table but alembic_version; the audit trigger is bypassed for the test reset only.

    Transactions other connections left idle are ended first (a request the live server never closed)."""
    with engine.begin() as connection:
        tables = [t for t in db.metadata.sorted_tables]
        if engine.dialect.name == "postgresql":
            # a live-server request whose response the server never closed (its client gone) keeps its
            # session, idle in a transaction: the TRUNCATE would wait on its locks, or deadlock with them
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"))
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def app_settings(tmp_path):
    """Per-test settings; override in a test module to change them."""
    return _settings(DATABASE_URL, STORAGE_URL=f"file://{tmp_path / 'files'}", OUTBOX_DIR=str(tmp_path / "outbox"),
                     AUDIT_ANCHOR_FILE=str(tmp_path / "audit-anchors.log"))


class RequestScopedClient(FlaskClient):
    """Each request runs in its own app context (own `g`, own DB session), as in production.

    The test body keeps an app context of its own for direct service calls and queries; its
    objects are expired after every request so it sees what the request committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def app(app_settings):
    """A fresh app on the migrated test database; everything it wrote is removed afterwards."""
    application = create_app(**app_settings)
    application.test_client_class = RequestScopedClient
    with application.app_context():
        yield application
        db.session.remove()
        truncate_all(db.engine)
        db.engine.dispose()
    declarations.forget_counts()
    Redis.from_url(REDIS_URL).flushdb()
    limiter.reset()


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def demo_logins(app):
    """The demo offices and one officer per role per office (password DEMO_PASSWORD)."""
    logins = demo.seed_offices_and_officers(DEMO_PASSWORD)
    db.session.commit()
    return {login.username: login for login in logins}


def login(client, username, password=DEMO_PASSWORD):
    """Sign a test client in; returns the response of the POST."""
    return client.post("/login", data={"username": username, "password": password})


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path="/login"):
    """Read a CSRF token from a page, for tests that run with CSRF on."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    return match.group(1) or match.group(2)


@pytest.fixture
def captured_log(caplog, monkeypatch):
    """caplog at INFO for every logger, the engine's statement log included (as with echo on).

    The migrations' fileConfig, run at the start of the suite, disables the loggers that existed then (every
    module's `log`); they are enabled again for the test.
    """
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and logger.disabled:
            monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog
