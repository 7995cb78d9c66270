"""The four services' fixed facts: departments, deadlines and their legal basis, rejection reasons, banks.

Deadlines are DESIGN.md §6; the payout change's deadline and cooling-off period are settings
(REISSUE_PAYOUT_CHANGE_DAYS, default 5 working days; REISSUE_COOLING_OFF_DAYS, default 3).
"""
from dataclasses import dataclass

from flask import current_app

from backoffice.models import DepartmentCode, ReissueState, ReissueType
from backoffice.services.casework import Deadline

T, S = ReissueType, ReissueState
DEPARTMENTS = {T.bhyt_card: DepartmentCode.THU_SO_THE, T.si_book: DepartmentCode.THU_SO_THE,
               T.pension_transfer: DepartmentCode.CS_BHXH, T.payout_change: DepartmentCode.CS_BHXH}
CARD_BASIS = "QĐ 595/QĐ-BHXH Điều 30; Luật BHYT Điều 19"
BOOK_BASIS = "QĐ 595/QĐ-BHXH"
TRANSFER_BASIS = "Luật BHXH 2014 Điều 115"
PAYOUT_BASIS = "Quy định của cơ quan (không có thời hạn luật định)"
DEFAULT_PAYOUT_DAYS = 5
DEFAULT_COOLING_OFF_DAYS = 3


def deadline(request):
    """A request's allowance in working days and its basis (the same working day for a card without changes)."""
    if request.kind == T.bhyt_card:
        return Deadline(3, CARD_BASIS + " (có thay đổi thông tin)") if request.data_change else Deadline(0, CARD_BASIS)
    if request.kind == T.si_book:
        return Deadline(45, BOOK_BASIS + " (cần xác minh quá trình đóng)") if request.verification_needed \
            else Deadline(10, BOOK_BASIS)
    if request.kind == T.pension_transfer:
        return Deadline(5, TRANSFER_BASIS)
    return Deadline(current_app.config.get("REISSUE_PAYOUT_CHANGE_DAYS", DEFAULT_PAYOUT_DAYS), PAYOUT_BASIS)


def cooling_off_days():
    """Working days a payout change waits after approval, during which the citizen can stop it."""
    return current_app.config.get("REISSUE_COOLING_OFF_DAYS", DEFAULT_COOLING_OFF_DAYS)


_COMMON = {S.received: {S.processing, S.rejected}, S.processing: {S.awaiting_citizen, S.rejected},
           S.awaiting_citizen: {S.processing, S.rejected}}
_DELIVERED = {S.processing: {S.completed, S.shipped}, S.shipped: {S.delivered, S.returned},
              S.returned: {S.shipped, S.completed}}
TRANSITIONS = {
    T.bhyt_card: _DELIVERED,
    T.si_book: _DELIVERED,
    T.pension_transfer: {S.processing: {S.awaiting_destination}, S.awaiting_destination: {S.completed, S.processing}},
    # The citizen may stop a payout change at any step before it takes effect (services/reissue/citizen_stop.py).
    T.payout_change: {S.received: {S.cancelled}, S.processing: {S.awaiting_second_approval, S.cancelled},
                      S.awaiting_citizen: {S.cancelled},
                      S.awaiting_second_approval: {S.cooling_off, S.processing, S.rejected, S.cancelled},
                      S.cooling_off: {S.completed, S.cancelled}},
}


# A supervisor's correction after a blind re-review disagreed (services/reissue/workflow.reopen_for_correction):
# a settled request goes back to processing in its department, on a new clock, and is decided again with the type's
# own steps. No new state: the request is "processing" again (DESIGN.md §4.2). A pension transfer the destination
# has acknowledged is not reopened (the other office pays; a new transfer request corrects it), nor is a payout
# change the citizen stopped (nothing took effect).
REOPENABLE = {
    T.bhyt_card: frozenset({S.completed, S.shipped, S.delivered, S.returned, S.rejected}),
    T.si_book: frozenset({S.completed, S.shipped, S.delivered, S.returned, S.rejected}),
    T.pension_transfer: frozenset({S.awaiting_destination, S.rejected}),
    T.payout_change: frozenset({S.cooling_off, S.completed, S.rejected}),
}


def transitions():
    """Every state's next states, over all four types (the core checks the type's own map per request)."""
    merged = {}
    reopening = {state: {S.processing} for states in REOPENABLE.values() for state in states}
    for table in (_COMMON, *TRANSITIONS.values(), reopening):
        for state, targets in table.items():
            merged.setdefault(state, set()).update(targets)
    return merged


def allowed(kind, from_state, to_state):
    """True when a request of this type may move from one state to the other."""
    return to_state in _COMMON.get(from_state, set()) | TRANSITIONS[kind].get(from_state, set())


# The clock stands while the citizen owes something, while a card or book is in the post or back at the office,
# and through a payout change's cooling-off (the decision is made; the wait is the citizen's protection).
PAUSED = frozenset({S.awaiting_citizen, S.shipped, S.returned, S.cooling_off})
CLOSED = frozenset({S.completed, S.delivered, S.rejected, S.cancelled})
TAKEABLE = frozenset({S.received})


@dataclass(frozen=True)
class Reason:
    """A rejection reason: code, the rule it rests on, what the citizen reads, and what they can do next."""

    code: str
    basis: str
    citizen_text: str
    next_step: str


_OTHER = Reason("OTHER", "", "", "Liên hệ cơ quan BHXH nơi nộp yêu cầu để được hướng dẫn.")
REASONS = {
    T.bhyt_card: {r.code: r for r in (
        Reason("CARD_NOT_PAID", "Luật BHYT Điều 16", "Thẻ BHYT chưa được đóng đủ tiền nên chưa thể cấp lại.",
               "Đóng BHYT còn thiếu rồi gửi lại yêu cầu trên VssID."),
        Reason("CARD_EXPIRED", "Luật BHYT Điều 16", "Thẻ BHYT đã hết hạn sử dụng; cần gia hạn thay vì cấp lại.",
               "Liên hệ đại lý thu hoặc cơ quan BHXH để gia hạn thẻ."),
        Reason("PROOF_MISSING", "QĐ 595/QĐ-BHXH Điều 30", "Thiếu giấy tờ chứng minh thông tin cần thay đổi.",
               "Chụp rõ giấy tờ chứng minh và gửi lại yêu cầu trên VssID."),
        Reason("DUPLICATE", "QĐ 595/QĐ-BHXH", "Đã có một yêu cầu cấp lại thẻ đang được xử lý.",
               "Theo dõi yêu cầu đang xử lý trên VssID."),
        _OTHER)},
    T.si_book: {r.code: r for r in (
        Reason("BOOK_NOT_FOUND", "QĐ 595/QĐ-BHXH", "Không tìm thấy sổ BHXH của mã số này trong cơ sở dữ liệu.",
               "Mang giấy tờ tùy thân đến cơ quan BHXH để được đối chiếu."),
        Reason("DUPLICATE", "QĐ 595/QĐ-BHXH", "Đã có một yêu cầu cấp lại sổ đang được xử lý.",
               "Theo dõi yêu cầu đang xử lý trên VssID."),
        _OTHER)},
    T.pension_transfer: {r.code: r for r in (
        Reason("NO_BENEFIT_HERE", "Luật BHXH 2014 Điều 115",
               "Cơ quan BHXH này không chi trả lương hưu, trợ cấp cho bạn.",
               "Gửi yêu cầu tới cơ quan BHXH đang chi trả cho bạn."),
        Reason("TRANSFER_PENDING", "Luật BHXH 2014 Điều 115", "Đã có một yêu cầu chuyển nơi hưởng đang được xử lý.",
               "Theo dõi yêu cầu đang xử lý trên VssID."),
        Reason("ADDRESS_INVALID", "Luật BHXH 2014 Điều 115", "Địa chỉ nơi ở mới không hợp lệ.",
               "Kiểm tra địa chỉ và gửi lại yêu cầu trên VssID."),
        _OTHER)},
    T.payout_change: {r.code: r for r in (
        Reason("NAME_MISMATCH", "Quy định chi trả qua tài khoản", "Tên chủ tài khoản không trùng tên người hưởng.",
               "Dùng tài khoản đứng tên người hưởng và gửi lại yêu cầu."),
        Reason("IDENTITY_NOT_CONFIRMED", "Quy định chi trả", "Chưa xác minh được danh tính người yêu cầu.",
               "Mang căn cước gốc đến cơ quan BHXH để xác minh."),
        Reason("POA_INVALID", "Bộ luật Dân sự Điều 562", "Giấy ủy quyền không hợp lệ.",
               "Làm giấy ủy quyền có chứng thực và gửi lại yêu cầu."),
        _OTHER)},
}
AWAITING_REASONS = {
    "counter_visit": "Mang căn cước gốc đến cơ quan BHXH để đối chiếu.",
    "document_reupload": "Chụp lại giấy tờ rõ nét và gửi lại trên VssID.",
    "more_information": "Liên hệ cơ quan BHXH để bổ sung thông tin theo hướng dẫn.",
}


def citizen_wording(kind, code, free_text=""):
    """The reason and next step the citizen reads; OTHER uses the officer's text."""
    reason = REASONS[kind][code]
    return (free_text.strip() if code == "OTHER" else reason.citizen_text), reason.next_step


# A maintained list of Vietnamese banks (code → name); admins extend it here until it has a table of its own.
BANKS = {
    "VCB": "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)",
    "BIDV": "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)",
    "CTG": "Ngân hàng TMCP Công thương Việt Nam (VietinBank)",
    "AGRIBANK": "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam (Agribank)",
    "TCB": "Ngân hàng TMCP Kỹ thương Việt Nam (Techcombank)",
    "MB": "Ngân hàng TMCP Quân đội (MB)",
    "ACB": "Ngân hàng TMCP Á Châu (ACB)",
    "VPB": "Ngân hàng TMCP Việt Nam Thịnh Vượng (VPBank)",
    "STB": "Ngân hàng TMCP Sài Gòn Thương Tín (Sacombank)",
    "LPB": "Ngân hàng TMCP Lộc Phát Việt Nam (LPBank)",
}
