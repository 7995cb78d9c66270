"""The intake API's complaints: POST /api/v1/complaints, GET one by reference, and the citizen's reopening
(DESIGN.md §10). Same keys, idempotency, error envelope and limits as declarations."""
from flask import g, jsonify, request, url_for

from backoffice.extensions import db
from backoffice.services.complaints import intake
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


def _multipart():
    if request.mimetype != "multipart/form-data":
        raise IntakeError(415, "unsupported_media_type", "Gửi phản ánh dạng multipart/form-data.")


@bp.post("/complaints")
@public
@auth_failures_limited
@rate_limited
@channel_key
def create_complaint():
    """Receive one complaint (multipart: `payload` JSON + up to 5 `attachments`); 201 with its reference."""
    _multipart()
    outcome = intake.submit(g.api_key, payload_part(), file_parts(), request.headers.get("Idempotency-Key"))
    db.session.commit()
    return outcome_response(outcome, url_for("api.show_complaint", reference=outcome.body["reference"]))


@bp.get("/complaints/<reference>")
@public
@auth_failures_limited
@rate_limited
@channel_key
def show_complaint(reference):
    """The status of a complaint, its deadline and, once answered, the approved answer."""
    return jsonify(intake.status_of(reference))


@bp.post("/complaints/<reference>/reopen")
@public
@auth_failures_limited
@rate_limited
@channel_key
def reopen_complaint(reference):
    """The citizen asks to look again at a closed complaint within the appeal period (JSON {phone, reason})."""
    if request.mimetype != "application/json":
        raise IntakeError(415, "unsupported_media_type", "Gửi yêu cầu dạng application/json.")
    body = intake.reopen_from_api(reference, request.get_data(as_text=True), f"api:{g.api_key.channel}")
    db.session.commit()
    return jsonify(body)
