"""The intake API (/api/v1, DESIGN.md §10): channel keys, Idempotency-Key, JSON errors, OpenAPI description.

The blueprint, its keys and errors are here; each resource has its module (declarations), imported at the end.

Public at the sign-in level and CSRF-exempt: the channel's API key in `Authorization: Bearer` is the
credential. Every error is `{"error": {"code", "message", "fields"}}` with a 4xx status.
"""
import functools
import hashlib
import logging

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from backoffice.extensions import csrf, db, limiter
from backoffice.services.platform import api_keys
from backoffice.services.platform.api_intake import IntakeError, Message, invalid
from backoffice.views.api.openapi import openapi_document
from backoffice.web.errors import api_error, http_error_response
from backoffice.web.permissions import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
log = logging.getLogger(__name__)

# Per key (or per client address without a valid one); settings override the defaults.
DEFAULT_LIMIT = "100 per second; 200000 per day"
DEFAULT_AUTH_FAILURE_LIMIT = "60 per minute"
# A declaration's JSON is a few kilobytes; its own limit (not the request's 45 MB) and its own message.
MAX_PAYLOAD_BYTES = 64 * 1024
PAYLOAD_TOO_LARGE = ("payload_part_too_large",
                     f"Phần payload vượt quá {MAX_PAYLOAD_BYTES // 1024} KB. Ảnh gửi thành các phần tệp riêng.")
DUPLICATE_PAYLOAD = Message("Chỉ gửi một phần payload.", "Send one payload part.")


def _client_key():
    """The rate-limit bucket: the presented key's digest, so each channel has its own budget."""
    token = _bearer()
    if not token:
        return "api-ip:" + (request.remote_addr or "")
    return "api-key:" + hashlib.sha256(token.encode()).hexdigest()[:16]


def _auth_failure_key():
    """Failures are counted per presented key prefix and client address: bad keys sent through a shared gateway
    (one NAT address) do not lock out a valid key behind it, and guessing one key's secret stays bounded."""
    match = api_keys.KEY_FORMAT.match(_bearer())
    return f"api-auth-failure:{match.group(1) if match else '-'}:{request.remote_addr or ''}"


def _bearer():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _limits(name, default):
    return lambda: current_app.config.get(name, default)


rate_limited = limiter.limit(_limits("API_RATE_LIMIT", DEFAULT_LIMIT), key_func=_client_key)
auth_failures_limited = limiter.limit(_limits("API_AUTH_FAILURE_LIMIT", DEFAULT_AUTH_FAILURE_LIMIT),
                                      key_func=_auth_failure_key,
                                      deduct_when=lambda response: response.status_code == 401)


def channel_key(view):
    """Let the view run only for a live channel key (kept in g.api_key); 401 JSON otherwise."""
    @functools.wraps(view)
    def checked(*args, **kwargs):
        key = api_keys.authenticate(_bearer())
        if key is None:
            return api_error(401, "unauthorized", "Thiếu hoặc sai khoá API (Authorization: Bearer <khoá>).")
        if key.revoked_at is not None:
            return api_error(401, "api_key_revoked", "Khoá API đã bị thu hồi; liên hệ BHXH để được cấp khoá mới.")
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
    return http_error_response(error)


@bp.errorhandler(Exception)
def _unexpected(error):
    db.session.rollback()
    log.exception("intake API failed on %s %s", request.method, request.endpoint)
    return api_error(500)


def _form():
    """The multipart form; a text part over werkzeug's form-memory limit (MAX_FORM_MEMORY_SIZE) is the payload's
    413, not the request's. That limit is not lowered to the payload's: werkzeug also applies it to its read
    buffer (64 KB chunks), so the payload's own limit is checked once the part is read."""
    try:
        return request.form
    except RequestEntityTooLarge:
        if request.content_length is not None and request.content_length > request.max_content_length:
            raise  # the whole request is over its limit
        raise IntakeError(413, *PAYLOAD_TOO_LARGE) from None


def payload_part():
    """The one `payload` part's text (a text or a file part), None when missing; a 422 when sent twice."""
    texts, files = _form().getlist("payload"), request.files.getlist("payload")
    if len(texts) + len(files) > 1:
        raise invalid({"payload": DUPLICATE_PAYLOAD})
    if texts:
        if len(texts[0].encode()) > MAX_PAYLOAD_BYTES:
            raise IntakeError(413, *PAYLOAD_TOO_LARGE)
        return texts[0]
    if not files:
        return None
    data = files[0].read(MAX_PAYLOAD_BYTES + 1)
    if len(data) > MAX_PAYLOAD_BYTES:
        raise IntakeError(413, *PAYLOAD_TOO_LARGE)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd"  # not UTF-8: answered as invalid JSON


def file_parts():
    """Every file part but the payload: {name: [bytes, ...]}."""
    return {name: [part.read() for part in parts] for name, parts in request.files.lists() if name != "payload"}


def outcome_response(outcome, location=None):
    """The JSON response of an intake outcome (every resource's POST), marked when it replays the first answer."""
    response = jsonify(outcome.body)
    response.status_code = outcome.status_code
    if location:
        response.headers["Location"] = location
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/openapi.json")
@public
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(bp.url_prefix))  # relative: the Host header is the client's to choose


# Each resource registers its routes on bp.
from backoffice.views.api import complaints, declarations, reissue  # noqa: E402,F401
