"""Redis down when the decision commits: the message waits in PostgreSQL and leaves once Redis is back."""
import time

import pytest
from redis import Redis
from rq import Worker
from rq.registry import FinishedJobRegistry
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import OutboxMessage
from backoffice.models.outbox import OutboxStatus
from tests.notifications.conftest import approve, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def app_settings(app_settings, private_redis):
    """The app's jobs go to a redis-server of this test's own, which it stops and starts."""
    return {**app_settings, "REDIS_URL": private_redis.url}


def _statuses():
    db.session.expire_all()
    return [m.status for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_redis_down_at_commit_and_back_later(app, office, processes, private_redis, sms_gateway, smtp_server):
    worker, clock = processes.worker(private_redis.url), processes.cron(private_redis.url)
    redis = Redis.from_url(private_redis.url)
    wait_for(lambda: redis.keys("rq:worker:*") and redis.keys("rq:cron_scheduler:*"), what="worker and clock up")
    # the clock's first sweep runs at once: let it finish, or it could take the messages below
    finished = FinishedJobRegistry("notifications", connection=redis)
    wait_for(lambda: finished.count and Worker.all(connection=redis)[0].get_state() == "idle",
             what="the first sweep to finish")
    private_redis.stop()
    sms, _email = approve(office.id, 61)
    db.session.commit()  # the enqueue fails and is logged; the decision stands
    time.sleep(1.5)
    assert _statuses() == [OutboxStatus.pending, OutboxStatus.pending]
    assert sms_gateway.calls == [] and smtp_server.messages == []

    private_redis.start()
    for process, start in ((worker, processes.worker), (clock, processes.cron)):
        if process.poll() is not None:  # what the process manager does for a process that gave up
            start(private_redis.url)
    wait_for(lambda: _statuses() == [OutboxStatus.sent, OutboxStatus.sent], timeout=30,
             what="the sweep to send the messages once Redis is back")
    assert len(sms_gateway.calls) == 1 and list(sms_gateway.accepted) == [sms.idempotency_key]
    assert len(smtp_server.messages) == 1
