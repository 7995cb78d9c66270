"""The payout change's fraud path through the API: the SMS to the phone registered before the request says how to
stop the change, and the citizen's stop with the code from it keeps the change from ever taking effect."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Benefit, OutboxMessage, ReissueRequest, ReissueState
from backoffice.models.outbox import Channel
from backoffice.services import Conflict
from backoffice.services.notifications import message_templates
from backoffice.services.platform import secret_box
from backoffice.services.reissue import citizen_stop, workflow
from tests.reissue.conftest import officer
from tests.reissue.test_api import API, post

S = ReissueState


def _stop(client, auth, reference, code, **kwargs):
    return client.post(f"{API}/{reference}/stop", data=json.dumps({"stop_code": code}),
                       content_type="application/json", headers=auth, **kwargs)


def _request(reference):
    db.session.expire_all()
    return db.session.scalar(select(ReissueRequest).where(ReissueRequest.reference == reference))


def _sms_texts(request):
    """The SMS warnings about the request as the gateway receives them (secrets unsealed)."""
    texts = []
    for message in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.case_id == str(request.id), OutboxMessage.event == "reissue_payout_change_requested",
            OutboxMessage.channel == Channel.sms).order_by(OutboxMessage.id)):
        secrets = secret_box.unseal(message.secret_box, message.idempotency_key)
        texts.append((message.recipient,
                      message_templates.render(message.event, Channel.sms, message.context, secrets).text))
    return texts


def _approve(request):
    maker, checker = officer("canbo.cs.00131"), officer("canbo2.cs.00131")
    for who, step, *args in ((maker, workflow.start), (maker, workflow.confirm_identity, "Đối chiếu ảnh và căn cước"),
                             (maker, workflow.propose_payout_change), (checker, workflow.approve_payout_change)):
        step(who, request.id, request.version_id, *args)
        db.session.commit()
    return request


@pytest.fixture
def payout(client, auth, world):
    """A payout change received through the API from a new phone number (perhaps the fraudster's)."""
    response = post(client, auth, {**world["payout"], "phone": "0987654321"})
    assert response.status_code == 201, response.json
    return _request(response.json["reference"])


def test_sms_to_the_registered_phone_says_how_to_stop_with_the_code(payout):
    texts = _sms_texts(payout)
    assert [recipient for recipient, _ in texts] == ["0912000001"]  # the register's phone, not the request's
    text = texts[0][1]
    code = citizen_stop.stop_code(payout)
    assert code in text and payout.reference in text and "Dung yeu cau" in text
    assert text.isascii() and message_templates.sms_segments(text) <= 2
    emails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == str(payout.id), OutboxMessage.channel == Channel.email)).all()
    assert all(message.secret_box is None for message in emails)  # the code goes to the old phone only


def test_stop_during_cooling_off_prevents_the_change(client, auth, payout):
    request = _approve(payout)
    assert request.state == S.cooling_off
    texts = _sms_texts(request)
    assert len(texts) == 2 and all(citizen_stop.stop_code(request) in text for _, text in texts)
    response = _stop(client, auth, request.reference.lower(), citizen_stop.stop_code(request))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "cancelled"
    request = _request(request.reference)
    assert request.state == S.cancelled and request.closed_at is not None
    assert workflow.apply_due_payout_changes(request.effective_at + timedelta(days=30)) == 0
    db.session.commit()
    benefit = db.session.scalar(select(Benefit).where(
        Benefit.social_insurance_number == request.social_insurance_number))
    assert benefit.payout_method == "cash" and benefit.account_number is None
    assert _stop(client, auth, request.reference, citizen_stop.stop_code(request)).status_code == 200  # a retry
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(request.id))))
    assert "reissue_citizen_stopped" in actions
    told = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == str(request.id), OutboxMessage.event == "reissue_status_changed")).all()
    assert any(message.context["status_label"] == "Đã dừng" for message in told)


def test_stop_before_approval_too(client, auth, payout):
    assert _stop(client, auth, payout.reference, citizen_stop.stop_code(payout)).status_code == 200
    request = _request(payout.reference)
    assert request.state == S.cancelled
    maker = officer("canbo.cs.00131")
    with pytest.raises(Conflict):  # closed: no step of the office applies any more
        workflow.start(maker, request.id, request.version_id)
    db.session.rollback()


def test_wrong_codes_are_counted_then_locked(client, auth, payout):
    right = citizen_stop.stop_code(payout)
    wrong = f"{(int(right) + 1) % 10 ** 8:08d}"
    for _ in range(citizen_stop.MAX_FAILURES):
        response = _stop(client, auth, payout.reference, wrong)
        assert response.status_code == 403 and response.json["error"]["code"] == "wrong_stop_code"
    locked = _stop(client, auth, payout.reference, right)  # even the right code: only the office now
    assert locked.status_code == 423
    request = _request(payout.reference)
    assert request.state == S.received and request.stop_failures == citizen_stop.MAX_FAILURES
    refused = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_id == str(request.id), AuditEntry.action == "reissue_citizen_stop_refused")).all()
    assert len(refused) == citizen_stop.MAX_FAILURES


def test_too_late_once_in_effect(client, auth, payout):
    request = _approve(payout)
    workflow.apply_payout_change(request.id, request.effective_at)
    db.session.commit()
    response = _stop(client, auth, request.reference, citizen_stop.stop_code(request))
    assert response.status_code == 409 and _request(request.reference).state == S.completed


def test_bad_stop_requests_are_4xx(client, auth, world, payout):
    code = citizen_stop.stop_code(payout)
    assert _stop(client, auth, "RNOSUCH000", code).status_code == 404
    card = post(client, auth, world["card_pickup"]).json["reference"]
    assert _stop(client, auth, card, code).status_code == 404  # only payout changes can be stopped
    assert _stop(client, {}, payout.reference, code).status_code == 401
    url = f"{API}/{payout.reference}/stop"
    assert client.post(url, data="x", content_type="text/plain", headers=auth).status_code == 415
    assert client.post(url, data="{", content_type="application/json", headers=auth).status_code == 400
    assert client.post(url, data="[]", content_type="application/json", headers=auth).status_code == 422
    assert client.post(url, data=json.dumps({"stop_code": 12345678}), content_type="application/json",
                       headers=auth).status_code == 422
    assert client.post(url, data=json.dumps({"stop_code": "1" * 2000}), content_type="application/json",
                       headers=auth).status_code == 413
    assert _request(payout.reference).state == S.received
