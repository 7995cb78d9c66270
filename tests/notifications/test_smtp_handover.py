"""SMTP cannot drop a repeated message, so the relay marks the hand-over just before the final dot of DATA:
before it nothing is delivered and the message is retried; after it, a lost answer makes the message
`uncertain`, never sent twice automatically, and a supervisor settles it."""
from datetime import timedelta
from functools import partial

from sqlalchemy import select, update

from backoffice.extensions import db
from backoffice.models import AuditEntry, OutboxMessage
from backoffice.models.base import utcnow
from backoffice.models.outbox import OutboxStatus
from backoffice.services.notifications import outbox
from backoffice.tasks import notifications as relay_job
from backoffice.tasks.notifications import relay
from tests.conftest import login
from tests.notifications.conftest import approve, wait_for


def _email_claim(office, case_id, token):
    _sms, email = approve(office.id, case_id)
    db.session.commit()
    claims = outbox.claim_due(token, 10, lease_seconds=60)
    db.session.commit()
    return email, next(claim for claim in claims if claim.id == email.id)


def _status(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id).status


def test_the_hand_over_is_saved_before_the_server_can_have_the_message(app, office, smtp_server, sms_gateway):
    email, claim = _email_claim(office, 61, "run-a")
    seen = []

    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == email.id)
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))  # the claim's lease is over
    db.session.commit()

    def hand_over():
        relay_job._hand_over("run-a", email.id)
        seen.append((len(smtp_server.messages), _status(email.id)))
        assert outbox.settle_abandoned_handovers() == 0  # the hand-over renewed the lease: not abandoned

    outcome = outbox.deliver(claim, hand_over)
    assert outcome.sent
    assert seen == [(0, OutboxStatus.handover)]  # committed while the server still held nothing
    assert len(smtp_server.messages) == 1


def test_a_run_that_lost_its_claim_stops_before_the_final_dot(app, office, smtp_server, sms_gateway):
    email, claim = _email_claim(office, 62, "run-a")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == email.id).values(claim_token="run-b"))
    db.session.commit()

    outcome = outbox.deliver(claim, partial(relay_job._hand_over, "run-a", email.id))
    assert not outcome.sent and not outcome.uncertain and "claim" in outcome.error
    assert smtp_server.messages == []  # the server dropped the unfinished DATA
    assert _status(email.id) == OutboxStatus.sending  # still run-b's to send


def test_a_lost_answer_after_the_final_dot_is_uncertain_and_never_resent(app, client, office, smtp_server,
                                                                         sms_gateway):
    smtp_server.delay = 3.0  # longer than SMTP_TIMEOUT: the server takes the message, the answer comes too late
    _sms, email = approve(office.id, 63)
    db.session.commit()
    assert relay() == 2
    assert _status(email.id) == OutboxStatus.uncertain
    wait_for(lambda: len(smtp_server.messages) == 1, what="the server to finish taking the message")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "notification_uncertain"))
    assert entry.object_id == "63" and entry.details["channel"] == "email"

    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert relay() == 0  # not claimable: only a person decides to send it again
    assert len(smtp_server.messages) == 1

    login(client, "giamsat.00131")
    answer = client.get("/notifications/problems?status=uncertain")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'aria-current="page">Chưa rõ đã gửi' in page
    assert f'id="problem-{email.id}"' in page and email.idempotency_key in page
    assert '<a href="/declarations/63">Tờ khai #63</a>' in page
    assert client.post(f"/notifications/{email.id}/confirm-sent").status_code == 303
    message = db.session.get(OutboxMessage, email.id)
    db.session.refresh(message)
    assert message.status == OutboxStatus.sent and message.sent_at is not None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "notification_confirmed_sent"))
    page = client.post(f"/notifications/{email.id}/confirm-sent", follow_redirects=True).get_data(as_text=True)
    assert "Chỉ xác nhận đã gửi được các tin nhắn chưa rõ kết quả." in page
    assert len(smtp_server.messages) == 1


def test_a_supervisor_may_send_an_uncertain_message_again(app, client, office, smtp_server, sms_gateway):
    smtp_server.delay = 3.0
    _sms, email = approve(office.id, 64)
    db.session.commit()
    relay()
    assert _status(email.id) == OutboxStatus.uncertain
    wait_for(lambda: len(smtp_server.messages) == 1, what="the server to finish taking the message")
    smtp_server.delay = 0.0

    login(client, "giamsat.00131")
    assert client.post(f"/notifications/{email.id}/requeue").status_code == 303
    relay()
    assert _status(email.id) == OutboxStatus.sent
    assert len(smtp_server.messages) == 2  # the supervisor's choice, with the same Message-ID
    assert len(set(smtp_server.message_ids())) == 1
