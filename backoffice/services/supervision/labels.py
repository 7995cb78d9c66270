"""Labels of supervision, in Vietnamese (translated when shown): audit actions in words, flag rules, risks."""
from backoffice.services.declarations.labels import EVENT_LABELS
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
}
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
