"""Read the printed fields of a rectified card side with Tesseract and normalise them."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from . import ocr
from .address import plausible, tidy
from .gazetteer import repair
from .idnumber import ID9, ID12, is_plausible_id12
from .layout import LAYOUTS, Box
from .looks import LOOKS, vote
from .normalise import clean_name, clean_text, digits, fold, fuzzy_contains, key, parse_date, parse_sex

NATIONALITY = "Việt Nam"
_ENGINE = {"digits": "digits", "date": "date"}
_PAD = 4
ADDRESS_FIELDS = ("place_of_origin", "place_of_residence")
_DISAGREE = 0.6  # calibrated on the benchmark: per look that disagrees, and for an implausible address


@dataclass(frozen=True)
class Candidate:
    """A value read from one source, with the evidence behind its confidence."""

    value: object
    source: str
    confidence: float


def _crop(gray: np.ndarray, box: Box) -> np.ndarray:
    # no vertical margin: the label line above would leak into the crop
    return gray[box.y0:box.y1, max(0, box.x0 - _PAD):box.x1 + _PAD]


def _sex(text: str):
    value = parse_sex(text)
    if value is None:
        word = fold(text).lower()
        value = "Nam" if "am" in word else "Nữ" if word.startswith("n") and "u" in word else None
    return value


def _nationality(text: str):
    return NATIONALITY if fuzz.ratio(key(text, False), "viet nam") >= 75 else clean_text(text) or None


def _id(text: str, doc_type: str):
    number = digits(text)
    if doc_type == "cmnd":
        return number if ID9.match(number) else None
    return number if ID12.match(number) and is_plausible_id12(number) else None


def _no_expiry(card_gray: np.ndarray, doc_type: str, side: str) -> bool:
    """True when the expiry box says "Không thời hạn" (no expiry), read again as words."""
    box = next(b for b in LAYOUTS[(doc_type, side)] if b.field == "date_of_expiry")
    return fuzzy_contains("khong thoi han", key(ocr.read(_crop(card_gray, box), "line").text, False)) >= 80


def _normalise(field: str, kind: str, text: str, doc_type: str):
    if field == "id_number":
        return _id(text, doc_type)
    if kind in ("date", "dateline"):
        return parse_date(text)
    if kind == "sex":
        return _sex(text)
    if field == "nationality":
        return _nationality(text)
    if kind == "name":
        return clean_name(text) or None
    if field in ADDRESS_FIELDS:
        return repair(tidy(clean_text(text))) or None
    return clean_text(text) or None


def _read_boxes(card_gray: np.ndarray, boxes: tuple[Box, ...],
                look: Callable[[np.ndarray], np.ndarray]) -> dict[str, list[ocr.Reading]]:
    readings: dict[str, list[ocr.Reading]] = {}
    for box in boxes:
        readings.setdefault(box.field, []).append(ocr.read(look(_crop(card_gray, box)), _ENGINE.get(box.kind, "line")))
    return readings


def _joined(readings: list[ocr.Reading]) -> str:
    return " ".join(r.text for r in readings if r.text)


def read_fields(card_gray: np.ndarray, doc_type: str, side: str) -> dict[str, Candidate]:
    """OCR candidates for every field printed on this side of this document type.

    Each box is read in every look of `looks.LOOKS` and the values vote: Tesseract's own
    confidence stays high on misreads, while looks that disagree reliably flag a doubtful value.
    """
    boxes = LAYOUTS.get((doc_type, side), ())
    kinds = {box.field: box.kind for box in boxes}
    looks = [_read_boxes(card_gray, boxes, look) for look in LOOKS]
    found = {}
    for field, kind in kinds.items():
        values = [_normalise(field, kind, _joined(look[field]), doc_type) for look in looks]
        value, votes = vote(values)
        if value is None and not (field == "date_of_expiry" and _no_expiry(card_gray, doc_type, side)):
            continue
        readings = looks[values.index(value)][field]
        low = min(r.low for r in readings)
        mean = sum(r.mean for r in readings) / len(readings)
        confidence = (0.5 * mean + 0.5 * low) * _DISAGREE ** (len(LOOKS) - votes)
        if field in ADDRESS_FIELDS and not plausible(value):
            confidence *= _DISAGREE
        found[field] = Candidate(value, "ocr", round(confidence, 3))
    return found
