"""What the citizen is told at each state change of a request (SMS and email through the outbox, DESIGN.md §7)."""
from backoffice.extensions import db
from backoffice.models import Office, ReissueState, ReissueType
from backoffice.services import notifications
from backoffice.services.platform import calendar
from backoffice.services.reissue import catalogue, citizen_stop

CASE_TYPE = "reissue"
S = ReissueState
TYPE_NAMES = {ReissueType.bhyt_card: "cấp lại thẻ BHYT do hỏng, mất",
              ReissueType.si_book: "cấp lại sổ BHXH",
              ReissueType.pension_transfer: "chuyển nơi hưởng lương hưu, trợ cấp",
              ReissueType.payout_change: "thay đổi hình thức lĩnh, người hưởng"}
STATUS_NAMES = {S.received: "Đã tiếp nhận", S.processing: "Đang xử lý", S.awaiting_citizen: "Chờ bổ sung",
                S.shipped: "Đã gửi bưu điện", S.delivered: "Đã giao", S.returned: "Bưu điện trả lại",
                S.completed: "Đã hoàn thành", S.rejected: "Không giải quyết", S.awaiting_second_approval: "Đang xử lý",
                S.cooling_off: "Chờ hiệu lực", S.awaiting_destination: "Đang xử lý", S.cancelled: "Đã dừng"}
# Maker-checker and the hand-off are the office's internal steps: the citizen hears nothing new from them.
SILENT = frozenset({S.awaiting_second_approval, S.awaiting_destination})


def _next_step(request, office, extra):
    state = S(request.state)
    if state == S.received:
        due = calendar.local_date(request.due_at).strftime("%d/%m/%Y") if request.due_at else ""
        return f"Hẹn trả kết quả ngày {due}." if due else "Cơ quan BHXH sẽ xử lý và báo kết quả."
    if state == S.awaiting_citizen:
        return extra.get("what_needed", "Liên hệ cơ quan BHXH để bổ sung hồ sơ.")
    if state == S.shipped:
        return f"Theo dõi bưu gửi số {request.tracking_number}."
    if state == S.returned:
        return f"Liên hệ {office.name} ({office.phone}) để nhận lại hoặc gửi lại."
    if state == S.rejected:
        return extra.get("next_step", "Liên hệ cơ quan BHXH để được hướng dẫn.")
    if state == S.cooling_off:
        return "Thay đổi có hiệu lực sau thời gian chờ; nếu không phải bạn yêu cầu, gọi ngay " + office.phone + "."
    if state == S.completed and request.kind in (ReissueType.bhyt_card, ReissueType.si_book):
        return f"Nhận kết quả tại {office.name}, mang theo căn cước."
    if state == S.completed and request.kind == ReissueType.pension_transfer:
        return f"Lương hưu, trợ cấp được chi trả tại nơi mới từ tháng {request.payload.get('start_month')}."
    return "Theo dõi chi tiết trên ứng dụng VssID."


def status_changed(request, actor, **extra):
    """Tell the citizen the request's new state and the next step (nothing for the office's internal steps)."""
    if request.state in SILENT:
        return []
    office = db.session.get(Office, request.office_id)
    context = {"full_name": request.full_name, "reference": request.reference, "office_name": office.name,
               "request_label": TYPE_NAMES[ReissueType(request.kind)], "status_label": STATUS_NAMES[S(request.state)],
               "next_step": _next_step(request, office, extra)}
    return notifications.notify("reissue_status_changed", case_type=CASE_TYPE, case_id=request.id,
                                office_id=request.office_id, phone=request.phone, email=request.email, actor=actor,
                                context=context)


def payout_change_requested(request, actor, effective_at=None):
    """Warn the phone registered before the request that a payout change was asked for, until when and how to stop
    it: the SMS (only it) carries the stop code the app sends to POST /api/v1/reissue-requests/{reference}/stop."""
    phone = request.alert_phone or request.phone
    office = db.session.get(Office, request.office_id)
    effective = effective_at or calendar.add_working_days(calendar.now(), catalogue.cooling_off_days())
    return notifications.notify(
        "reissue_payout_change_requested", case_type=CASE_TYPE, case_id=request.id, office_id=request.office_id,
        phone=phone, email=request.email, actor=actor, secrets={"stop_code": citizen_stop.stop_code(request)},
        context={"full_name": request.full_name, "reference": request.reference, "office_name": office.name,
                 "office_phone": office.phone or "1900 9068",
                 "due_date": calendar.local_date(effective).isoformat()})
