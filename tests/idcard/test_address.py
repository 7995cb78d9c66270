from backoffice.idcard.address import plausible, province_code, tidy


def test_tidy_repairs_ocr_punctuation():
    assert tidy("Khu phố 2,Xã Vĩnh Điều. Huyện Chợ Mới, Quận .Hải Châu") == (
        "Khu phố 2, Xã Vĩnh Điều, Huyện Chợ Mới, Quận Hải Châu")
    assert tidy("Số 8Lê Lợi, Số 12A Lê Lợi") == "Số 8 Lê Lợi, Số 12A Lê Lợi"


def test_plausible_addresses():
    assert plausible("Tổ 7, Xã Bình Sơn, Tỉnh An Giang")
    assert plausible("Số 175 Trần Hưng Đạo, Xã Yên Cường, Tuyên Quang")


def test_misread_openers_or_provinces_are_not_plausible():
    assert not plausible("Tố 7, Xã Bình Sơn, Tỉnh An Giang")
    assert not plausible("Số 1 Lê Lợi, Xã A, Tỉnh Đấk Lấk")
    assert not plausible("Xã A")


def test_old_provinces_map_to_current():
    assert province_code("Xã A, Tỉnh Bà Rịa - Vũng Tàu") == 79
    assert province_code("Xã A, Nowhere") is None
