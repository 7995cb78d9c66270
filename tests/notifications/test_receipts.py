"""POST /api/v1/sms/receipts: HMAC-signed delivery receipts from the SMS gateway."""
import hashlib
import hmac
import json
import time

from backoffice.extensions import db
from backoffice.models import OutboxMessage
from backoffice.models.outbox import DeliveryStatus
from backoffice.tasks.notifications import relay
from tests.notifications.conftest import RECEIPT_SECRET, approve

URL = "/api/v1/sms/receipts"


def _post(client, payload, secret=RECEIPT_SECRET, timestamp=None):
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return client.post(URL, data=body, content_type="application/json",
                       headers={"X-Timestamp": stamp, "X-Signature": f"sha256={signature}"})


def _sent_sms(office):
    sms, _email = approve(office.id, 21)
    db.session.commit()
    relay()
    return sms.id


def _delivery(message_id):
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    return message.delivery_status, message.shown_status


def test_a_signed_receipt_updates_the_delivery_status(app, client, office, sms_gateway, smtp_server):
    message_id = _sent_sms(office)
    assert _delivery(message_id) == (None, "sent")
    assert _post(client, {"id": "gw-1", "status": "ENROUTE"}).get_json() == {"updated": 0}
    answer = _post(client, {"id": "gw-1", "status": "DELIVRD"})
    assert answer.status_code == 200 and answer.get_json() == {"updated": 1}
    assert _delivery(message_id) == (DeliveryStatus.delivered, "delivered")
    # delivered is final: a late failure report for the same message changes nothing
    assert _post(client, [{"id": "gw-1", "status": "failed"}]).get_json() == {"updated": 0}
    assert _delivery(message_id) == (DeliveryStatus.delivered, "delivered")


def test_a_receipt_may_name_our_reference_instead_of_the_gateway_id(app, client, office, sms_gateway, smtp_server):
    message_id = _sent_sms(office)
    key = db.session.get(OutboxMessage, message_id).idempotency_key
    receipt = {"ref": key, "status": "undelivered", "detail": "Thuê bao không liên lạc được"}
    assert _post(client, receipt).status_code == 200
    assert _delivery(message_id) == (DeliveryStatus.undelivered, "failed")


def test_bad_signatures_are_refused_and_change_nothing(app, client, office, sms_gateway, smtp_server):
    message_id = _sent_sms(office)
    wrong_secret = _post(client, {"id": "gw-1", "status": "delivered"}, secret="guessed")
    stale = _post(client, {"id": "gw-1", "status": "delivered"}, timestamp=int(time.time()) - 3600)
    unsigned = client.post(URL, json={"id": "gw-1", "status": "delivered"})
    for response in (wrong_secret, stale, unsigned):
        assert response.status_code == 401
        assert response.get_json()["error"]["message"]
    assert _delivery(message_id) == (None, "sent")


def test_a_signed_but_malformed_receipt_is_a_400(app, client, office):
    assert _post(client, ["not an object"]).status_code == 400
    body = b"{not json"
    stamp = str(int(time.time()))
    signature = hmac.new(RECEIPT_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    response = client.post(URL, data=body, headers={"X-Timestamp": stamp, "X-Signature": signature})
    assert response.status_code == 400
