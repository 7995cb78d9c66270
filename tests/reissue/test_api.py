"""The intake API for reissue requests: create, read, idempotency, bad input (4xx, never 5xx), the postal webhook."""
import hashlib
import hmac
import io
import json
import time

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import ReissueRequest
from tests.api.conftest import stored_files

API = "/api/v1/reissue-requests"


def jpeg(size=(640, 480)):
    """A small valid JPEG."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(out, "JPEG")
    return out.getvalue()


def post(client, auth, payload, files=None, key=None):
    """POST a request as multipart, with an optional Idempotency-Key."""
    data = {"payload": payload if isinstance(payload, str) else json.dumps(payload)}
    for name, content in (files or {}).items():
        data[name] = (io.BytesIO(content), f"{name}.jpg")
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    return client.post(API, data=data, headers=headers, content_type="multipart/form-data")


def _count():
    return db.session.scalar(select(func.count()).select_from(ReissueRequest))


def test_create_and_read_back(client, auth, world):
    response = post(client, auth, world["card_pickup"])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["type"] == "bhyt_card" and body["status"] == "received" and body["due_at"]
    assert body["legal_basis"].startswith("QĐ 595")
    assert response.headers["Location"].endswith(body["reference"])
    again = client.get(f"{API}/{body['reference'].lower()}", headers=auth)
    assert again.status_code == 200 and again.json == body


def test_idempotency_replays_and_refuses_reuse(client, auth, world):
    first = post(client, auth, world["book"], key="abc-123")
    second = post(client, auth, world["book"], key="abc-123")
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true" and second.json == first.json
    assert _count() == 1
    other = post(client, auth, world["card_pickup"], key="abc-123")
    assert other.status_code == 409 and other.json["error"]["code"] == "idempotency_key_reused"
    assert post(client, auth, world["book"], key="bad key with spaces").status_code == 400


def test_identity_must_match_the_register(client, auth, world):
    wrong_name = {**world["card_pickup"], "full_name": "Nguyễn Văn Khác"}
    response = post(client, auth, wrong_name)
    assert response.status_code == 422 and "full_name" in response.json["error"]["fields"]
    unknown = {**world["card_pickup"], "social_insurance_number": "0000000001"}
    response = post(client, auth, unknown)
    assert "social_insurance_number" in response.json["error"]["fields"]
    assert _count() == 0


def test_every_problem_reported_at_once(client, auth, world):
    payload = {**world["transfer"], "destination_office_code": "99999", "start_month": "2020-01",
               "new_address": {"province_code": "01", "ward_code": "99999", "street": ""}}
    response = post(client, auth, payload)
    assert response.status_code == 422
    assert {"destination_office_code", "start_month", "new_address.ward_code", "new_address.street"} <= set(
        response.json["error"]["fields"])


def test_payout_change_to_a_new_recipient_needs_the_power_of_attorney(client, auth, world):
    payload = {**world["payout"], "method": "new_recipient",
               "new_recipient": {"full_name": "Trần Văn Con", "id_number": "001090000123"}}
    assert "power_of_attorney" in post(client, auth, payload).json["error"]["fields"]
    response = post(client, auth, payload, {"power_of_attorney": jpeg()})
    assert response.status_code == 201
    assert post(client, auth, payload, {"power_of_attorney": b"not an image"}).status_code == 422


def test_bad_input_is_4xx(client, auth, world):
    assert client.post(API, data="x", headers=auth, content_type="text/plain").status_code == 415
    assert post(client, auth, "{not json").status_code == 400
    assert post(client, auth, "[]").status_code == 422
    assert client.post(API, data={"payload": "{}"}, content_type="multipart/form-data").status_code == 401
    assert client.get(f"{API}/RNOSUCH000", headers=auth).status_code == 404
    assert stored_files(client.application) == []


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(payload=st.dictionaries(st.sampled_from(["type", "social_insurance_number", "full_name", "date_of_birth",
                                                "phone", "reason", "delivery", "data_change", "method", "bank_code",
                                                "start_month", "new_address", "new_recipient", "from_month"]),
                               st.none() | st.integers() | st.text(max_size=30) | st.lists(st.text(max_size=5))
                               | st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3)))
def test_any_payload_gets_a_4xx_never_a_5xx(client, auth, world, payload):
    response = post(client, auth, {"type": "bhyt_card", **payload} if "type" not in payload else payload)
    assert response.status_code < 500
    assert response.status_code == 201 or "error" in response.json


def test_schemathesis_over_the_reissue_endpoints(app, auth):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations() if "reissue" in result.ok().label]
    assert len(operations) == 3
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def conforms(case):
            case.call_and_validate(headers=auth, excluded_checks=[positive_data_acceptance])

        conforms()


def _signed(client, app, body):
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(app.config["SMS_RECEIPT_SECRET"].encode(), stamp.encode() + b"." + raw,
                         hashlib.sha256).hexdigest()
    return client.post(f"{API}/delivery-receipts", data=raw, content_type="application/json",
                       headers={"X-Timestamp": stamp, "X-Signature": signature})


def test_delivery_webhook_is_signed_and_moves_the_state(client, app, auth, world):
    from backoffice.services.reissue import workflow
    from tests.reissue.conftest import officer

    app.config["SMS_RECEIPT_SECRET"] = "postal-secret"
    reference = post(client, auth, world["card_post"]).json["reference"]
    request = db.session.scalar(select(ReissueRequest).where(ReissueRequest.reference == reference))
    clerk = officer("canbo.00131")
    workflow.start(clerk, request.id, request.version_id)
    workflow.ship(clerk, request.id, request.version_id, "EB55VN")
    db.session.commit()
    unsigned = client.post(f"{API}/delivery-receipts", json=[{"tracking_number": "EB55VN", "status": "delivered"}])
    assert unsigned.status_code == 401
    response = _signed(client, app, [{"tracking_number": "EB55VN", "status": "delivered"}])
    assert response.status_code == 200 and response.json == {"updated": 1}
    assert client.get(f"{API}/{reference}", headers=auth).json["status"] == "delivered"
    assert _signed(client, app, {"not": "a list"}).status_code == 400
