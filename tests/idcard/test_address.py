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


def test_an_address_ends_with_its_province_only_when_the_province_is_named_whole():
    """Every true address ends with its province (typed, `Tỉnh An Giang`, or alone, `Ninh Bình`); the
    same address cut short by a word or more does not (`Thành phố Hồ`, `Huyện Tiền Hải, Tỉnh`)."""
    import random

    from backoffice.idcard.address import ends_in_province
    from backoffice.idcard.labels import past_label
    from backoffice.idcard.synth.identity import random_identity

    for seed in range(150):
        for doc in ("cccd_chip", "cccd_barcode", "cmnd", "can_cuoc"):
            person = random_identity(random.Random(f"province/{doc}/{seed}"), doc)
            for field in ("place_of_origin", "place_of_residence"):
                address = getattr(person, field)
                assert ends_in_province(address), address
                assert past_label(field, address) == address  # nothing of a true address taken for its label
                words = address.split()
                assert not any(ends_in_province(" ".join(words[:-cut])) for cut in (1, 2, 3)), address
    assert ends_in_province("Thôn Trung, Xã Krông Ana, Tính Đák Lắk")  # misread, still the province
    assert not ends_in_province("Phường Kỳ Bá, Thành phố Thái Bình,")  # a city named as its province
