"""Street names that Vietnamese towns most often give, spelled with their diacritics.

Most are historical figures, battles and dates; a general list, not the card generator's. An OCR'd
`Số 89 Lễ Lợi` is respelled from it the way gazetteer.py respells ward names.
"""

from collections import defaultdict
from functools import lru_cache

from .normalise import key, nfc

STREETS = (
    "Âu Cơ", "Ba Tháng Hai", "Bà Triệu", "Bạch Đằng", "Cách Mạng Tháng Tám", "Chu Văn An", "Điện Biên Phủ",
    "Đinh Tiên Hoàng", "Đề Thám", "Độc Lập", "Giải Phóng", "Hai Bà Trưng", "Hàm Nghi", "Hoàng Diệu",
    "Hoàng Hoa Thám", "Hoàng Văn Thụ", "Hồ Tùng Mậu", "Hùng Vương", "Kim Mã", "Lạc Long Quân",
    "Lê Duẩn", "Lê Đại Hành", "Lê Hồng Phong", "Lê Lai", "Lê Lợi", "Lê Quý Đôn", "Lê Thánh Tông",
    "Lê Văn Sỹ", "Lê Văn Tám", "Lý Thái Tổ", "Lý Thường Kiệt", "Lý Tự Trọng", "Mạc Đĩnh Chi",
    "Nam Kỳ Khởi Nghĩa", "Ngô Quyền", "Nguyễn An Ninh", "Nguyễn Bỉnh Khiêm", "Nguyễn Chí Thanh",
    "Nguyễn Công Trứ", "Nguyễn Du", "Nguyễn Đình Chiểu", "Nguyễn Huệ", "Nguyễn Khuyến",
    "Nguyễn Tất Thành", "Nguyễn Thái Học", "Nguyễn Thị Minh Khai", "Nguyễn Thiện Thuật", "Nguyễn Trãi",
    "Nguyễn Trung Trực", "Nguyễn Trường Tộ", "Nguyễn Văn Cừ", "Nguyễn Văn Linh", "Phan Bội Châu",
    "Phan Chu Trinh", "Phan Đình Phùng", "Phan Văn Trị", "Phan Xích Long", "Phạm Ngũ Lão",
    "Phạm Văn Đồng", "Quang Trung", "Tây Sơn", "Thống Nhất", "Tô Hiến Thành", "Tôn Đức Thắng",
    "Trần Hưng Đạo", "Trần Khánh Dư", "Trần Nhân Tông", "Trần Phú", "Trần Quang Khải", "Trần Quốc Toản",
    "Trưng Nữ Vương", "Trường Chinh", "Võ Nguyên Giáp", "Võ Thị Sáu", "Võ Văn Kiệt", "Xô Viết Nghệ Tĩnh",
    "Yết Kiêu",
)


@lru_cache(maxsize=1)
def by_folded() -> dict[str, set[str]]:
    """Folded street name (no marks, lower case) -> its spellings."""
    names: dict[str, set[str]] = defaultdict(set)
    for street in STREETS:
        names[key(street, False)].add(nfc(street))
    return dict(names)
