"""The intake API's reissue requests: POST /api/v1/reissue-requests and GET of one by reference (DESIGN.md §10),
and the postal service's signed delivery webhook. Same keys, idempotency, error envelope and limits as declarations.
"""
import json

from flask import g, jsonify, request, url_for

from backoffice.extensions import db
from backoffice.services import notifications, reissue
from backoffice.services.platform.api_intake import IntakeError as ApiError
from backoffice.services.reissue import intake
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


@bp.post("/reissue-requests")
@public
@auth_failures_limited
@rate_limited
@channel_key
def create_reissue_request():
    """Receive one reissue request (multipart: `payload` JSON + photos); 201 with its reference and deadline."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "Gửi yêu cầu dạng multipart/form-data.")
    outcome = intake.submit(g.api_key, payload_part(), file_parts(), request.headers.get("Idempotency-Key"))
    db.session.commit()
    return outcome_response(outcome, url_for("api.show_reissue_request", reference=outcome.body["reference"]))


@bp.get("/reissue-requests/<reference>")
@public
@auth_failures_limited
@rate_limited
@channel_key
def show_reissue_request(reference):
    """The status of a request, its deadline and, once decided, the result or the reason."""
    return jsonify(intake.status_of(reference))


@bp.post("/reissue-requests/delivery-receipts")
@public
@auth_failures_limited
def delivery_receipts():
    """The postal service's delivery events, signed with HMAC-SHA256 as the SMS receipts are."""
    raw = request.get_data()
    if not notifications.receipt_signature_ok(raw, request.headers.get("X-Timestamp", ""),
                                              request.headers.get("X-Signature", "")):
        raise ApiError(401, "unauthorized", "Chữ ký không hợp lệ hoặc đã hết hạn.")
    try:
        items = json.loads(raw)
    except ValueError:
        raise ApiError(400, "invalid_json", "Nội dung không phải JSON hợp lệ.") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ApiError(400, "bad_request", "Gửi một danh sách [{\"tracking_number\", \"status\"}].")
    changed = sum(reissue.record_delivery(item.get("tracking_number", ""), item.get("status", "")) is not None
                  for item in items)
    db.session.commit()
    return jsonify(updated=changed)
