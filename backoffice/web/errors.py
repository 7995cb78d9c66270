"""Error pages in Vietnamese (HTML for officers, JSON for the API) — never a traceback."""
import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from backoffice.services import NotFound
from backoffice.web.catalogue import gettext as _
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.params import BadParameter

log = logging.getLogger(__name__)

_TITLES = {
    400: _l("Yêu cầu không hợp lệ"),
    403: _l("Không có quyền truy cập"),
    404: _l("Không tìm thấy trang"),
    405: _l("Thao tác không được hỗ trợ"),
    409: _l("Dữ liệu đã thay đổi"),
    413: _l("Tệp quá lớn"),
    429: _l("Quá nhiều yêu cầu"),
    500: _l("Lỗi hệ thống"),
}
_ADVICE = {
    400: _l("Vui lòng kiểm tra lại thông tin và thử lại."),
    403: _l("Tài khoản của bạn không được phép thực hiện thao tác này. Liên hệ quản trị viên nếu cần."),
    404: _l("Trang hoặc hồ sơ không tồn tại, hoặc nằm ngoài phạm vi đơn vị của bạn."),
    405: _l("Vui lòng quay lại trang trước."),
    409: _l("Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang để xem dữ liệu mới nhất."),
    413: _l("Tệp tải lên vượt quá dung lượng cho phép."),
    429: _l("Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại."),
    500: _l("Đã có lỗi ngoài ý muốn. Sự cố đã được ghi lại; vui lòng thử lại sau ít phút."),
}


# The intake API's own wording (its clients are integrators, not officers) and stable string codes.
API_ERRORS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Thiếu hoặc sai thông tin xác thực."),
    404: ("not_found", "Không có tài nguyên này trong API."),
    405: ("method_not_allowed", "Phương thức HTTP không được hỗ trợ ở địa chỉ này; xem header Allow."),
    413: ("payload_too_large", "Yêu cầu vượt quá dung lượng cho phép (tối đa 45 MB)."),
    429: ("rate_limited", "Quá nhiều yêu cầu với khoá này; hãy thử lại sau thời gian ghi trong Retry-After."),
    500: ("internal_error", "Lỗi hệ thống; yêu cầu chưa được ghi nhận. Hãy thử lại sau ít phút."),
}
API_PREFIX = "/api/v1"


def is_api_request():
    """True under /api/v1, matched route or not: those answers are the API's JSON envelope."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def api_error(status, code=None, message=None, fields=None, headers=None):
    """The API's error envelope `{"error": {"code": "<string>", "message", "fields"}}` with this status."""
    default_code, default_message = API_ERRORS.get(status, API_ERRORS[500 if status >= 500 else 400])
    body = {"error": {"code": code or default_code, "message": message or default_message, "fields": fields or {}}}
    return jsonify(body), status, headers or {}


def _headers(exc):
    # HTTP requires Allow on a 405; werkzeug knows the methods the matched path takes.
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        return {"Allow": ", ".join(sorted(exc.valid_methods))}
    return {}


def http_error_response(exc):
    """The answer to a werkzeug HTTPException: its status, Allow on 405, and a BadParameter's own message."""
    status = exc.code or 500
    message = exc.description if isinstance(exc, BadParameter) else None
    return error_response(status, message, _headers(exc))


def error_response(status, message=None, headers=None):
    """An error page or JSON body for this status (the API envelope under /api/v1)."""
    headers = headers or {}
    if is_api_request():
        return api_error(status, message=message, headers=headers)
    title, advice = str(_TITLES.get(status, _l("Lỗi"))), message or str(_ADVICE.get(status, ""))
    if _wants_json():
        return jsonify(error={"code": status, "message": advice, "fields": {}}), status, headers
    try:
        return render_template("errors/page.html", status=status, title=title, advice=advice), status, headers
    except Exception:  # the page shell itself failed: still no traceback for the officer
        log.exception("error page failed to render")
        return f"{status} {title}. {advice}", status, {**headers, "Content-Type": "text/plain; charset=utf-8"}


def register(app):
    """Install the handlers."""

    @app.errorhandler(HTTPException)
    def _http(exc):
        return http_error_response(exc)

    @app.errorhandler(NotFound)
    def _not_found(_exc):
        return error_response(404)

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return error_response(400, _("Phiên biểu mẫu đã hết hạn. Hãy tải lại trang rồi gửi lại."))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        return error_response(500)
