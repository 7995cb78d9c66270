"""Labels of supervision, in Vietnamese (translated when shown): audit actions in words, flag rules, risks."""
from backoffice.services.complaints import labels as complaint_labels
from backoffice.services.declarations import labels as declaration_labels
from backoffice.services.declarations.labels import EVENT_LABELS
from backoffice.services.declarations.reasons import REASONS as DECLARATION_REASONS
from backoffice.services.notifications.message_templates import EVENTS as MESSAGE_EVENTS
from backoffice.services.reissue import labels as reissue_labels
from backoffice.services.supervision.sources import SOURCES
from backoffice.web.catalogue import lazy_gettext as _l

ACTION_LABELS = {
    **EVENT_LABELS,
    "login": _l("Đăng nhập"), "login_failed": _l("Đăng nhập không thành công"), "logout": _l("Đăng xuất"),
    "password_changed": _l("Đổi mật khẩu"), "officer_created": _l("Tạo tài khoản cán bộ"),
    "officer_updated": _l("Sửa thông tin cán bộ"), "officer_activated": _l("Mở lại tài khoản cán bộ"),
    "officer_deactivated": _l("Khoá tài khoản cán bộ"), "officer_password_reset": _l("Đặt lại mật khẩu cán bộ"),
    "office_created": _l("Tạo cơ quan"), "office_updated": _l("Sửa thông tin cơ quan"),
    "department_renamed": _l("Đổi tên phòng ban"), "calendar_day_set": _l("Đặt ngày trong lịch làm việc"),
    "calendar_day_cleared": _l("Bỏ ngày khỏi lịch làm việc"), "api_key_created": _l("Tạo khoá API"),
    "api_key_revoked": _l("Thu hồi khoá API"), "audit_anchored": _l("Neo mã băm nhật ký"),
    "review_sample_drawn": _l("Chọn mẫu kiểm tra lại"), "review_case_opened": _l("Mở hồ sơ để kiểm tra lại"),
    "review_verdict_recorded": _l("Ghi kết luận kiểm tra lại"), "review_follow_up": _l("Xử lý bất đồng kiểm tra lại"),
    "flag_explained": _l("Giải trình cảnh báo"), "flag_escalated": _l("Chuyển cảnh báo lên cấp trên"),
    "access_report_run": _l("Tra cứu ai đã xem dữ liệu công dân"),
    "access_report_exported": _l("Xuất báo cáo ai đã xem dữ liệu công dân"),
    "export_full_values": _l("Xuất dữ liệu đầy đủ (không che số)"), "export_requested": _l("Yêu cầu xuất dữ liệu"),
    "audit_verify_requested": _l("Yêu cầu kiểm tra chuỗi nhật ký"),
    "declaration_self_approval_refused": _l("Tự phê duyệt lần hai (bị từ chối)"),
    "reissue_self_approval_refused": _l("Tự phê duyệt lần hai yêu cầu thay đổi hình thức lĩnh (bị từ chối)"),
    "complaint_self_approval_refused": _l("Tự duyệt văn bản trả lời phản ánh do mình soạn (bị từ chối)"),
    "declaration_correction_opened": _l("Mở điều chỉnh tờ khai sau kiểm tra lại"),
    "complaint_correction_opened": _l("Mở lại phản ánh để điều chỉnh sau kiểm tra lại"),
    "reissue_correction_opened": _l("Mở lại yêu cầu cấp lại để điều chỉnh sau kiểm tra lại"),
    "reissue_reopened": _l("Mở lại yêu cầu cấp lại để xử lý lại"),
    # the reissue and complaint steps supervision counts (their decisions, receipts and handling)
    "reissue_viewed": _l("Xem hồ sơ yêu cầu cấp lại"), "complaint_viewed": _l("Xem hồ sơ phản ánh"),
    "reissue_printed": _l("In giấy tờ yêu cầu cấp lại"), "complaint_letter_printed": _l("In văn bản trả lời phản ánh"),
    "reissue_assigned": _l("Giao yêu cầu cấp lại cho cán bộ"),
    "reissue_received": _l("Nhận yêu cầu cấp lại"), "reissue_processing": _l("Bắt đầu xử lý yêu cầu cấp lại"),
    "reissue_completed": _l("Hoàn thành yêu cầu cấp lại"), "reissue_shipped": _l("Gửi kết quả qua bưu điện"),
    "reissue_rejected": _l("Từ chối yêu cầu cấp lại"),
    "reissue_awaiting_destination": _l("Gửi hồ sơ sang nơi hưởng mới"),
    "reissue_identity_confirmed": _l("Xác minh lại danh tính người yêu cầu"),
    "reissue_awaiting_second_approval": _l("Đề xuất thay đổi hình thức lĩnh"),
    "reissue_cooling_off": _l("Phê duyệt lần hai thay đổi hình thức lĩnh"),
    "complaint_received": _l("Nhận phản ánh"), "complaint_accepted": _l("Thụ lý phản ánh"),
    "complaint_assigned": _l("Giao phản ánh cho cán bộ"), "complaint_answered": _l("Trình văn bản trả lời"),
    "complaint_approved": _l("Duyệt văn bản trả lời"), "complaint_reopened": _l("Mở lại phản ánh"),
}
RULE_LABELS = {
    "fast": _l("Quyết định quá nhanh"), "over_failed": _l("Phê duyệt khi có kiểm tra không đạt"),
    "off_hours": _l("Quyết định ngoài giờ hoặc ngày nghỉ"),
    "volume_own": _l("Số quyết định bất thường so với chính mình"),
    "volume_peers": _l("Số quyết định bất thường so với đồng nghiệp"), "self_approval": _l("Tự phê duyệt"),
    "ring": _l("Cùng số điện thoại hoặc email cho nhiều mã số BHXH"),
    "view_no_case": _l("Xem dữ liệu công dân khi không xử lý hồ sơ"),
}
FLAG_STATUS_LABELS = {"open": _l("Chưa xử lý"), "explained": _l("Đã giải trình"), "escalated": _l("Đã chuyển cấp trên")}
RISK_LABELS = {"over_failing": _l("Duyệt khi kiểm tra không đạt"), "payout_change": _l("Thay đổi cách nhận tiền"),
               "flagged": _l("Có cảnh báo"), "new_officer": _l("Tuần đầu của cán bộ mới"), "normal": _l("Thông thường")}
OUTCOME_LABELS = {"approved": _l("Phê duyệt"), "rejected": _l("Từ chối")}
FOLLOW_UP_LABELS = {"confirmed": _l("Giữ nguyên quyết định"), "corrected": _l("Điều chỉnh theo quy trình")}
DETAIL_LABELS = {
    "before": _l("Trước"), "after": _l("Sau"), "reason": _l("Lý do"), "code": _l("Mã lý do"), "note": _l("Ghi chú"),
    "justification": _l("Lý do phê duyệt"), "second_approval": _l("Phê duyệt lần hai"), "outcome": _l("Kết luận"),
    "action": _l("Xử lý"), "rule": _l("Quy tắc"), "purpose": _l("Loại tệp"), "reference": _l("Mã hồ sơ"),
    "checks_seen": _l("Kiểm tra cán bộ đã thấy (tổng / không đạt)"),
    "seed": _l("Hạt giống"), "drawn": _l("Số hồ sơ được chọn"), "frame_size": _l("Số quyết định trong khung"),
    "review_item": _l("Hồ sơ trong mẫu"), "agrees": _l("Trùng quyết định ban đầu"),
    "officer": _l("Cán bộ quyết định lại"), "from": _l("Từ trạng thái"), "to": _l("Sang trạng thái"),
    "term": _l("Số đã tra cứu (che)"), "cases": _l("Số hồ sơ"), "rows": _l("Số dòng"), "kind": _l("Loại"),
    "type": _l("Loại yêu cầu"), "documents": _l("Giấy tờ"), "failing_checks": _l("Số kiểm tra không đạt"),
    "tracking_number": _l("Số hiệu bưu gửi"), "what": _l("Công dân cần"), "effective_at": _l("Có hiệu lực lúc"),
    "destination_office_id": _l("Cơ quan nơi chuyển đến"), "message_id": _l("Tin nhắn số"),
    "event": _l("Loại tin nhắn"), "channel": _l("Kênh"), "attempts": _l("Số lần gửi"),
    "draft_version": _l("Bản dự thảo số"), "consult_id": _l("Hỏi ý kiến số"), "office": _l("Cơ quan"),
    "department": _l("Phòng ban"), "complex": _l("Phức tạp"), "frame_hash": _l("Mã băm khung chọn mẫu"),
    "strata": _l("Số nhóm"), "method": _l("Cách tính cỡ mẫu"), "proposed_by": _l("Người đề xuất"),
    "account": _l("Tài khoản giao dịch điện tử"), "restored": _l("Khôi phục"), "format": _l("Định dạng"),
    "full_values": _l("Số đầy đủ (không che)"), "sha256": _l("SHA-256"), "working_days": _l("Số ngày làm việc"),
    "category": _l("Lĩnh vực"), "triage": _l("Chuyển phân loại thủ công"),
    "confidence": _l("Độ tin cậy của phân loại tự động"),
}
# Detail values in words, by the detail's name (a state is worded by the entry's case type, an officer by name).
STATE_KEYS = frozenset({"from", "to", "before", "after"})
OFFICER_KEYS = frozenset({"officer", "proposed_by", "checker_id"})
REASON_KEYS = frozenset({"reason", "code"})
REASON_LABELS = {
    "declaration": {code: _l(reason.label) for code, reason in DECLARATION_REASONS.items()},
    "reissue": reissue_labels.REASON_LABELS,
    "complaint": {**complaint_labels.INVALID_LABELS, **complaint_labels.EVENT_REASONS},
}
KIND_WORDS = {"declaration": declaration_labels.KIND_LABELS, "complaint": complaint_labels.KIND_LABELS}
DOCUMENT_WORDS = {**reissue_labels.DOCUMENT_LABELS, **declaration_labels.DOCUMENT_LABELS}
KEY_WORDS = {"type": reissue_labels.TYPE_LABELS, "category": complaint_labels.CATEGORY_LABELS,
             "purpose": DOCUMENT_WORDS, "documents": DOCUMENT_WORDS,
             "what": reissue_labels.AWAITING_LABELS, "department": complaint_labels.DEPARTMENT_LABELS,
             "event": {name: event.label for name, event in MESSAGE_EVENTS.items()},
             "method": {"precision": _l("Theo độ chính xác mục tiêu"), "fixed": _l("Số hồ sơ cố định")}}
# An assignment's from and to are officers, not states.
ASSIGNMENT_LABELS = {"from": _l("Cán bộ trước"), "to": _l("Giao cho")}
# The steps every case type on the casework core records, named after the case type ("reissue_note_added").
STEP_LABELS = {"note_added": _l("Ghi chú nội bộ"), "deadline_changed": _l("Đổi thời hạn"),
               "escalated": _l("Quá hạn: đã báo lãnh đạo"), "assigned": _l("Giao cho cán bộ"),
               "viewed": _l("Xem hồ sơ")}
OBJECT_LABELS = {
    "stored_file": _l("Ảnh giấy tờ"), "access_report": _l("Báo cáo ai đã xem"), "anomaly_flag": _l("Cảnh báo"),
    "api_key": _l("Khoá API"), "calendar_day": _l("Ngày trong lịch làm việc"), "complaint_consult": _l("Hỏi ý kiến"),
    "department": _l("Phòng ban"), "export": _l("Tệp xuất"), "office": _l("Cơ quan"), "officer": _l("Cán bộ"),
    "review_sample": _l("Mẫu kiểm tra lại"),
}


def action_label(action):
    """An audit action in words, in the reader's language: its own label, or a case type's step or state
    ("Yêu cầu cấp lại, chuyển, thay đổi: Đã giao" for reissue_delivered); else the code itself."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    for source in SOURCES.values():
        step = action.removeprefix(f"{source.case_type}_")
        if step != action and (step in source.state_labels or step in STEP_LABELS):
            return f"{source.label}: {source.state_labels.get(step) or STEP_LABELS[step]}"
    return action


def reason_label(code, case_type=None):
    """A rejection reason's code in words (the case type's own words first), else the code."""
    for words in ([REASON_LABELS.get(case_type, {})] if case_type else []) + list(REASON_LABELS.values()):
        if code in words:
            return str(words[code])
    return code


def department_label(code):
    """A department's code in words (its usual name), else the code."""
    return str(complaint_labels.DEPARTMENT_LABELS.get(code, code))


def category_label(code):
    """A complaint category's code in words, else the code."""
    return str(complaint_labels.CATEGORY_LABELS.get(code, code))


def object_label(object_type):
    """An audit entry's object type in words (a case type's own label, else the platform's objects')."""
    source = SOURCES.get(object_type)
    return str(source.label if source else OBJECT_LABELS.get(object_type, object_type or ""))
VALUE_WORDS = {True: _l("Có"), False: _l("Không"), **OUTCOME_LABELS, **FOLLOW_UP_LABELS}
FLAG_DETAIL_LABELS = {
    "seconds": _l("Số giây từ lúc mở đến lúc quyết định"), "threshold": _l("Ngưỡng phân vị 5 (giây)"),
    "floor": _l("Ngưỡng tối thiểu (giây)"), "checker_id": _l("Người phê duyệt lần hai"),
    "local_time": _l("Giờ Việt Nam"), "working_day": _l("Ngày làm việc"), "day": _l("Ngày"),
    "decided": _l("Số quyết định"), "z": _l("Điểm z"), "mean": _l("Trung bình"),
    "citizens": _l("Số mã số BHXH khác nhau"), "contact": _l("Liên hệ"), "contact_kind": _l("Loại liên hệ"),
    "views": _l("Số lần xem"),
}
FLAG_VALUE_LABELS = {"phone": _l("Số điện thoại"), "email": _l("Email"), True: _l("Có"), False: _l("Không")}
