"""Labels of the reissue domain, in Vietnamese (translated when shown): forms, views and PDFs use them."""
from backoffice.models import ReissueState, ReissueType
from backoffice.services.casework.display import BENEFIT_KIND_LABELS, money, month, office_name
from backoffice.services.platform import addresses
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
AWAITING_LABELS = {"counter_visit": _l("Đến cơ quan BHXH đối chiếu"),
                   "document_reupload": _l("Gửi lại giấy tờ rõ nét"),
                   "more_information": _l("Bổ sung thông tin")}
CHECK_STATUS_LABELS = {"pass": _l("Đạt"), "warn": _l("Lưu ý"), "fail": _l("Không đạt")}
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


CARD_FIELD_LABELS = {"full_name": _l("Họ và tên"), "date_of_birth": _l("Ngày sinh"), "sex": _l("Giới tính"),
                     "hospital": _l("Nơi đăng ký khám chữa bệnh ban đầu"), "address": _l("Địa chỉ")}
EVIDENCE_LABELS = {
    "card_number": _l("Số thẻ"), "valid_to": _l("Hạn thẻ"), "paid_until": _l("Đã đóng đến"), "card": _l("Thẻ BHYT"),
    "book_number": _l("Số sổ"), "kind": _l("Chế độ"), "monthly_amount": _l("Mức hưởng"),
    "office_code": _l("Cơ quan nơi chuyển đến"), "payout_method": _l("Đang lĩnh"), "bank_code": _l("Ngân hàng"),
    "account_holder": _l("Chủ tài khoản"), "beneficiary": _l("Người hưởng"),
    "phone_on_file": _l("Có số điện thoại trong cơ sở dữ liệu"), "same_as_request": _l("Trùng số trong yêu cầu"),
    ("reissues_12_months", "count"): _l("Số lần cấp lại trong 12 tháng"),
    ("reissues_12_months", "total"): _l("Tổng số lần đã cấp lại"),
    ("pending_same_type", "count"): _l("Số yêu cầu khác đang xử lý"),
}
YES_NO = {True: _l("Có"), False: _l("Không")}


def _address(value):
    if not isinstance(value, dict):
        return "—"
    return addresses.full_address(value.get("street"), value.get("ward_code"), value.get("province_code")) or "—"


def _date(value):
    text = str(value or "")
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) == 10 and text[4] == "-" else (text or "—")


def request_lines(request):
    """The request's own details as (label, text) lines, in words: offices, wards and provinces by name, banks by
    name, months as MM/YYYY; nothing shown as a code."""
    lines = []
    for key, value in request.payload.items():
        if key not in PAYLOAD_LABELS:
            continue
        if key == "data_change":
            text = ", ".join(str(CARD_FIELD_LABELS.get(f, f)) for f in value) if value else _l("Không thay đổi")
        elif key == "delivery":
            text = VALUE_LABELS.get(value.get("method"), value.get("method")) if isinstance(value, dict) else "—"
            if isinstance(value, dict) and value.get("address"):
                text = f"{text}: {_address(value['address'])}"
        elif key == "destination_office_code":
            text = office_name(request.payload.get("destination_office_id"), value)
        elif key == "new_address":
            text = _address(value)
        elif key in ("start_month", "from_month"):
            text = month(value)
        elif key == "bank_code":
            text = catalogue.BANKS.get(value, value)
        elif key == "new_recipient" and isinstance(value, dict):
            text = " · ".join(v for v in (value.get("full_name"), value.get("id_number")) if v) or "—"
        else:
            text = VALUE_LABELS.get(value, value) if isinstance(value, str) else (value or "—")
        lines.append((PAYLOAD_LABELS[key], text))
    return lines


def evidence_lines(check):
    """A check's evidence as (label, text) lines, in words."""
    lines = []
    for key, value in (check.get("evidence") or {}).items():
        label = EVIDENCE_LABELS.get((check.get("code"), key)) or EVIDENCE_LABELS.get(key, key)
        if value is None:
            text = "—"
        elif isinstance(value, bool):
            text = YES_NO[value]
        elif key == "monthly_amount":
            text = money(value)
        elif key in ("valid_to", "paid_until"):
            text = _date(value)
        elif key == "office_code":
            text = office_name(code=value)
        elif key == "bank_code":
            text = catalogue.BANKS.get(value, value)
        elif key == "kind":
            text = BENEFIT_KIND_LABELS.get(value, value)
        elif key == "payout_method":
            text = VALUE_LABELS.get(value, value)
        else:
            text = value
        lines.append((label, text))
    return lines


def transfer_view(request, benefit):
    """The two-office hand-off of a pension transfer, as both offices read it: where it comes from and goes to (by
    name), the month the destination pays from and the origin's last month, and which step it is at."""
    start = (request.result or {}).get("start_month") or request.payload.get("start_month")
    last = (request.result or {}).get("origin_last_month")
    if not last and start and len(start) == 7:
        year, number = int(start[:4]), int(start[5:])
        last = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    state = request.state.value if hasattr(request.state, "value") else request.state
    step = {"awaiting_destination": 2, "completed": 3}.get(state, 1)
    return {"origin": office_name(request.office_id),
            "destination": office_name(request.destination_office_id, request.payload.get("destination_office_code")),
            "start_month": month(start), "origin_last_month": month(last), "step": step,
            "paying_now": office_name(benefit.paying_office_id) if benefit else "—",
            "acknowledged_at": request.acknowledged_at}
