"""Answer templates per category: a starting text the officer edits before submitting the draft (DESIGN.md §4.3).

Every template answers on behalf of the receiving office, which resolves the matter itself: none sends the citizen to
another office (seed 003 §5; tests/complaints/test_citizen_wording.py reads these texts too). Placeholders:
{full_name}, {reference}, {received}, {office_name}; `fill` puts the complaint's values in.
"""
from backoffice.extensions import db
from backoffice.models import Office
from backoffice.services.platform import calendar

OPENING = ("Kính gửi Ông/Bà {full_name},\n\n"
           "{office_name} đã nhận được phản ánh, kiến nghị số {reference} của Ông/Bà gửi ngày {received}. ")
CLOSING = ("\n\nNếu còn vướng mắc, Ông/Bà vui lòng trả lời theo số phản ánh {reference}; {office_name} sẽ tiếp tục "
           "giải quyết và thông báo kết quả cho Ông/Bà.\n\nTrân trọng.")

BODIES = {
    "personal_info": [
        ("corrected", "Đã điều chỉnh thông tin cá nhân",
         "Sau khi đối chiếu hồ sơ gốc, cơ quan BHXH đã điều chỉnh thông tin [họ tên/ngày sinh/số định danh] của Ông/Bà "
         "trên cơ sở dữ liệu từ ngày [ngày điều chỉnh]. Thông tin mới sẽ hiển thị trên ứng dụng VssID sau khi Ông/Bà "
         "đăng nhập lại."),
        ("matches", "Thông tin đã đúng theo hồ sơ",
         "Sau khi đối chiếu, thông tin cá nhân của Ông/Bà trên cơ sở dữ liệu trùng khớp với [giấy tờ đối chiếu]. "
         "Cơ quan BHXH đã đồng bộ lại dữ liệu với Cơ sở dữ liệu quốc gia về dân cư để ứng dụng hiển thị đúng."),
    ],
    "contribution_history": [
        ("added_periods", "Đã bổ sung quá trình đóng",
         "Cơ quan BHXH đã kiểm tra và cập nhật bổ sung quá trình đóng BHXH của Ông/Bà từ tháng [từ tháng] đến tháng "
         "[đến tháng] tại đơn vị [tên đơn vị]. Quá trình đóng đã hiển thị đầy đủ trên ứng dụng VssID."),
        ("employer_owes", "Đơn vị sử dụng lao động chưa đóng",
         "Qua kiểm tra, đơn vị [tên đơn vị] chưa đóng BHXH cho Ông/Bà các tháng [các tháng]. Cơ quan BHXH đã có văn "
         "bản đôn đốc đơn vị đóng đủ; khi đơn vị đóng, quá trình của Ông/Bà sẽ được ghi nhận đầy đủ. Cơ quan BHXH sẽ "
         "thông báo kết quả cho Ông/Bà."),
        ("merged_books", "Đã gộp sổ BHXH",
         "Cơ quan BHXH đã gộp quá trình đóng trên các sổ BHXH của Ông/Bà vào mã số BHXH [mã số BHXH]. Quá trình đóng "
         "đã được cộng nối đầy đủ."),
    ],
    "health_card_info": [
        ("card_fixed", "Đã điều chỉnh thông tin thẻ BHYT",
         "Cơ quan BHXH đã điều chỉnh [nơi đăng ký khám chữa bệnh ban đầu/thời hạn/mức hưởng] trên thẻ BHYT của Ông/Bà "
         "từ ngày [ngày]. Thẻ BHYT trên ứng dụng VssID đã được cập nhật và có giá trị sử dụng khi đi khám chữa bệnh."),
        ("card_valid", "Thẻ còn giá trị sử dụng",
         "Qua kiểm tra, thẻ BHYT của Ông/Bà còn giá trị sử dụng đến ngày [ngày]. Cơ quan BHXH đã làm việc với cơ sở "
         "khám chữa bệnh để việc tra cứu thẻ của Ông/Bà được thực hiện đúng."),
    ],
    "benefits": [
        ("paid", "Đã giải quyết chế độ",
         "Cơ quan BHXH đã giải quyết chế độ [ốm đau/thai sản/hưu trí/một lần] cho Ông/Bà với số tiền [số tiền] đồng, "
         "chi trả ngày [ngày] qua [tài khoản/bưu điện]."),
        ("explained", "Giải thích cách tính chế độ",
         "Mức hưởng của Ông/Bà được tính theo [căn cứ], trên cơ sở [số năm đóng] năm đóng BHXH và mức bình quân tiền "
         "lương [mức]. Cơ quan BHXH gửi kèm bảng tính chi tiết để Ông/Bà tham khảo."),
    ],
    "medical_care": [
        ("reimbursed", "Thanh toán trực tiếp chi phí khám chữa bệnh",
         "Cơ quan BHXH đã xem xét hồ sơ và thanh toán trực tiếp cho Ông/Bà số tiền [số tiền] đồng chi phí khám chữa "
         "bệnh BHYT tại [cơ sở], chi trả ngày [ngày]."),
        ("facility_corrected", "Đã làm việc với cơ sở khám chữa bệnh",
         "Cơ quan BHXH đã làm việc với [cơ sở khám chữa bệnh] về nội dung Ông/Bà phản ánh. Cơ sở đã [hoàn trả/điều "
         "chỉnh] [nội dung] và cam kết thực hiện đúng quy định về quyền lợi của người có thẻ BHYT."),
    ],
    "app_technical": [
        ("fixed", "Đã khắc phục lỗi ứng dụng",
         "Lỗi Ông/Bà phản ánh trên ứng dụng VssID đã được khắc phục từ ngày [ngày]. Ông/Bà vui lòng cập nhật ứng dụng "
         "lên phiên bản mới nhất và đăng nhập lại."),
        ("account_reset", "Đã cấp lại mật khẩu / mở khoá tài khoản",
         "Cơ quan BHXH đã [mở khoá tài khoản/cấp lại mật khẩu] giao dịch điện tử của Ông/Bà. Mật khẩu tạm thời đã "
         "được gửi qua tin nhắn tới số điện thoại đã đăng ký; Ông/Bà đổi mật khẩu khi đăng nhập lần đầu."),
    ],
}
GENERIC = [
    ("received_processing", "Thông báo đang giải quyết",
     "Nội dung Ông/Bà phản ánh đang được cơ quan BHXH kiểm tra, xác minh. Kết quả sẽ được thông báo cho Ông/Bà trước "
     "ngày [ngày]."),
    ("free", "Văn bản tự soạn", "[Nội dung trả lời]"),
]


def templates_for(category):
    """The answer templates of a category, then the generic ones: [(key, title, body with placeholders)]."""
    return [(key, title, OPENING + body + CLOSING) for key, title, body in [*BODIES.get(category or "", []), *GENERIC]]


def all_bodies():
    """Every template text (for the wording test)."""
    return [body for category in [*BODIES, None] for _, _, body in templates_for(category)]


def fill(body, complaint):
    """A template with the complaint's own values in; unknown braces are left as they are."""
    office = db.session.get(Office, complaint.office_id)
    values = {"full_name": complaint.full_name or "", "reference": complaint.reference,
              "received": calendar.local_date(complaint.received_at).strftime("%d/%m/%Y"),
              "office_name": office.name if office else "Cơ quan BHXH"}
    for name, value in values.items():
        body = body.replace("{" + name + "}", value)
    return body.replace("Ông/Bà ,", "Ông/Bà,")
