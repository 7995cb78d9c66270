import json
from importlib.metadata import version

from backoffice.idcard import gazetteer
from backoffice.idcard.gazetteer import repair, split_type


def test_administrative_names_take_their_spelling():
    assert repair("Khu phố 2, Xã Diê Ya, Huyện Krông Pác, Tỉnh Đák Lák") == (
        "Khu phố 2, Xã Dliê Ya, Huyện Krông Pắc, Tỉnh Đắk Lắk")
    assert repair("Ấp Bình Lợi, Phường An Nhơn, Huyện Củ Chỉ, Thành phố Hồ Chí Minh") == (
        "Ấp Bình Lợi, Phường An Nhơn, Huyện Củ Chi, Thành phố Hồ Chí Minh")


def test_type_words_and_dashes_are_respelled():
    assert repair("Thôn Đông, Xã Krông Á, Tính Đắk Lắt") == "Thôn Đông, Xã Krông Á, Tỉnh Đắk Lắk"
    assert repair("Xã Chân Mây - Lăng Cô, Tỉnh Thừa Thiên Huế") == "Xã Chân Mây – Lăng Cô, Tỉnh Thừa Thiên Huế"


def test_noise_after_the_province_is_dropped():
    assert repair("Số 9 Lê Lợi, Xã Ngọc Lâm, Tỉnh Thái Bình, , Œ, ẼẺ di") == "Số 9 Lê Lợi, Xã Ngọc Lâm, Tỉnh Thái Bình"
    assert repair("Xã Lâm Tân, Thành phố Cần Thơ _ ../ Ẻ") == "Xã Lâm Tân, Thành phố Cần Thơ"


def test_villages_unknown_streets_and_valid_spellings_are_kept():
    assert repair("Số 4 Bạch Mai, Thôn Phú Mỹ, Xã Hoà An, Huyện Giao Thủy, Tỉnh Cao Bằng") == (
        "Số 4 Bạch Mai, Thôn Phú Mỹ, Xã Hoà An, Huyện Giao Thủy, Tỉnh Cao Bằng")


def test_common_streets_and_part_openers_take_their_spelling():
    assert repair("Số 4 Bạch Đăng, Xã Hoà An, Tỉnh Cao Bằng") == "Số 4 Bạch Đằng, Xã Hoà An, Tỉnh Cao Bằng"
    assert repair("Số 12A Lê Hợi, Xã Hoà An, Tỉnh Cao Bằng") == "Số 12A Lê Lợi, Xã Hoà An, Tỉnh Cao Bằng"
    assert repair("Tố 7, Xã Hoà An, Tỉnh Cao Bằng") == "Tổ 7, Xã Hoà An, Tỉnh Cao Bằng"
    assert repair("Áp Bình Lợi, Xã Hoà An, Tỉnh Cao Bằng") == "Ấp Bình Lợi, Xã Hoà An, Tỉnh Cao Bằng"


def test_an_address_without_a_province_keeps_its_parts():
    assert repair("Số 170 Lê Lợi, Xã Định Mỹ, Huyện Chợ") == "Số 170 Lê Lợi, Xã Định Mỹ, Huyện Chợ"


def test_split_type_prefers_the_longest_type_word():
    assert split_type("Thị xã Hương Thủy") == ("Thị xã", "Hương Thủy")
    assert split_type("Thi xa Hương Thủy") == ("Thị xã", "Hương Thủy")
    assert split_type("Số 4 Lê Lợi") == (None, "Số 4 Lê Lợi")


def test_the_saved_ward_dictionary_is_the_installed_packages_folded(tmp_path):
    """wards.json is what `python -m backoffice.idcard.gazetteer` makes from the installed package:
    after a version bump this fails until the file is written again."""
    saved = json.loads(gazetteer.WARDS_FILE.read_text(encoding="utf-8"))
    assert saved["version"] == version("vietnam-provinces")
    assert [tuple(w) for w in saved["wards"]] == gazetteer.folded_wards()
    fresh = tmp_path / "wards.json"
    gazetteer.write_wards(fresh)
    assert json.loads(fresh.read_text(encoding="utf-8")) == saved


def test_a_ward_file_of_another_package_version_is_not_read(monkeypatch, tmp_path):
    stale = tmp_path / "wards.json"
    stale.write_text(json.dumps({"version": "1999.1.1", "wards": [[1, "hoan kiem", "Hoàn Kiếm Cũ"]]}), "utf-8")
    monkeypatch.setattr(gazetteer, "WARDS_FILE", stale)
    gazetteer._wards.cache_clear()
    try:
        assert gazetteer._wards()[1]["hoan kiem"] == {"Hoàn Kiếm"}
        stale.write_text(json.dumps({"version": version("vietnam-provinces"),
                                     "wards": [[1, "hoan kiem", "Hoàn Kiếm Cũ"]]}), "utf-8")
        gazetteer._wards.cache_clear()
        assert gazetteer._wards()[1]["hoan kiem"] == {"Hoàn Kiếm Cũ"}  # the file is what is read
        stale.write_text("{not json", "utf-8")
        gazetteer._wards.cache_clear()
        assert gazetteer._wards()[1]["hoan kiem"] == {"Hoàn Kiếm"}
    finally:
        gazetteer._wards.cache_clear()
