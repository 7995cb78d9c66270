from backoffice.idcard.compare import compare, province_code

EXTRACTED = {"fields": {
    "full_name": {"value": "ĐẶNG VĂN ĐẠT", "source": "qr", "confidence": 0.99},
    "date_of_birth": {"value": "1990-02-01", "source": "qr", "confidence": 0.99},
    "sex": {"value": "Nam", "source": "qr", "confidence": 0.99},
    "id_number": {"value": "001090012345", "source": "qr", "confidence": 0.99},
    "place_of_residence": {"value": "Thôn Đông, Xã Hải Anh, Huyện Hải Hậu, Tỉnh Nam Định",
                           "source": "ocr", "confidence": 0.8},
}}


def status(declared):
    return {k: v["status"] for k, v in compare(declared, EXTRACTED).items()}


def test_exact_name_ignores_case_and_spacing():
    assert status({"full_name": "  Đặng   văn Đạt "}) == {"full_name": "match"}


def test_name_without_diacritics_warns():
    result = compare({"full_name": "Dang Van Dat"}, EXTRACTED)["full_name"]
    assert result["status"] == "match_without_diacritics" and 0 < result["score"] < 1


def test_d_with_stroke_is_not_the_same_letter_as_d():
    assert status({"full_name": "DẶNG VĂN ĐẠT"})["full_name"] == "match_without_diacritics"


def test_different_name_is_a_mismatch():
    assert status({"full_name": "Đặng Văn Đức"})["full_name"] == "mismatch"


def test_dates_sex_and_numbers():
    declared = {"date_of_birth": "01/02/1990", "sex": "nam", "id_number": "0010 9001 2345"}
    assert set(status(declared).values()) == {"match"}
    assert status({"date_of_birth": "1990-02-02"})["date_of_birth"] == "mismatch"


def test_missing_extracted_field():
    assert status({"date_of_issue": "2021-07-10"}) == {"date_of_issue": "missing"}


def test_old_three_level_address_matches_current_two_level():
    assert province_code("Thôn Đông, Xã Hải Anh, Huyện Hải Hậu, Tỉnh Nam Định") == 37
    assert province_code("Xã Hải Anh, Tỉnh Ninh Bình") == 37
    assert status({"place_of_residence": "Thôn Đông, Xã Hải Anh, Tỉnh Ninh Bình"}) == {"place_of_residence": "match"}
    assert status({"place_of_residence": "Thon Dong, Xa Hai Anh, Tinh Ninh Binh"}) == {
        "place_of_residence": "match_without_diacritics"}


def test_address_in_another_province_is_a_mismatch():
    elsewhere = {"place_of_residence": "Thôn Đông, Xã Hải Anh, Tỉnh Quảng Ninh"}
    assert status(elsewhere) == {"place_of_residence": "mismatch"}
