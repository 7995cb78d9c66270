"""The outbox and its relay, run in-process against the real SMTP server, SMS gateway, PostgreSQL and Redis."""
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select, text, update

from backoffice.extensions import db
from backoffice.models import AuditEntry, OutboxMessage
from backoffice.models.base import utcnow
from backoffice.models.outbox import OutboxStatus
from backoffice.services import DomainError, notifications
from backoffice.services.notifications import outbox
from backoffice.tasks.notifications import relay
from tests.notifications.conftest import approve, free_port


def _queued_jobs(app):
    return Queue("notifications", connection=Redis.from_url(app.config["REDIS_URL"])).count


def _messages():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _make_due():
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_rolled_back_decision_sends_nothing(app, office, smtp_server, sms_gateway):
    approve(office.id, 1)
    db.session.rollback()
    assert _messages() == []
    assert _queued_jobs(app) == 0
    assert relay() == 0
    assert sms_gateway.calls == [] and smtp_server.messages == []


def test_a_committed_decision_sends_each_message_exactly_once(app, office, smtp_server, sms_gateway):
    sms, email = approve(office.id, 7, password="Xy7kPq2mNs4t")
    assert _queued_jobs(app) == 0  # nothing leaves before the commit
    db.session.commit()
    assert _queued_jobs(app) == 1

    assert relay() == 2
    assert relay() == 0  # a second run (a duplicate job, the sweep) finds nothing to do

    [call] = sms_gateway.calls
    assert call["key"] == sms.idempotency_key and call["body"]["ref"] == sms.idempotency_key
    assert call["auth"] == "Bearer gw-token" and call["body"]["to"] == "0912345678"
    assert "Mat khau tam: Xy7kPq2mNs4t" in call["body"]["text"] and "Nguyen Thi Anh" in call["body"]["text"]
    [mail] = smtp_server.messages
    assert mail["Message-ID"] == f"<{email.idempotency_key}@baohiemxahoi.gov.vn>"
    assert mail["Subject"] == "Tài khoản VssID của bạn đã được kích hoạt"
    assert mail.get_body("plain").get_content().startswith("Kính gửi Nguyễn Thị Ánh,")
    assert "Xy7kPq2mNs4t" not in mail.as_string()  # email never carries the password
    assert mail.get_body("html") is not None

    db.session.expire_all()
    assert [(m.status, m.attempts) for m in _messages()] == [(OutboxStatus.sent, 1), (OutboxStatus.sent, 1)]
    assert db.session.get(OutboxMessage, sms.id).provider_message_id == "gw-1"
    sent = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notification_sent")).all()
    assert sorted(e.details["channel"] for e in sent) == ["email", "sms"]
    assert {(e.object_type, e.object_id) for e in sent} == {("declaration", "7")}


def test_the_password_is_sealed_while_waiting_and_gone_after_sending(app, office, sms_gateway, smtp_server):
    approve(office.id, 8, password="Secret9Pass7")
    db.session.commit()
    dump = db.session.execute(text("SELECT CAST(o AS text) FROM outbox_messages o")).scalars().all()
    assert dump and not any("Secret9Pass7" in row for row in dump)
    assert db.session.scalar(select(OutboxMessage.secret_box).where(OutboxMessage.channel == "sms")) is not None

    relay()
    db.session.expire_all()
    assert [m.secret_box for m in _messages()] == [None, None]


def test_a_template_or_phone_error_fails_the_decision_itself(app, office):
    with pytest.raises(DomainError):
        approve(office.id, 9, phone="0123")
    with pytest.raises(ValueError):
        notifications.notify("declaration_approved", case_type="declaration", case_id=9, office_id=office.id,
                             phone="0912345678", context={}, secrets={"temporary_password": "x"})
    with pytest.raises(ValueError):  # the password must travel as a secret, never in the plain context
        notifications.notify("declaration_approved", case_type="declaration", case_id=9, office_id=office.id,
                             phone="0912345678", context={"temporary_password": "x"})


@pytest.mark.parametrize("failure", ["500", "timeout", "refused"])
def test_transient_failures_back_off_then_the_message_dies(app, office, sms_gateway, smtp_server, failure):
    if failure == "refused":
        app.config["SMS_GATEWAY_URL"] = f"http://127.0.0.1:{free_port()}/send"
        app.extensions.pop("notification_providers", None)
    else:
        sms_gateway.plan = [failure] * 3
    # long enough that a slow machine never sees the backoff end while the same relay run is still going
    base = app.config["OUTBOX_RETRY_BASE_SECONDS"] = 2.0
    sms, _email = approve(office.id, 10)
    db.session.commit()

    for attempt in (1, 2, 3):
        before = utcnow()
        relay()
        after = utcnow()
        db.session.expire_all()
        message = db.session.get(OutboxMessage, sms.id)
        assert message.attempts == attempt and message.last_error
        if attempt < 3:
            assert message.status == OutboxStatus.failed
            delay = base * 3 ** (attempt - 1)  # base × 3^(n−1), ±20 %
            assert (message.next_attempt_at - before).total_seconds() >= 0.8 * delay
            assert (message.next_attempt_at - after).total_seconds() <= 1.2 * delay
            assert relay() == 0  # not due before its backoff is over
            _make_due()
    assert message.status == OutboxStatus.dead and message.secret_box is None
    dead = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notification_dead")).all()
    assert [e.details["message_id"] for e in dead] == [sms.id]
    assert "0912345678" not in str(dead[0].details)
    if failure == "500":
        assert sms_gateway.accepted == {}
    if failure == "timeout":  # the slow gateway took the first call; the retries carried the same key
        assert sms_gateway.calls_for(sms.idempotency_key) == 3 and len(sms_gateway.accepted) == 1


def test_a_refused_number_dies_at_once(app, office, sms_gateway, smtp_server):
    sms_gateway.plan = ["400"]
    sms, _email = approve(office.id, 11)
    db.session.commit()
    relay()
    db.session.expire_all()
    message = db.session.get(OutboxMessage, sms.id)
    assert (message.status, message.attempts) == (OutboxStatus.dead, 1)


def test_a_message_already_sent_is_never_sent_again(app, office, sms_gateway, smtp_server):
    sms, _email = approve(office.id, 12)
    db.session.commit()
    relay()
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert relay() == 0
    assert len(sms_gateway.calls) == 1


def test_a_lease_left_by_a_dead_worker_is_retried_with_the_same_key(app, office, sms_gateway, smtp_server):
    sms, _email = approve(office.id, 13)
    db.session.commit()
    claims = outbox.claim_due("dead-worker-token", 10, lease_seconds=60)
    db.session.commit()
    outbox.deliver(next(c for c in claims if c.id == sms.id))  # sent, then the worker "dies" before saving
    assert relay() == 0  # leased: nobody else touches it yet

    _make_due()  # the lease runs out
    assert relay() == 2
    db.session.expire_all()
    message = db.session.get(OutboxMessage, sms.id)
    assert (message.status, message.attempts, message.provider_message_id) == (OutboxStatus.sent, 2, "gw-1")
    assert sms_gateway.calls_for(sms.idempotency_key) == 2 and len(sms_gateway.accepted) == 1
    # the dead worker's late save must not overwrite the new owner's result
    outbox.record("dead-worker-token", [outbox.Outcome(sms.id, error="late")])
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, sms.id).status == OutboxStatus.sent


def test_the_relay_hands_back_what_it_cannot_reach_within_half_the_lease(app, office, sms_gateway, smtp_server):
    app.config["OUTBOX_LEASE_SECONDS"] = 0.0  # every claimed row is already past half its lease
    approve(office.id, 14)
    db.session.commit()
    relay_budget = app.config["OUTBOX_RELAY_BUDGET_SECONDS"]
    app.config["OUTBOX_RELAY_BUDGET_SECONDS"] = 0.5
    relay()
    app.config["OUTBOX_RELAY_BUDGET_SECONDS"] = relay_budget
    db.session.expire_all()
    assert {(m.status, m.attempts) for m in _messages()} == {(OutboxStatus.pending, 0)}
    assert sms_gateway.calls == []


def test_without_redis_jobs_run_in_process_after_commit(app_settings, sms_gateway, smtp_server, demo_logins):
    from backoffice import create_app
    from backoffice.services.platform import offices

    local = create_app(**{**app_settings, "REDIS_URL": None})
    with local.app_context():
        approve(offices.by_code("00131").id, 15)
        db.session.commit()
        local.extensions["jobs"].drain()
        assert len(sms_gateway.accepted) == 1 and len(smtp_server.messages) == 1
        db.session.remove()
        db.engine.dispose()
