"""confirm.py: OCR values keep confidence >= 0.9 only when their grammar or another field confirms them."""

import random
from datetime import date

import pytest

from backoffice.idcard.confirm import DERIVED_EXPIRY, UNCONFIRMED, confirm, derive_expiry, expiry_allowed
from backoffice.idcard.synth import expected_fields
from backoffice.idcard.synth.identity import random_identity


def ocr(values: dict, confidence=0.99) -> dict:
    return {k: {"value": v, "source": "ocr", "confidence": confidence} for k, v in values.items()}


@pytest.mark.parametrize("doc", ["cccd_chip", "cccd_barcode", "can_cuoc", "cmnd"])
def test_true_values_of_generated_identities_stay_sure(doc):
    for seed in range(300):
        fields = ocr(expected_fields(random_identity(random.Random(seed), doc)))
        assert confirm(fields, doc) == [], (seed, fields)
        assert all(f["confidence"] == 0.99 for f in fields.values())


def barcode_card():
    return expected_fields(random_identity(random.Random(7), "cccd_barcode"))


def test_an_id_number_whose_serial_is_all_it_has_is_capped_without_birth_date_or_sex():
    truth = barcode_card()
    fields = ocr({"id_number": truth["id_number"]})
    assert confirm(fields, "cccd_barcode") == ["id_number: not confirmed by its form or the other fields"]
    assert fields["id_number"]["confidence"] == UNCONFIRMED


def test_an_id_number_disagreeing_with_the_sex_is_capped():
    truth = barcode_card()
    fields = ocr(truth)
    fields["sex"]["value"] = "Nữ" if truth["sex"] == "Nam" else "Nam"
    confirm(fields, "cccd_barcode")
    assert fields["id_number"]["confidence"] == UNCONFIRMED


def test_a_misread_birth_year_is_caught_by_the_expiry_rule():
    truth = barcode_card()
    fields = ocr(truth)
    year = int(truth["date_of_birth"][:4]) + 3
    fields["date_of_birth"]["value"] = f"{year}{truth['date_of_birth'][4:]}"
    warnings = confirm(fields, "cccd_barcode")
    assert "date_of_birth: not confirmed by its form or the other fields" in warnings
    assert fields["date_of_expiry"]["confidence"] == UNCONFIRMED


def test_values_of_the_qr_or_mrz_are_not_touched():
    truth = barcode_card()
    fields = {k: {"value": v, "source": "qr", "confidence": 0.99} for k, v in truth.items()}
    fields["full_name"]["value"] = "XYZ ABC"
    assert confirm(fields, "cccd_chip") == [] and fields["full_name"]["confidence"] == 0.99


@pytest.mark.parametrize("name, sure", [
    ("NGUYỄN VĂN AN", True),
    ("TRẦN THỊ THUỶ", True),       # the old tone placement is a spelling too
    ("NGUYÊN VĂN AN", False),      # not a surname
    ("NGUYỄN VĂN ĂS", False),      # not a syllable of names
    ("NGUYỄN", False),             # a surname alone
])
def test_names_are_made_of_known_syllables(name, sure):
    fields = ocr({"full_name": name})
    confirm(fields, "cmnd")
    assert (fields["full_name"]["confidence"] > UNCONFIRMED) is sure


@pytest.mark.parametrize("place, sure", [
    ("Xã Tiên Tiến, Hưng Yên", True),                          # căn cước: the province without its type word
    ("Số 12 Lê Lợi, Phường Hà Huy Tập, Tỉnh Hà Tĩnh", True),
    ("Xã Tiên Tiền, Hưng Yên", False),                         # a ward nobody spells so
    ("Xã Tiên Tiến, Hưng Yêm", False),                         # no such province
    ("Quê quán / Place of origin ni", False),                  # label text
    ("Xã Đông Yên, Huyện Quốc Oai, Thành phố Hà Nội", True),   # an old ward and district, as cards printed them
    ("Xã Thăng Bình, Quận Sơn Trà, Thanh Hóa", False),         # Sơn Trà was Đà Nẵng's (tuning seed 985, a thumb)
    ("Xã Thăng Bình, Quận Sơn Trà, Thành phố Đà Nẵng", True),
])
def test_places_are_confirmed_by_the_gazetteer(place, sure):
    fields = ocr({"place_of_residence": place})
    confirm(fields, "can_cuoc")
    assert (fields["place_of_residence"]["confidence"] > UNCONFIRMED) is sure


def test_expiry_rule_around_the_two_year_cut():
    from datetime import date

    born = date(1990, 5, 10)
    assert expiry_allowed(born, date(2010, 1, 1)) == {date(2015, 5, 10)}
    assert expiry_allowed(born, date(2014, 1, 1)) == {date(2030, 5, 10)}  # within two years of 25
    assert expiry_allowed(born, date(2049, 1, 1)) == {None}
    assert expiry_allowed(date(1992, 2, 29), date(2020, 1, 1)) == {date(2032, 2, 28)}


def _unread_expiry(truth: dict) -> dict:
    fields = ocr(truth)
    del fields["date_of_expiry"]
    return fields


def test_an_unread_expiry_is_given_by_the_renewal_rule_trusted_less_and_said():
    # a thumb over the corner under the portrait: the date of expiry is not in the photo
    for seed in range(200):
        truth = expected_fields(random_identity(random.Random(seed), "cccd_barcode"))
        fields = _unread_expiry(truth)
        born, issued = (date.fromisoformat(truth[f]) for f in ("date_of_birth", "date_of_issue"))
        if len(expiry_allowed(born, issued)) > 1:
            assert derive_expiry(fields, "cccd_barcode") == [] and "date_of_expiry" not in fields
            continue
        assert derive_expiry(fields, "cccd_barcode") == [DERIVED_EXPIRY]
        assert fields["date_of_expiry"]["value"] == truth["date_of_expiry"], seed  # None: no expiry after 58
        assert fields["date_of_expiry"]["confidence"] < UNCONFIRMED


def test_the_renewal_rule_never_replaces_an_expiry_read_nor_guesses_without_both_dates():
    truth = barcode_card()
    fields = ocr(truth)
    fields["date_of_expiry"]["value"] = "2099-01-01"
    assert derive_expiry(fields, "cccd_barcode") == [] and fields["date_of_expiry"]["value"] == "2099-01-01"
    for missing in ("date_of_birth", "date_of_issue"):
        fields = _unread_expiry(truth)
        del fields[missing]
        assert derive_expiry(fields, "cccd_barcode") == [] and "date_of_expiry" not in fields
    fields = _unread_expiry(truth)
    fields["date_of_issue"]["value"] = "1900-01-01"  # issued before birth: one of them misread
    assert derive_expiry(fields, "cccd_barcode") == [] and "date_of_expiry" not in fields
    # a CMND has no expiry; a căn cước prints its own in the MRZ, under rules with an age of 14 more
    for doc in ("cmnd", "can_cuoc"):
        fields = _unread_expiry(truth)
        assert derive_expiry(fields, doc) == [] and "date_of_expiry" not in fields
