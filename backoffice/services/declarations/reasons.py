"""The catalogue of rejection reasons: code, basis, and what the citizen reads with the next step."""
from dataclasses import dataclass

from backoffice.web.catalogue import N_


@dataclass(frozen=True)
class RejectionReason:
    """One reason an officer may pick when rejecting a declaration."""

    code: str
    label: str  # in Vietnamese, marked for the catalogue: screens translate it when shown
    basis: str
    citizen_text: str
    next_step: str


_BASIS = "Quyết định 422/QĐ-BHXH (quy trình giao dịch điện tử); Mẫu 01 – Tờ khai đăng ký giao dịch điện tử"
REASONS = {r.code: r for r in (
    RejectionReason("ID_UNREADABLE", N_("Ảnh giấy tờ không đọc được"), _BASIS,
                    "Ảnh chụp căn cước không rõ, không đọc được thông tin.",
                    "Chụp lại hai mặt căn cước rõ nét, đủ sáng rồi gửi lại tờ khai trên VssID."),
    RejectionReason("ID_MISMATCH", N_("Thông tin kê khai khác giấy tờ"), _BASIS,
                    "Thông tin kê khai không khớp với căn cước.",
                    "Kiểm tra họ tên, ngày sinh, số định danh theo căn cước rồi gửi lại tờ khai."),
    RejectionReason("SIN_MISMATCH", N_("Mã số BHXH không khớp"), _BASIS,
                    "Mã số BHXH không khớp với thông tin người tham gia.",
                    "Tra cứu mã số BHXH trên VssID hoặc liên hệ cơ quan BHXH rồi gửi lại tờ khai."),
    RejectionReason("PORTRAIT_INVALID", N_("Ảnh chân dung không hợp lệ"), _BASIS,
                    "Ảnh chân dung không hợp lệ.",
                    "Chụp ảnh chân dung rõ mặt, không đeo kính râm, nền sáng rồi gửi lại tờ khai."),
    RejectionReason("DUPLICATE", N_("Trùng tờ khai hoặc tài khoản"), _BASIS,
                    "Mã số BHXH đã có tài khoản hoặc tờ khai đang xử lý.",
                    "Đăng nhập bằng tài khoản đã có, hoặc chờ kết quả tờ khai trước."),
    RejectionReason("MISSING_DOCUMENT", N_("Thiếu giấy tờ"), _BASIS,
                    "Hồ sơ thiếu ảnh giấy tờ bắt buộc.",
                    "Bổ sung đủ ảnh giấy tờ theo hướng dẫn rồi gửi lại tờ khai."),
    RejectionReason("GUARDIAN_INVALID", N_("Người giám hộ không hợp lệ"), _BASIS,
                    "Người giám hộ chưa có tài khoản VssID đang hoạt động hoặc không hợp lệ.",
                    "Người giám hộ đăng ký tài khoản VssID trước, sau đó đăng ký cho trẻ."),
    RejectionReason("NO_SHOW", N_("Không đến đối chiếu"), _BASIS,
                    "Quá hạn nhưng chưa bổ sung giấy tờ hoặc chưa đến bộ phận một cửa để đối chiếu giấy tờ gốc.",
                    "Gửi lại tờ khai và đến bộ phận một cửa trong thời hạn được hẹn."),
    RejectionReason("OTHER", N_("Lý do khác (ghi rõ)"), _BASIS, "",
                    "Liên hệ cơ quan BHXH tiếp nhận để được hướng dẫn."),
)}


def citizen_wording(code, free_text=""):
    """The reason and next step the citizen reads; OTHER uses the officer's own text."""
    reason = REASONS[code]
    return (free_text.strip() if code == "OTHER" else reason.citizen_text), reason.next_step
