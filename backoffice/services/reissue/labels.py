"""Labels of the reissue domain, in Vietnamese (translated when shown): forms, views and PDFs use them."""
from backoffice.models import ReissueState, ReissueType
from backoffice.services.reissue import catalogue
from backoffice.web.catalogue import lazy_gettext as _l

S = ReissueState
TYPE_LABELS = {
    ReissueType.bhyt_card: _l("Cấp lại thẻ BHYT"), ReissueType.si_book: _l("Cấp lại sổ BHXH"),
    ReissueType.pension_transfer: _l("Chuyển nơi hưởng lương hưu"),
    ReissueType.payout_change: _l("Thay đổi hình thức lĩnh, người hưởng"),
}
STATE_LABELS = {
    S.received: _l("Mới nhận"), S.processing: _l("Đang xử lý"), S.awaiting_citizen: _l("Chờ công dân bổ sung"),
    S.shipped: _l("Đã gửi bưu điện"), S.delivered: _l("Đã giao"), S.returned: _l("Bưu điện trả lại"),
    S.completed: _l("Hoàn thành"), S.rejected: _l("Từ chối"),
    S.awaiting_second_approval: _l("Chờ phê duyệt lần hai"), S.cooling_off: _l("Chờ hiệu lực (thời gian chờ)"),
    S.awaiting_destination: _l("Chờ nơi chuyển đến xác nhận"), S.cancelled: _l("Đã dừng"),
}
# The rejection reasons in a few words, for lists and figures (the citizen's full text is in the catalogue).
REASON_LABELS = {
    "CARD_NOT_PAID": _l("Thẻ chưa đóng đủ tiền"), "CARD_EXPIRED": _l("Thẻ đã hết hạn"),
    "PROOF_MISSING": _l("Thiếu giấy tờ chứng minh"), "DUPLICATE": _l("Trùng yêu cầu đang xử lý"),
    "BOOK_NOT_FOUND": _l("Không tìm thấy sổ BHXH"), "NO_BENEFIT_HERE": _l("Không hưởng tại cơ quan này"),
    "TRANSFER_PENDING": _l("Đang có yêu cầu chuyển nơi hưởng"), "ADDRESS_INVALID": _l("Địa chỉ mới không hợp lệ"),
    "NAME_MISMATCH": _l("Tên chủ tài khoản không trùng người hưởng"),
    "IDENTITY_NOT_CONFIRMED": _l("Chưa xác minh được danh tính"), "POA_INVALID": _l("Giấy ủy quyền không hợp lệ"),
    "OTHER": _l("Lý do khác"),
    # the reasons of the steps that are not rejections
    "awaiting_citizen": _l("chờ công dân bổ sung"), "citizen_supplied": _l("công dân đã bổ sung"),
    "returned_by_checker": _l("người phê duyệt lần hai trả lại"), "stopped_by_citizen": _l("công dân yêu cầu dừng"),
    "verification_needed": _l("cần xác minh quá trình đóng"),
    "supervisor_correction": _l("lãnh đạo yêu cầu điều chỉnh sau kiểm tra lại"),
}
DUE_LABELS = {"on_time": _l("Trong hạn"), "due_soon": _l("Sắp đến hạn"), "overdue": _l("Quá hạn"),
              "paused": _l("Tạm dừng"), "closed": _l("Đã kết thúc")}
AWAITING_LABELS = {"counter_visit": _l("Đến cơ quan BHXH đối chiếu"),
                   "document_reupload": _l("Gửi lại giấy tờ rõ nét"),
                   "more_information": _l("Bổ sung thông tin")}
CHECK_STATUS_LABELS = {"pass": _l("Đạt"), "warn": _l("Lưu ý"), "fail": _l("Không đạt")}
EVENT_LABELS = {"transition": _l("Chuyển trạng thái"), "assignment": _l("Phân công"), "deadline": _l("Đổi thời hạn"),
                "warning": _l("Sắp đến hạn"), "escalation": _l("Quá hạn: đã báo lãnh đạo")}
DOCUMENT_LABELS = {"proof": _l("Giấy tờ chứng minh thay đổi"), "power_of_attorney": _l("Giấy ủy quyền"),
                   "damaged_card": _l("Thẻ, sổ bị hỏng")}
PAYLOAD_LABELS = {
    "reason": _l("Lý do"), "data_change": _l("Thông tin thay đổi"), "delivery": _l("Nhận kết quả"),
    "destination_office_code": _l("Cơ quan nơi chuyển đến"), "new_address": _l("Địa chỉ mới"),
    "start_month": _l("Tháng bắt đầu hưởng ở nơi mới"), "method": _l("Hình thức lĩnh"), "bank_code": _l("Ngân hàng"),
    "account_number": _l("Số tài khoản"), "account_holder": _l("Chủ tài khoản"), "new_recipient": _l("Người nhận thay"),
    "from_month": _l("Áp dụng từ tháng"),
}
VALUE_LABELS = {"lost": _l("Mất"), "damaged": _l("Hỏng"), "pickup": _l("Nhận tại cơ quan BHXH"),
                "post": _l("Gửi qua bưu điện"), "cash": _l("Tiền mặt"), "bank": _l("Qua tài khoản ngân hàng"),
                "new_recipient": _l("Người nhận thay (ủy quyền)")}


def reason_choices(kind):
    """(code, label) of a type's rejection reasons, for the reject form."""
    return [(code, f"{code} — {reason.citizen_text or _l('Lý do khác (ghi rõ)')}")
            for code, reason in catalogue.REASONS[ReissueType(kind)].items()]
