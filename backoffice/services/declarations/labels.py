"""Labels of the declarations domain, in Vietnamese (translated when shown): used by forms, views, PDFs and exports."""
from backoffice.models import DeclarationKind, DeclarationState, DocumentKind
from backoffice.services.platform.labels import CHANNEL_LABELS
from backoffice.web.catalogue import lazy_gettext as _l

__all__ = ["AWAITING_LABELS", "CHANNEL_LABELS", "COMPARED", "DOCUMENT_LABELS", "EVENT_LABELS", "KIND_LABELS",
           "MATCH_LABELS", "SEX_LABELS", "STATE_LABELS"]

STATE_LABELS = {
    DeclarationState.submitted: _l("Mới nhận"), DeclarationState.extracting: _l("Đang đọc ảnh"),
    DeclarationState.ready: _l("Chờ xử lý"), DeclarationState.in_review: _l("Đang xử lý"),
    DeclarationState.awaiting_citizen: _l("Chờ công dân bổ sung"),
    DeclarationState.awaiting_second_approval: _l("Chờ phê duyệt lần hai"),
    DeclarationState.approved: _l("Đã duyệt"), DeclarationState.rejected: _l("Đã từ chối"),
}
KIND_LABELS = {
    DeclarationKind.register: _l("Đăng ký"), DeclarationKind.register_child: _l("Đăng ký cho trẻ em"),
    DeclarationKind.update: _l("Thay đổi thông tin"), DeclarationKind.stop: _l("Ngừng giao dịch"),
}
SEX_LABELS = {"Nam": _l("Nam"), "Nữ": _l("Nữ")}  # the stored values (as printed on the card), shown in words
MATCH_LABELS = {"match": _l("Khớp"), "match_without_diacritics": _l("Khớp khi bỏ dấu"),
                "mismatch": _l("Không khớp"), "missing": _l("Không đọc được")}
EVENT_LABELS = {
    "declaration_submitted": _l("Tiếp nhận tờ khai"), "declaration_checked": _l("Đọc ảnh và kiểm tra xong"),
    "declaration_claimed": _l("Cán bộ nhận xử lý"), "declaration_released": _l("Trả về hàng chờ"),
    "declaration_approved": _l("Phê duyệt"), "declaration_rejected": _l("Từ chối"),
    "declaration_override_proposed": _l("Đề xuất phê duyệt khi có kiểm tra không đạt"),
    "declaration_awaiting_citizen": _l("Chờ công dân bổ sung"), "declaration_printed": _l("In giấy tờ"),
    "declaration_override_returned": _l("Trả lại cán bộ đề xuất"),
    "declaration_resumed": _l("Công dân đã đến quầy, tiếp tục xử lý"),
    "declaration_documents_received": _l("Công dân đã gửi bổ sung giấy tờ"),
    "declaration_deadline_extended": _l("Gia hạn thời hạn bổ sung"),
    "declaration_checks_refreshed": _l("Kiểm tra lại theo hồ sơ mới"),
    "declaration_contact_viewed": _l("Xem mã số BHXH, điện thoại, email đầy đủ"),
    "declaration_account_locked": _l("Tạm khóa tài khoản giao dịch điện tử để quyết định lại"),
    "notification_sent": _l("Đã gửi tin nhắn"), "file_viewed": _l("Xem ảnh giấy tờ"),
    "notification_dead": _l("Tin nhắn dừng gửi sau nhiều lần lỗi"),
    "notification_uncertain": _l("Chưa rõ thư đã đến máy chủ thư"),
    "notification_confirmed_sent": _l("Xác nhận thư đã gửi"), "notification_resent": _l("Gửi lại tin nhắn"),
    "notification_requeued": _l("Đưa tin nhắn trở lại hàng đợi"),
}
DOCUMENT_LABELS = {DocumentKind.portrait: _l("Ảnh chân dung"), DocumentKind.id_front: _l("Mặt trước giấy tờ"),
                   DocumentKind.id_back: _l("Mặt sau giấy tờ"), DocumentKind.birth_certificate: _l("Giấy khai sinh")}

# the fields compared on the review page, in its order
COMPARED = (("id_number", _l("Số định danh")), ("full_name", _l("Họ và tên")), ("date_of_birth", _l("Ngày sinh")),
            ("sex", _l("Giới tính")), ("place_of_residence", _l("Địa chỉ liên hệ · nơi thường trú")),
            ("date_of_expiry", _l("Có giá trị đến")))
# what the officer can ask the citizen for (the citizen's wording is workflow.AWAITING_REASONS)
AWAITING_LABELS = {
    "counter_visit": _l("Đến bộ phận một cửa đối chiếu giấy tờ gốc"),
    "reupload_id_front": _l("Gửi lại ảnh mặt trước căn cước"),
    "reupload_id_back": _l("Gửi lại ảnh mặt sau căn cước"),
    "reupload_portrait": _l("Gửi lại ảnh chân dung"),
    "reupload_birth_certificate": _l("Gửi lại ảnh giấy khai sinh"),
}
