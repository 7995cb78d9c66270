"""Labels of the complaints domain, in Vietnamese (translated when shown)."""
from backoffice.models import ComplaintState
from backoffice.services.complaints import catalogue
from backoffice.services.platform import labels as platform_labels
from backoffice.web.catalogue import lazy_gettext as _l

S = ComplaintState
STATE_LABELS = {
    S.received: _l("Mới nhận"), S.accepted: _l("Đã thụ lý"), S.assigned: _l("Đang giải quyết"),
    S.answered: _l("Chờ duyệt văn bản trả lời"), S.approved: _l("Đã trả lời"), S.closed: _l("Đã kết thúc"),
    S.rejected_as_invalid: _l("Không đủ điều kiện xử lý"), S.consulting: _l("Đang hỏi ý kiến đơn vị khác"),
    S.reopened: _l("Mở lại"),
}
KIND_LABELS = {"": _l("Chưa phân loại"), "petition": _l("Phản ánh, kiến nghị"), "complaint": _l("Khiếu nại"),
               "denunciation": _l("Tố cáo")}
CATEGORY_LABELS = {
    "personal_info": _l("Thông tin cá nhân"), "contribution_history": _l("Quá trình đóng"),
    "health_card_info": _l("Thông tin thẻ BHYT"), "benefits": _l("Chế độ, chính sách"),
    "medical_care": _l("Khám chữa bệnh BHYT"), "app_technical": _l("Ứng dụng VssID"),
}
CHANNEL_LABELS = {"vssid_app": _l("Ứng dụng VssID"), "portal": _l("Cổng dịch vụ công"), "counter": _l("Tại quầy"),
                  "phone": _l("Qua điện thoại"), "paper": _l("Đơn giấy")}
INVALID_LABELS = {"ANONYMOUS": _l("Đơn nặc danh"), "NO_CONTENT": _l("Không có nội dung phản ánh"),
                  "NOT_REMIT": _l("Không thuộc thẩm quyền của ngành BHXH"), "DUPLICATE": _l("Trùng phản ánh khác")}
# The departments' own words (services.platform.labels), and the two queues of complaints that are not a department's.
DEPARTMENT_LABELS = {**{str(code): label for code, label in platform_labels.DEPARTMENT_LABELS.items()},
                     "TIEP_NHAN": _l("Bộ phận tiếp nhận (phân loại)"), catalogue.LEADERSHIP: _l("Lãnh đạo đơn vị")}
EVENT_REASONS = {"rerouted": _l("chuyển phòng"), "consult_opened": _l("hỏi ý kiến đơn vị khác"),
                 "consult_answered": _l("đơn vị được hỏi đã trả lời"), "consult_overdue": _l("phối hợp quá hạn"),
                 "returned": _l("trả lại văn bản"), "urge": _l("đôn đốc"), "complex": _l("vụ việc phức tạp"),
                 "not_complex": _l("không phức tạp")}
