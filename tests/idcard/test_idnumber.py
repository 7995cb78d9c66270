from datetime import date

from backoffice.idcard.idnumber import birth_year, encoded_sex, is_plausible_id12, make_id12, structure_problems


def test_composed_id_encodes_province_century_sex_and_year():
    assert make_id12(1, date(1990, 2, 1), "Nam", 12345) == "001090012345"
    assert make_id12(79, date(2004, 5, 6), "Nữ", 1) == "079304000001"


def test_decoding():
    assert birth_year("079304000001") == 2004 and encoded_sex("079304000001") == "Nữ"
    assert birth_year("001090012345") == 1990 and encoded_sex("001090012345") == "Nam"


def test_plausibility():
    assert is_plausible_id12("001090012345")
    assert not is_plausible_id12("003090012345")  # 003 is not a province code
    assert not is_plausible_id12("001790012345")  # 7 is not a century/sex digit
    assert not is_plausible_id12("00109001234")


def test_consistent_id_has_no_problems():
    assert structure_problems("001090012345", date(1990, 2, 1), "Nam") == []


def test_problems_are_named():
    problems = structure_problems("001090012345", date(1991, 2, 1), "Nữ")
    assert any("birth year" in p for p in problems) and any("sex" in p for p in problems)
    assert structure_problems("003090012345", None, None) == ["id_number: unknown province code 003"]
