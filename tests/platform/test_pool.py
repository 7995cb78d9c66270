"""Pooled connections are pinged only after sitting idle, and a dead one is replaced before a request sees it."""
import time

import pytest
from sqlalchemy import create_engine, exc, text

from backoffice.engine import pool
from tests.conftest import DATABASE_URL, _engine_url


def _engine(idle_seconds):
    engine = create_engine(_engine_url(DATABASE_URL), pool_size=1, max_overflow=0)
    pool.configure(engine, idle_seconds=idle_seconds)
    return engine


def _backend_pid(engine):
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def _terminate(pid):
    killer = create_engine(_engine_url(DATABASE_URL))
    with killer.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    killer.dispose()


def test_a_connection_killed_while_idle_is_replaced_transparently():
    engine = _engine(idle_seconds=0.2)
    first = _backend_pid(engine)
    _terminate(first)
    time.sleep(0.3)
    second = _backend_pid(engine)  # without the ping this raises OperationalError
    assert second != first
    engine.dispose()


def test_a_connection_back_a_moment_ago_is_handed_out_without_a_ping():
    engine = _engine(idle_seconds=60)
    _terminate(_backend_pid(engine))
    # No round trip was spent checking it, so the request that gets it meets the dead connection itself
    # (the rare price of saving a round trip on every request); the pool then drops it.
    with pytest.raises(exc.OperationalError):
        _backend_pid(engine)
    assert _backend_pid(engine)
    engine.dispose()
