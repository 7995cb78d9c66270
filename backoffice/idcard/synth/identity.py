"""Random Vietnamese identities whose fields obey the rules printed cards follow."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from vietnam_provinces import Province, Ward

from ..idnumber import make_id12
from ..normalise import nfc
from ..provinces import OLD_DISTRICTS, OLD_PROVINCES

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Quách")
MIDDLE = {"Nam": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thanh", "Xuân", "Đình", "Quang"),
          "Nữ": ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thùy", "Phương", "Bảo", "Diệu")}
GIVEN = {"Nam": ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Quân",
                 "Sơn", "Thắng", "Tuấn", "Việt", "Phúc", "Hoàng", "Nghĩa", "Trung", "Kiên", "Lộc"),
         "Nữ": ("Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hương", "Lan", "Linh", "Mai",
                "Ngân", "Nhung", "Oanh", "Phượng", "Quỳnh", "Thảo", "Thủy", "Trang", "Yến", "Vy")}
STREETS = ("Nguyễn Trãi", "Lê Lợi", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt",
           "Quang Trung", "Phan Đình Phùng", "Điện Biên Phủ", "Hoàng Diệu", "Bạch Đằng")
VILLAGES = ("Thôn Đông", "Thôn Trung", "Xóm 3", "Ấp Bình Lợi", "Thôn Phú Mỹ", "Tổ 7", "Khu phố 2")
CITIES = {1, 31, 48, 79, 92}
# Issue date windows per document type
ISSUED = {"cmnd": (date(2003, 1, 1), date(2015, 12, 31)),
          "cccd_barcode": (date(2016, 6, 1), date(2020, 12, 31)),
          "cccd_chip": (date(2021, 3, 1), date(2024, 6, 30)),
          "can_cuoc": (date(2024, 7, 1), date(2025, 12, 31))}


@dataclass(frozen=True)
class Identity:
    """Everything printed on one person's card."""

    doc_type: str
    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    place_of_origin: str
    place_of_residence: str
    date_of_issue: date
    date_of_expiry: date | None


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _birthday(born: date, age: int) -> date:
    day = 28 if (born.month, born.day) == (2, 29) else born.day
    return date(born.year + age, born.month, day)


def expiry_for(born: date, issued: date) -> date | None:
    """Cards expire at 25, 40 or 60; issued within two years of that age, the next one applies."""
    for age in (25, 40, 60):
        if issued <= _birthday(born, age - 2):
            return _birthday(born, age)
    return None


def _province_name(old_code: int) -> str:
    name = OLD_PROVINCES[old_code][0]
    return ("Thành phố " if old_code in CITIES else "Tỉnh ") + name


@lru_cache(maxsize=None)
def _wards(new_code: int) -> tuple[str, ...]:
    return tuple(nfc(w.name) for w in Ward.iter_all()
                 if w.province_code.value == new_code and w.division_type.value != "đặc khu")


def _commune(rng: random.Random, new_code: int) -> str:
    return rng.choice(_wards(new_code))


def _old_address(rng: random.Random, street: bool) -> str:
    old_code = rng.choice(sorted(OLD_DISTRICTS))
    district = rng.choice(OLD_DISTRICTS[old_code])
    commune = _commune(rng, OLD_PROVINCES[old_code][1])
    first = f"Số {rng.randint(1, 199)} {rng.choice(STREETS)}" if street else rng.choice(VILLAGES)
    parts = [first, commune, district, _province_name(old_code)]
    return ", ".join(parts if street else parts[1:] if rng.random() < 0.5 else parts)


def _new_address(rng: random.Random) -> str:
    province = rng.choice(list(Province.iter_all()))
    commune = _commune(rng, province.code.value)
    return f"Số {rng.randint(1, 199)} {rng.choice(STREETS)}, {commune}, {province.name}"


def random_identity(rng: random.Random, doc_type: str) -> Identity:
    """A consistent random identity for a document type (dates, ID digits and expiry agree)."""
    sex = rng.choice(("Nam", "Nữ"))
    issued = _between(rng, *ISSUED[doc_type])
    born = _between(rng, date(1955, 1, 1), date(issued.year - 15, issued.month, 1))
    name = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex]))).upper()
    province = rng.choice(sorted(OLD_PROVINCES))
    id12 = make_id12(province, born, sex, rng.randrange(1_000_000))
    cmnd = f"{rng.randrange(10**8, 10**9)}"
    residence = _new_address(rng) if doc_type == "can_cuoc" else _old_address(rng, street=True)
    return Identity(
        doc_type=doc_type,
        id_number=cmnd if doc_type == "cmnd" else id12,
        old_id_number=cmnd if doc_type in ("cccd_chip", "can_cuoc") and rng.random() < 0.6 else None,
        full_name=name,
        date_of_birth=born,
        sex=sex,
        nationality="Việt Nam",
        place_of_origin=_old_address(rng, street=False),
        place_of_residence=residence,
        date_of_issue=issued,
        date_of_expiry=None if doc_type == "cmnd" else expiry_for(born, issued),
    )
