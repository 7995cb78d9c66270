"""The declarations resource of the intake API: POST a Tờ khai Mẫu 01, GET its status by reference."""
from flask import g, jsonify, request, url_for

from backoffice.extensions import db
from backoffice.services.declarations import intake
from backoffice.services.platform.api_intake import IntakeError
from backoffice.views.api import (
    auth_failures_limited,
    bp,
    channel_key,
    file_parts,
    outcome_response,
    payload_part,
    rate_limited,
)
from backoffice.web.permissions import public


@bp.post("/declarations")
@public
@auth_failures_limited
@rate_limited
@channel_key
def create_declaration():
    """Receive one declaration (multipart: `payload` JSON + photos); 201 with its reference."""
    if not request.mimetype == "multipart/form-data":
        raise IntakeError(415, "unsupported_media_type", "Gửi tờ khai dạng multipart/form-data.")
    outcome = intake.submit(g.api_key, payload_part(), file_parts(), request.headers.get("Idempotency-Key"))
    db.session.commit()
    return outcome_response(outcome, url_for("api.show_declaration", reference=outcome.body["reference"]))


@bp.get("/declarations/<reference>")
@public
@auth_failures_limited
@rate_limited
@channel_key
def show_declaration(reference):
    """The status of a declaration and, once decided, its outcome and reason."""
    return jsonify(intake.status_of(reference))


@bp.post("/declarations/<reference>/documents")
@public
@auth_failures_limited
@rate_limited
@channel_key
def add_documents(reference):
    """The document(s) a declaration waiting for the citizen asked for (multipart photo parts); 200 with its
    status, back in the office's queue."""
    if not request.mimetype == "multipart/form-data":
        raise IntakeError(415, "unsupported_media_type", "Gửi giấy tờ dạng multipart/form-data.")
    outcome = intake.submit_documents(g.api_key, reference, file_parts(), request.headers.get("Idempotency-Key"))
    db.session.commit()
    return outcome_response(outcome)
