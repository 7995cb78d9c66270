"""Error pages in Vietnamese (HTML for officers, JSON for the API) — never a traceback."""
import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backoffice.services import NotFound
from backoffice.web.catalogue import gettext as _
from backoffice.web.catalogue import lazy_gettext as _l

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


def _wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status, message=None):
    """An error page or JSON body for this status."""
    title, advice = str(_TITLES.get(status, _l("Lỗi"))), message or str(_ADVICE.get(status, ""))
    if _wants_json():
        return jsonify(error={"code": status, "message": advice, "fields": {}}), status
    try:
        return render_template("errors/page.html", status=status, title=title, advice=advice), status
    except Exception:  # the page shell itself failed: still no traceback for the officer
        log.exception("error page failed to render")
        return f"{status} {title}. {advice}", status, {"Content-Type": "text/plain; charset=utf-8"}


def register(app):
    """Install the handlers."""

    @app.errorhandler(HTTPException)
    def _http(exc):
        return error_response(exc.code or 500)

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
