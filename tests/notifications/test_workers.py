"""Real RQ workers (subprocesses, app preloaded) and `rq cron`, SIGKILLed while sending: every committed
message reaches the gateway's handsets exactly once."""
import os
import signal
import time

import pytest
from sqlalchemy import select, update

from backoffice.extensions import db
from backoffice.models import OutboxMessage
from backoffice.models.base import utcnow
from backoffice.models.outbox import OutboxStatus
from tests.notifications.conftest import approve, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def app_settings(app_settings):
    """A client timeout longer than the gateway's "hold", so a kill lands while the call is in flight."""
    return {**app_settings, "SMS_TIMEOUT": 5.0}


def _statuses():
    db.session.expire_all()
    return [m.status for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _all_sent(expected):
    return lambda: _statuses() == [OutboxStatus.sent] * expected


def _assert_delivered_once(sms, sms_gateway, smtp_server):
    assert len(sms_gateway.accepted) == 1 and sms.idempotency_key in sms_gateway.accepted
    assert len(smtp_server.messages) == 1
    message = db.session.get(OutboxMessage, sms.id)
    assert message.provider_message_id == sms_gateway.accepted[sms.idempotency_key][0]


def test_a_worker_sends_a_committed_decision_once(app, office, processes, sms_gateway, smtp_server):
    processes.worker()
    sms, _email = approve(office.id, 51)
    db.session.commit()
    wait_for(_all_sent(2), what="the worker to send both messages")
    assert len(sms_gateway.calls) == 1
    _assert_delivered_once(sms, sms_gateway, smtp_server)


def _kill_while_sending(app, office, processes, sms_gateway, kill):
    worker = processes.worker()
    processes.cron()
    sms_gateway.plan = ["hold"]
    sms, _email = approve(office.id, 52)
    db.session.commit()
    wait_for(lambda: sms_gateway.calls and processes.children(worker), what="the work-horse to call the gateway")
    kill(worker)
    return sms


def test_sigkill_of_the_work_horse_during_sending(app, office, processes, sms_gateway, smtp_server):
    def kill_horse(worker):
        os.kill(processes.horse(worker), signal.SIGKILL)

    sms = _kill_while_sending(app, office, processes, sms_gateway, kill_horse)
    wait_for(_all_sent(2), what="the sweep to finish the message after the lease")
    assert sms_gateway.calls_for(sms.idempotency_key) == 2  # the retry carried the same key...
    _assert_delivered_once(sms, sms_gateway, smtp_server)  # ...so the gateway sent it once
    assert db.session.get(OutboxMessage, sms.id).attempts == 2


def test_sigkill_of_the_whole_worker_during_sending(app, office, processes, sms_gateway, smtp_server):
    sms = _kill_while_sending(app, office, processes, sms_gateway, processes.kill_group)
    assert _statuses()[0] == OutboxStatus.sending
    processes.worker()  # the process manager starts a new one
    wait_for(_all_sent(2), what="a new worker to finish the message after the lease")
    assert sms_gateway.calls_for(sms.idempotency_key) == 2
    _assert_delivered_once(sms, sms_gateway, smtp_server)


def test_a_worker_killed_after_the_final_dot_leaves_the_email_uncertain(app, office, processes, sms_gateway,
                                                                         smtp_server):
    smtp_server.delay = 3.0  # the server holds its answer: the kill lands after the dot, before the answer
    worker = processes.worker()
    processes.cron()
    _sms, email = approve(office.id, 53)
    db.session.commit()
    wait_for(lambda: _statuses()[1] == OutboxStatus.handover, what="the worker to hand the email over")
    processes.kill_group(worker)
    processes.worker()
    wait_for(lambda: _statuses() == [OutboxStatus.sent, OutboxStatus.uncertain],
             what="the sweep to settle the abandoned hand-over")
    wait_for(lambda: len(smtp_server.messages) == 1, what="the server to finish taking the message")
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    time.sleep(2.5)  # two more sweeps
    assert _statuses() == [OutboxStatus.sent, OutboxStatus.uncertain]
    assert len(smtp_server.messages) == 1 and len(sms_gateway.accepted) == 1
