"""The intake API (/api/v1, DESIGN.md §10): channel keys, Idempotency-Key, JSON errors, OpenAPI description.

Public at the sign-in level and CSRF-exempt: the channel's API key in `Authorization: Bearer` is the
credential. Every error is `{"error": {"code", "message", "fields"}}` with a 4xx status.
"""
import functools
import hashlib
import logging

from flask import Blueprint, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from backoffice.extensions import csrf, db, limiter
from backoffice.services.declarations import intake
from backoffice.services.declarations.intake import IntakeError
from backoffice.services.platform import api_keys
from backoffice.views.api.openapi import openapi_document
from backoffice.web.permissions import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
log = logging.getLogger(__name__)

# Per key (or per client address without a valid one); settings override the defaults.
DEFAULT_LIMIT = "100 per second; 200000 per day"
DEFAULT_AUTH_FAILURE_LIMIT = "60 per minute"
HTTP_ERRORS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không có tài nguyên này trong API."),
    405: ("method_not_allowed", "Phương thức HTTP không được hỗ trợ ở địa chỉ này."),
    413: ("payload_too_large", "Yêu cầu vượt quá dung lượng cho phép (tối đa 45 MB)."),
    429: ("rate_limited", "Quá nhiều yêu cầu với khoá này; hãy thử lại sau thời gian ghi trong Retry-After."),
}


def _client_key():
    """The rate-limit bucket: the presented key's digest, so each channel has its own budget."""
    token = _bearer()
    return "api-key:" + hashlib.sha256(token.encode()).hexdigest()[:16] if token else "api-ip:" + (request.remote_addr or "")


def _address_key():
    return "api-auth-failure:" + (request.remote_addr or "")


def _bearer():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _limits(name, default):
    return lambda: current_app.config.get(name, default)


rate_limited = limiter.limit(_limits("API_RATE_LIMIT", DEFAULT_LIMIT), key_func=_client_key)
auth_failures_limited = limiter.limit(_limits("API_AUTH_FAILURE_LIMIT", DEFAULT_AUTH_FAILURE_LIMIT),
                                      key_func=_address_key, deduct_when=lambda response: response.status_code == 401)


def _error(status, code, message, fields=None):
    return jsonify(error={"code": code, "message": message, "fields": fields or {}}), status


def channel_key(view):
    """Let the view run only for a live channel key (kept in g.api_key); 401 JSON otherwise."""
    @functools.wraps(view)
    def checked(*args, **kwargs):
        key = api_keys.authenticate(_bearer())
        if key is None:
            return _error(401, "unauthorized", "Thiếu hoặc sai khoá API (Authorization: Bearer <khoá>).")
        if key.revoked_at is not None:
            return _error(401, "api_key_revoked", "Khoá API đã bị thu hồi; liên hệ BHXH để được cấp khoá mới.")
        g.api_key = key
        return view(*args, **kwargs)

    return checked


@bp.errorhandler(IntakeError)
def _intake_error(error):
    db.session.rollback()  # drops the rows and, through intake's hook, any photo already stored
    return jsonify(error.as_dict()), error.status


@bp.errorhandler(HTTPException)
def _http_error(error):
    db.session.rollback()
    code, message = HTTP_ERRORS.get(error.code, HTTP_ERRORS[400])
    return _error(error.code, code, message)


@bp.errorhandler(Exception)
def _unexpected(error):
    db.session.rollback()
    log.exception("intake API failed on %s %s", request.method, request.endpoint)
    return _error(500, "internal_error", "Lỗi hệ thống; yêu cầu chưa được ghi nhận. Hãy thử lại sau ít phút.")


def _payload_part():
    if "payload" in request.form:
        return request.form["payload"]
    part = request.files.get("payload")
    if part is None:
        return None
    try:
        return part.read().decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd"  # not UTF-8: answered as invalid JSON


def _photo_parts():
    return {name: [part.read() for part in parts] for name, parts in request.files.lists() if name != "payload"}


@bp.post("/declarations")
@public
@auth_failures_limited
@rate_limited
@channel_key
def create_declaration():
    """Receive one declaration (multipart: `payload` JSON + photos); 201 with its reference."""
    if not request.mimetype == "multipart/form-data":
        raise IntakeError(415, "unsupported_media_type", "Gửi tờ khai dạng multipart/form-data.")
    outcome = intake.submit(g.api_key, _payload_part(), _photo_parts(), request.headers.get("Idempotency-Key"))
    db.session.commit()
    response = jsonify(outcome.body)
    response.status_code = outcome.status_code
    response.headers["Location"] = url_for("api.show_declaration", reference=outcome.body["reference"])
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/declarations/<reference>")
@public
@auth_failures_limited
@rate_limited
@channel_key
def show_declaration(reference):
    """The status of a declaration and, once decided, its outcome and reason."""
    return jsonify(intake.status_of(reference))


@bp.get("/openapi.json")
@public
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(request.host_url.rstrip("/") + bp.url_prefix))


from backoffice.views.api import reissue as _reissue  # noqa: E402,F401 - registers its routes on this blueprint
