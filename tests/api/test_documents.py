"""POST /api/v1/declarations/{reference}/documents: the citizen sends again what a waiting declaration asked for."""
import io

from redis import Redis
from rq import Queue
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState
from tests.api.conftest import jpeg, submit
from tests.conftest import REDIS_URL

S = DeclarationState


def waiting_for(client, auth, reason="reupload_id_front"):
    """A declaration submitted through the API, then set to wait for the citizen."""
    reference = submit(client, auth).get_json()["reference"]
    declaration = db.session.scalar(select(Declaration).where(Declaration.reference == reference))
    declaration.state, declaration.awaiting_reason = S.awaiting_citizen, reason
    declaration.due_on = declaration.submitted_at.date()
    db.session.commit()
    return declaration


def send(client, auth, reference, files, key=None):
    data = {name: (io.BytesIO(content), f"{name}.jpg", "image/jpeg") for name, content in files.items()}
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    return client.post(f"/api/v1/declarations/{reference}/documents", data=data, headers=headers,
                       content_type="multipart/form-data")


def extraction_jobs():
    return Queue("extraction", connection=Redis.from_url(REDIS_URL)).count


def test_the_requested_document_returns_the_case_to_the_queue_marked_and_read_again(client, auth, spec):
    declaration = waiting_for(client, auth)
    old_file = declaration.document("id_front").stored_file_id
    queued = extraction_jobs()
    photo = jpeg(color=(10, 200, 30))
    response = send(client, auth, declaration.reference, {"id_front": photo})
    assert response.status_code == 200, response.get_json()
    spec.validate("/declarations/{reference}/documents", "post", response)
    body = response.get_json()
    assert body["status"] == "submitted" and body["returned"] is True and body["awaiting_reason"] is None
    db.session.expire_all()
    back = db.session.get(Declaration, declaration.id)
    assert back.state == S.submitted and back.returned_at is not None and back.extraction is None
    assert back.document("id_front").stored_file_id != old_file
    assert extraction_jobs() == queued + 1  # read and checked again
    # the same photos again (a retry without a key): 200, nothing changes, no second job
    again = send(client, auth, declaration.reference, {"id_front": photo})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert extraction_jobs() == queued + 1
    # other photos now: the case no longer waits
    other = send(client, auth, declaration.reference, {"id_front": jpeg(color=(1, 2, 3))})
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "not_awaiting_documents"
    spec.validate("/declarations/{reference}/documents", "post", other)


def test_with_an_idempotency_key_a_retry_replays_the_first_answer(client, auth):
    declaration = waiting_for(client, auth, "reupload_id_back")
    first = send(client, auth, declaration.reference, {"id_back": jpeg()}, key="docs-1")
    replay = send(client, auth, declaration.reference, {"id_back": jpeg()}, key="docs-1")
    assert first.status_code == replay.status_code == 200 and replay.get_json() == first.get_json()
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_only_the_requested_documents_are_taken(client, auth, spec):
    declaration = waiting_for(client, auth, "reupload_id_front")
    wrong = send(client, auth, declaration.reference, {"id_back": jpeg()})
    assert wrong.status_code == 422
    fields = wrong.get_json()["error"]["fields"]
    assert set(fields) == {"id_front", "id_back"}
    spec.validate("/declarations/{reference}/documents", "post", wrong)
    db.session.expire_all()
    assert db.session.get(Declaration, declaration.id).state == S.awaiting_citizen  # nothing stored
    counter = waiting_for(client, auth, "counter_visit")
    refused = send(client, auth, counter.reference, {"id_front": jpeg()})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "counter_visit_required"


def test_unknown_reference_is_404(client, auth, spec):
    response = send(client, auth, "ZZZZZZZZZZ", {"id_front": jpeg()})
    assert response.status_code == 404
    spec.validate("/declarations/{reference}/documents", "post", response)


def test_the_document_endpoint_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/declarations/{reference}/documents"]["post"]
    assert operation["operationId"] == "addDeclarationDocuments" and "200" in operation["responses"]
