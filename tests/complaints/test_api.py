"""The intake API for complaints: create with attachments, read back, idempotency, reopening, bad input (4xx, never
5xx) by example and by hypothesis. The router is the shipped model (its accuracy has its own tests)."""
# ruff: noqa: F811 - fixtures imported from casework_fixtures
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Complaint, OutboxMessage, StoredFile
from backoffice.services.complaints import workflow
from backoffice.storage.access import storage
from tests.api.conftest import api_key, auth, jpeg, stored_files  # noqa: F401
from tests.complaints.casework_fixtures import TEXT, clock, officer, people  # noqa: F401

API = "/api/v1/complaints"
VALID = {"text": TEXT, "topic": "benefits", "phone": "0912 345 678", "email": "dan@example.vn",
         "full_name": "Nguyễn Văn An", "social_insurance_number": "7900000001", "office_code": "00131"}


def pdf_bytes(javascript=False):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Nguyễn Văn An, 12 Hàng Bài"})
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def clock_committed(clock):
    """The workflow tests' settable clock, its calendar year committed (the client's requests use other sessions)."""
    db.session.commit()
    return clock


def post(client, headers, payload, attachments=(), key=None):
    data = {"payload": payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)}
    if attachments:
        data["attachments"] = [(io.BytesIO(content), f"tep{i}.bin") for i, content in enumerate(attachments)]
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(API, data=data, headers={**headers, **extra}, content_type="multipart/form-data")


def _count():
    return db.session.scalar(select(func.count()).select_from(Complaint))


def test_create_with_attachments_routes_and_reads_back(client, auth, people):
    response = post(client, auth, VALID, [jpeg(), pdf_bytes(javascript=True)])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "received" and body["due_at"] and body["answer"] is None and body["kind"] is None
    assert response.headers["Location"].endswith(body["reference"])
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == body["reference"]))
    assert complaint.phone == "0912345678" and complaint.channel == "vssid_app" and complaint.category
    kinds = sorted(a.stored_file.content_type for a in complaint.attachments)
    assert kinds == ["application/pdf", "image/jpeg"]
    stored_pdf = next(a.stored_file for a in complaint.attachments if a.stored_file.content_type == "application/pdf")
    rewritten = storage().get(stored_pdf.storage_key)
    assert b"/JavaScript" not in rewritten and "Hàng Bài".encode() not in rewritten
    assert len(PdfReader(io.BytesIO(rewritten)).pages) == 1
    again = client.get(f"{API}/{body['reference'].lower()}", headers=auth)
    assert again.status_code == 200 and again.json == body
    assert "notes" not in again.json and "category" not in again.json  # nothing internal
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.case_type == "complaint",
                                                          OutboxMessage.case_id == str(complaint.id))).all()
    assert {m.channel.value for m in told} == {"sms", "email"}
    assert all(m.context["reference"] == body["reference"] for m in told)


def test_idempotency_replays_and_refuses_reuse(client, auth, people):
    first = post(client, auth, VALID, key="k-1")
    second = post(client, auth, VALID, key="k-1")
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true" and second.json == first.json
    assert _count() == 1
    other = post(client, auth, {**VALID, "text": TEXT + " Xin cảm ơn."}, key="k-1")
    assert other.status_code == 409 and other.json["error"]["code"] == "idempotency_key_reused"


def test_every_bad_field_is_named_and_nothing_is_stored(client, auth, people, app):
    bad = {**VALID, "text": "  ", "phone": "12", "email": "not-an-email", "social_insurance_number": "12ab",
           "topic": "weather", "office_code": "99999"}
    response = post(client, auth, bad, [jpeg()])
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert {"text", "phone", "email", "social_insurance_number", "topic", "office_code"} <= set(fields)
    assert all(m["vi"] and m["en"] for m in fields.values())
    assert _count() == 0 and stored_files(app) == []


def test_files_are_checked_and_limited(client, auth, people, app):
    too_many = post(client, auth, VALID, [jpeg()] * 6)
    assert too_many.status_code == 422 and "attachments" in too_many.json["error"]["fields"]
    junk = post(client, auth, VALID, [b"MZ\x90\x00 not a document"])
    assert junk.status_code == 422 and "attachments" in junk.json["error"]["fields"]
    broken_pdf = post(client, auth, VALID, [b"%PDF-1.7\n garbage"])
    assert broken_pdf.status_code == 422
    truncated = post(client, auth, VALID, [jpeg()[:200]])
    assert truncated.status_code == 422
    data = {"payload": json.dumps(VALID), "photo": (io.BytesIO(jpeg()), "x.jpg")}
    other_part = client.post(API, data=data, headers=auth, content_type="multipart/form-data")
    assert other_part.status_code == 422 and "photo" in other_part.json["error"]["fields"]
    assert _count() == 0 and stored_files(app) == []
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_protocol_errors(client, auth, people):
    assert client.post(API, json=VALID, headers=auth).status_code == 415
    assert post(client, {}, VALID).status_code == 401
    assert post(client, auth, "{not json").status_code == 400
    assert post(client, auth, "[1, 2]").status_code == 422
    assert post(client, auth, {**VALID, "text": 5}).status_code == 422
    assert post(client, auth, {**VALID, "secret": "x"}).status_code == 422
    assert client.get(f"{API}/PZZZZZZZZZ", headers=auth).status_code == 404
    assert client.get(f"{API}/PZZZZZZZZZ").status_code == 401


def test_denunciation_is_not_readable_through_the_api(client, auth, people, clock_committed):
    reference = post(client, auth, VALID).json["reference"]
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    complaint.confidential = True
    db.session.commit()
    assert client.get(f"{API}/{reference}", headers=auth).status_code == 404


def _close(complaint):
    complaint.state, complaint.answer_text = "closed", "Kính gửi Ông/Bà, BHXH đã kiểm tra và điều chỉnh."
    complaint.closed_at = workflow.calendar.now()
    db.session.commit()


def test_reopen_needs_the_phone_and_a_closed_case(client, auth, people, clock_committed):
    reference = post(client, auth, VALID).json["reference"]
    url = f"{API}/{reference}/reopen"
    body = {"phone": "0912345678", "reason": "Kết quả trả lời chưa đúng với quá trình đóng của tôi."}
    assert client.post(url, json=body, headers=auth).status_code == 409  # not closed yet
    _close(db.session.scalar(select(Complaint).where(Complaint.reference == reference)))
    closed = client.get(f"{API}/{reference}", headers=auth).json
    assert closed["status"] == "closed" and closed["answer"].startswith("Kính gửi")
    assert client.post(url, json={**body, "phone": "0987654321"}, headers=auth).status_code == 404
    assert client.post(url, json={**body, "reason": "x"}, headers=auth).status_code == 422
    assert client.post(url, data="x", headers=auth, content_type="text/plain").status_code == 415
    assert client.post(url, json=[1], headers=auth).status_code == 422
    response = client.post(url, json=body, headers=auth)
    assert response.status_code == 200 and response.json["status"] == "reopened"
    assert response.json["reference"] == reference and response.json["due_at"]


TEXTS = st.one_of(st.none(), st.integers(), st.text(max_size=60), st.lists(st.text(max_size=5), max_size=2),
                  st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))


@given(payload=st.fixed_dictionaries({}, optional={name: TEXTS for name in
                                                   ("text", "topic", "phone", "email", "full_name",
                                                    "social_insurance_number", "office_code", "extra")}))
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_any_payload_is_a_4xx_or_a_201(client, auth, people, payload):
    response = post(client, auth, payload)
    assert response.status_code in (201, 400, 422), response.data
    assert response.is_json and ("reference" in response.json or "error" in response.json)
    db.session.rollback()
