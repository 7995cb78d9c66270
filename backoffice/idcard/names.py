"""Syllables of Vietnamese personal names, spelled with their diacritics.

A general list of surnames and of the syllables used as middle and given names (compiled from
common Vietnamese naming, not from the card generator). Both tone-mark placements are listed where
both are in use on cards (`Thủy` and `Thuỷ`, `Hòa` and `Hoà`).
"""

SURNAMES = frozenset("""
Âu Bạch Bế Bùi Cao Cấn Châu Chu Chung Cù Cung Diệp Doãn Dương Đàm Đào Đặng Đinh Đoàn Đồng Đỗ
Giang Giáp Hà Hàn Hầu Hồ Hoàng Hồng Hứa Huỳnh Khổng Khúc Khuất Khương Kiều Kim La Lã Lại Lâm Lê
Lò Lục Lữ Lưu Lương Lý Mã Mạc Mai Mẫn Mông Nghiêm Ngô Nguyễn Nhâm Ninh Nông Ông Phạm Phan Phí
Phó Phùng Quách Quan Quản Sầm Tạ Tào Tăng Thạch Thái Thân Thiều Tiêu Tô Tôn Tống Trần Triệu
Trịnh Trình Trương Từ Uông Ứng Văn Vi Viên Võ Vũ Vương Yên
""".split())

GIVEN_SYLLABLES = frozenset("""
An Ân Anh Ánh Ba Bá Bách Bắc Bằng Bảo Bảy Bé Bích Biên Bình Bội Bửu Ca Cầm Cẩm Cần Cảnh Cát
Chánh Chân Châu Chi Chí Chiến Chinh Chính Chỉnh Chương Chung Công Cơ Cúc Cung Cường Dân Diễm
Diệp Diệu Du Dung Dũng Duy Duyên Dương Đại Đan Đạo Đạt Đắc Đăng Điềm Điền Điệp Định Đình Đoan
Đông Đồng Đức Gia Giang Giao Hà Hạ Hai Hải Hạnh Hào Hảo Hạc Hằng Hân Hậu Hiên Hiền Hiển Hiệp
Hiếu Hiệu Hoa Hòa Hoà Hoài Hoan Hoàn Hoàng Học Hồng Hợp Huân Huấn Huệ Hùng Hưng Hương Hường
Hữu Huy Huyền Kha Khải Khang Khanh Khánh Khắc Khiêm Khoa Khôi Khuê Khuyên Khương Kiên Kiệt
Kiều Kim Kỳ Lai Lam Lan Lâm Lân Lành Lễ Lệ Liên Liêm Liễu Linh Loan Lộc Lợi Long Lụa Luân
Luận Lực Lương Ly Lý Mai Mạnh Mận Mẫn Minh Mơ Mừng My Mỹ Na Nam Năm Nga Ngà Ngân Nghĩa Ngọc
Nguyên Nguyệt Nhã Nhạn Nhàn Nhân Nhật Nhi Nhiên Nhung Như Nhựt Ninh Nở Oanh Phát Phấn Phi Phong
Phú Phúc Phụng Phước Phương Phượng Quang Quân Quế Quốc Quy Quý Quyên Quyền Quyết Quỳnh Sa Sang
Sáng Sâm Sáu Sinh Sĩ Sỹ Sơn Song Sương Tài Tám Tạo Tâm Tân Tấn Thạch Thái Thắm Thắng Thanh
Thành Thạnh Thảo Thế Thi Thiên Thiện Thịnh Thị Thoa Thoại Thơ Thông Thu Thư Thuần Thuận Thục
Thức Thùy Thuỳ Thủy Thuỷ Thúy Thuý Thương Thy Tiên Tiến Tiệp Tín Tịnh Toàn Toản Tôn Trà Trâm
Trầm Trân Trang Trí Triết Trinh Trọng Trúc Trực Trung Trường Tú Tuấn Tuệ Tùng Tuyến Tuyền Tuyết
Tư Tường Tỷ Uy Uyên Út Vân Văn Vi Việt Viết Vinh Vĩnh Vũ Vượng Vương Vy Vỹ Xuân Xương Ý Yên
Yến
""".split())
