"""The intake API's reissue requests: POST /api/v1/reissue-requests and GET of one by reference (DESIGN.md §10),
and the postal service's signed delivery webhook. Same keys, idempotency, error envelope and limits as declarations.
"""
import json

from flask import g, jsonify, request, url_for

from backoffice.extensions import db
from backoffice.services import notifications, reissue
from backoffice.services.platform.api_intake import IntakeError as ApiError
from backoffice.services.platform.api_intake import Message, invalid
from backoffice.services.reissue import citizen_stop, intake
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


STOP_BODY_BYTES = 1024
STOP_ANSWERS = {
    404: "Không tìm thấy yêu cầu thay đổi hình thức lĩnh với mã tham chiếu này.",
    403: "Mã dừng không đúng. Mã gồm 8 chữ số, trong tin nhắn gửi số điện thoại đã đăng ký với BHXH.",
    409: "Thay đổi đã có hiệu lực hoặc đã được quyết định; hãy gọi cơ quan BHXH ghi trong tin nhắn.",
    423: "Đã nhập sai mã quá nhiều lần; hãy gọi cơ quan BHXH ghi trong tin nhắn để dừng yêu cầu.",
}


def _stop_code_from_body():
    """The `stop_code` of the JSON body `{"stop_code": "12345678"}`, or a 4xx ApiError."""
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Gửi JSON (Content-Type: application/json).")
    if (request.content_length or 0) > STOP_BODY_BYTES:
        raise ApiError(413, "payload_too_large", "Nội dung quá lớn.")
    try:
        body = json.loads(request.get_data(cache=False)[:STOP_BODY_BYTES + 1])
    except ValueError:
        raise ApiError(400, "invalid_json", "Nội dung không phải JSON hợp lệ.") from None
    code = body.get("stop_code") if isinstance(body, dict) else None
    if not isinstance(code, str):
        raise invalid({"stop_code": Message("Gửi mã dừng (8 chữ số) trong trường stop_code.",
                                            "Send the stop code (8 digits) in stop_code.")},
                      "Thiếu mã dừng.")
    return code


@bp.post("/reissue-requests/<reference>/stop")
@public
@auth_failures_limited
@rate_limited
@channel_key
def stop_reissue_request(reference):
    """The citizen stops a pending payout change with the code sent to the phone registered before the request
    (services/reissue/citizen_stop.py); 200 with the request, now `cancelled`."""
    outcome = citizen_stop.stop(g.api_key, reference, _stop_code_from_body())
    db.session.commit()  # a wrong code is counted and audited, a stop is kept
    if outcome.status != 200:
        raise ApiError(outcome.status, outcome.code, STOP_ANSWERS[outcome.status])
    return jsonify(intake.describe(outcome.request))


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
