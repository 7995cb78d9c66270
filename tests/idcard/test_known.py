"""Fields the QR or the MRZ gave are read in print once, and fully only when the print disagrees."""

import dataclasses
from datetime import date

import pytest

from backoffice.idcard import extract, fields, ocr, pipeline
from backoffice.idcard.normalise import fold
from backoffice.idcard.synth import expected_fields
from bench import idcard_heldout as heldout


@pytest.fixture(scope="module")
def chip():
    return heldout.make_heldout("cccd_chip", "placed", 7)


def _front(card) -> tuple:
    view = pipeline.analyse(pipeline._load(card.front))
    return view, pipeline.value_boxes(view, "cccd_chip", "front")


def _counting(monkeypatch) -> list:
    calls = []
    reading = ocr.read
    monkeypatch.setattr(fields.ocr, "read", lambda *args: calls.append(args) or reading(*args))
    return calls


def test_a_field_the_qr_gave_is_read_in_one_look_when_the_print_agrees(chip, monkeypatch):
    view, boxes = _front(chip)
    truth = expected_fields(chip.identity)
    known = {name: truth[name] for name in ("id_number", "full_name", "sex")}
    known["date_of_birth"] = date.fromisoformat(truth["date_of_birth"])
    calls = _counting(monkeypatch)
    voted = fields.read_fields(view.gray, "cccd_chip", boxes)
    everything = len(calls)
    calls.clear()
    settled = fields.read_fields(view.gray, "cccd_chip", boxes, known)
    assert {name: c.value for name, c in settled.items() if name != "full_name"} == {
        name: c.value for name, c in voted.items() if name != "full_name"}
    assert fold(settled["full_name"].value) == fold(voted["full_name"].value) == fold(known["full_name"])
    assert {name: settled[name].value for name in known if name != "full_name"} == {
        name: value for name, value in known.items() if name != "full_name"}
    per_look = sum(box.field in known for box in boxes)
    assert len(calls) == everything - per_look * (len(fields.LOOKS) - 1)


def test_a_field_whose_print_disagrees_with_the_known_value_is_read_in_every_look(chip, monkeypatch):
    view, boxes = _front(chip)
    truth = expected_fields(chip.identity)
    calls = _counting(monkeypatch)
    fields.read_fields(view.gray, "cccd_chip", boxes)
    everything = len(calls)
    calls.clear()
    read = fields.read_fields(view.gray, "cccd_chip", boxes, {"full_name": "NGUYỄN VĂN KHÁC"})
    assert read["full_name"].value == truth["full_name"]  # the print, voted as without a known value
    names = sum(box.field == "full_name" for box in boxes)
    assert len(calls) == everything + names  # the first look once more, then every look


def test_a_printed_name_unlike_the_qrs_is_still_warned_of(monkeypatch):
    """A card whose QR says one name and whose print another (a pasted print, a wrong card)."""
    printed_payload = heldout._payload
    monkeypatch.setattr(heldout, "_payload",
                        lambda ident: printed_payload(dataclasses.replace(ident, full_name="PHẠM THỊ KHÁC")))
    card = heldout.make_heldout("cccd_chip", "placed", 7)
    result = extract(card.front, card.back)
    assert result["fields"]["full_name"]["value"].casefold() == "phạm thị khác"
    assert result["fields"]["full_name"]["source"] == "qr"
    assert "full_name: ocr reads a different value than qr" in result["warnings"]
    assert not any(w.startswith(("id_number:", "date_of_birth:")) for w in result["warnings"])


def test_a_name_read_with_other_marks_than_the_qrs_is_not_a_disagreement():
    from backoffice.idcard.fields import Candidate
    from backoffice.idcard.merge import merge

    def warned(printed: str, field: str = "full_name") -> list:
        return merge([(field, Candidate("NGUYỄN KIM HẰNG", "qr", 0.99)), (field, Candidate(printed, "ocr", 0.8))])[1]

    assert warned("NGUYÊN KIM HĂNG") == []  # the fast model's uppercase marks
    assert warned("NGUYỄN KIM HẰNG") == []
    assert warned("NGUYỄN KIM HOÀNG") == ["full_name: ocr reads a different value than qr"]
    assert warned("NGUYÊN KIM HĂNG", "place_of_origin") == [
        "place_of_origin: ocr reads a different value than qr"]  # marks count outside names


def test_a_look_that_read_an_address_line_as_nothing_does_not_outvote_the_whole_address(monkeypatch):
    """Two looks of three read a tight first line as nothing: their `second line alone` is no value."""
    boxes = tuple(fields.Box("place_of_residence", 0, y, 40, y + 10, "text") for y in (0, 10))
    first, second = "Số 16 Lê Lợi, Xã Trường Thành, Quận Ninh Kiều, Thành", "phố Cần Thơ"
    readings = iter([[first, second], ["", second], ["", second]])

    def read_boxes(card_gray, boxes, look, crops=None):
        return {"place_of_residence": [ocr.Reading(text, 0.9, 0.8) for text in next(readings)]}

    monkeypatch.setattr(fields, "_read_boxes", read_boxes)
    read = fields._voted(None, "cccd_barcode", boxes, {})
    assert read["place_of_residence"].value == f"{first} {second}"
