"""POST /api/v1/declarations: one success per kind, what gets stored, audited and queued."""
import io
import re

import pytest
from PIL import Image
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Declaration, DeclarationState, StoredFile
from backoffice.services.declarations import intake
from backoffice.storage.access import storage
from tests.api.conftest import DOCUMENTS, payload, stored_files, submit
from tests.conftest import REDIS_URL

REFERENCE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{10}$")


@pytest.mark.parametrize("kind", ["register", "register_child", "update", "stop"])
def test_each_kind_is_accepted_stored_audited_and_queued(app, client, auth, guardian, spec, kind):
    response = submit(client, auth, kind=kind)
    assert response.status_code == 201, response.get_json()
    spec.validate("/declarations", "post", response)
    body = response.get_json()
    assert REFERENCE.match(body["reference"]) and body["status"] == "submitted" and body["kind"] == kind
    assert response.headers["Location"] == f"/api/v1/declarations/{body['reference']}"

    declaration = db.session.scalar(select(Declaration).where(Declaration.reference == body["reference"]))
    assert declaration.state == DeclarationState.submitted and declaration.channel.value == "vssid_app"
    assert [d.kind.value for d in declaration.documents] == list(DOCUMENTS[kind])
    for document in declaration.documents:
        data = storage().get(document.stored_file.storage_key)
        assert document.stored_file.size == len(data) and document.stored_file.purpose == document.kind.value
        assert (document.width, document.height) == Image.open(io.BytesIO(data)).size == (320, 200)
        assert document.stored_file.office_id == declaration.office_id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_submitted"))
    assert entry.object_id == str(declaration.id) and entry.details["reference"] == declaration.reference
    assert entry.actor == "api:vssid_app"
    jobs = Queue("extraction", connection=Redis.from_url(REDIS_URL)).jobs
    assert [(j.func_name, j.args) for j in jobs] == [
        ("backoffice.tasks.declarations.extract_declaration", (declaration.id,))]


def test_declared_values_are_normalised(client, auth):
    body = payload(phone="+84 91 234 5678", full_name="  Nguyễn   Văn An ", email="An.Nguyen@Example.VN",
                   id_type="passport", id_number="c1234567")
    response = submit(client, auth, body)
    assert response.status_code == 201, response.get_json()
    declaration = db.session.scalar(select(Declaration))
    assert (declaration.phone, declaration.full_name, declaration.email, declaration.id_number) == (
        "0912345678", "Nguyễn Văn An", "An.Nguyen@example.vn", "C1234567")
    assert (declaration.province_code, declaration.ward_code) == ("01", "00070")


def test_optional_fields_may_be_left_out(client, auth):
    body = payload("stop", email=None, address=None)
    assert submit(client, auth, body, kind="stop").status_code == 201


def test_references_are_unique_random_and_not_a_sequence(app):
    references = {intake.new_reference() for _ in range(2000)}
    assert len(references) == 2000 and all(REFERENCE.match(r) for r in references)


def test_a_reference_reads_as_people_type_it():
    assert intake.normalise_reference("abcd-efgh-oi") == "ABCDEFGH01"


def test_get_shows_the_status_then_the_decision(app, client, auth, spec):
    reference = submit(client, auth).get_json()["reference"]
    shown = client.get(f"/api/v1/declarations/{reference.lower()}", headers=auth)
    assert shown.status_code == 200
    spec.validate("/declarations/{reference}", "get", shown)
    assert shown.get_json()["decision"] is None and shown.get_json()["status"] == "submitted"

    declaration = db.session.scalar(select(Declaration))
    declaration.state, declaration.rejection_code = DeclarationState.rejected, "ID_MISMATCH"
    declaration.rejection_text = "Thông tin kê khai không khớp với căn cước."
    declaration.decided_at = declaration.submitted_at
    db.session.commit()
    decided = client.get(f"/api/v1/declarations/{reference}", headers=auth)
    spec.validate("/declarations/{reference}", "get", decided)
    decision = decided.get_json()["decision"]
    assert decided.get_json()["status"] == "rejected" and decision["outcome"] == "rejected"
    assert decision["reason"]["code"] == "ID_MISMATCH" and decision["reason"]["next_step"]

    declaration.state = DeclarationState.awaiting_second_approval
    declaration.decided_at = None
    db.session.commit()
    assert client.get(f"/api/v1/declarations/{reference}", headers=auth).get_json()["status"] == "in_review"


def test_get_unknown_reference_is_404_json(client, auth, spec):
    response = client.get("/api/v1/declarations/ZZZZZZZZZZ", headers=auth)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    spec.validate("/declarations/{reference}", "get", response)


def test_a_failure_after_photos_were_stored_removes_them(app, client, auth, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake.audit, "record", broken)
    response = submit(client, auth)
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal_error"
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
