"""Without Redis (`make run`), the deadline sweep runs in-process on a timer, as rq cron runs it with Redis."""
import time

import pytest

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import ReissueRequest
from backoffice.services.platform import passwords
from backoffice.services.reissue import demo
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def app_settings(app_settings):
    return {**app_settings, "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://", "TESTING": False,
            "CASEWORK_SWEEP_SECONDS": 0.2, "PAYOUT_CHANGE_SWEEP_SECONDS": 3600}


def test_the_sweep_runs_in_process_without_redis(app, demo_logins):
    runner = app.extensions["jobs"]
    try:
        demo.seed_officers(passwords.hash_password(DEMO_PASSWORD))
        payloads = demo.demo_payloads(demo.seed_register())
        request = demo.create_from_payload(payloads["card_pickup"])
        request.due_at = request.due_soon_at = request.received_at  # already overdue
        db.session.commit()
        for _ in range(50):
            time.sleep(0.1)
            db.session.expire_all()
            if db.session.get(ReissueRequest, request.id).escalated_at is not None:
                break
        assert db.session.get(ReissueRequest, request.id).flagged
    finally:
        runner.stop_periodic()
        runner.drain()


def test_no_timer_under_tests_or_with_redis(app_settings):
    assert create_app(**{**app_settings, "TESTING": True}).extensions["jobs"]._timers == {}
