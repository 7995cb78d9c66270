from datetime import date

import pytest

from backoffice.idcard.normalise import clean_name, clean_text, fold, key, parse_date, parse_sex


@pytest.mark.parametrize("text, expected", [
    ("01/02/1990", date(1990, 2, 1)),
    ("1-2-1990", date(1990, 2, 1)),
    ("01021990", date(1990, 2, 1)),
    ("Ngày 12 tháng 05 năm 2010", date(2010, 5, 12)),
    (" 31/12/2030 ", date(2030, 12, 31)),
])
def test_dates_become_iso(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "31/02/1990", "1990", "01/02/90", "Không thời hạn", "12/345/1990"])
def test_bad_dates_are_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text, expected", [("Nam", "Nam"), ("NỮ", "Nữ"), ("Nu", "Nữ"), ("M", "Nam"),
                                            ("F", "Nữ"), ("nam.", "Nam"), ("Khác", None)])
def test_sex(text, expected):
    assert parse_sex(text) == expected


def test_fold_handles_d_with_stroke():
    assert fold("Đặng Đình Đức") == "Dang Dinh Duc"
    assert fold("đường") == "duong"


def test_key_collapses_spacing_and_case():
    assert key("  Nguyễn   VĂN\tA ") == "nguyễn văn a"
    assert key("Nguyễn Văn A", diacritics=False) == "nguyen van a"


def test_name_keeps_diacritics_and_drops_noise():
    assert clean_name("  Trần  thị | Hằng1 ") == "TRẦN THỊ HẰNG"


def test_text_drops_junk_at_ends():
    assert clean_text("| Số 12 Lê Lợi, Phường Bến Nghé, ") == "Số 12 Lê Lợi, Phường Bến Nghé"
