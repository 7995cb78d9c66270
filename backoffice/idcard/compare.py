"""Compare declared fields with extracted ones: match, match without diacritics, mismatch, missing."""

import re
from datetime import date

from rapidfuzz import fuzz

from .address import province_code, strip_admin
from .normalise import digits, key, parse_date, parse_sex

MATCH, LOOSE, MISMATCH, MISSING = "match", "match_without_diacritics", "mismatch", "missing"
TEXT_FIELDS = ("full_name", "nationality")
ADDRESS_FIELDS = ("place_of_origin", "place_of_residence")
DATE_FIELDS = ("date_of_birth", "date_of_issue", "date_of_expiry")
ADDRESS_SIMILAR = 90


def _text_status(declared: str, extracted: str) -> tuple[str, float]:
    score = fuzz.ratio(key(declared), key(extracted)) / 100
    if key(declared) == key(extracted):
        return MATCH, 1.0
    if key(declared, False) == key(extracted, False):
        return LOOSE, score
    return MISMATCH, score


def _address_status(declared: str, extracted: str) -> tuple[str, float]:
    status, score = _text_status(declared, extracted)
    if status != MISMATCH:
        return status, score
    # old 3-level and current 2-level addresses: same current province, similar lower parts
    province_a, province_b = province_code(declared), province_code(extracted)
    lower_a = " ".join(strip_admin(p) for p in declared.split(",")[:-1])
    lower_b = " ".join(strip_admin(p) for p in extracted.split(",")[:-1])
    score = fuzz.token_set_ratio(lower_a, lower_b) / 100
    if province_a is None or province_a != province_b:
        return MISMATCH, score
    if score * 100 >= ADDRESS_SIMILAR:
        return MATCH, score
    if fuzz.token_set_ratio(key(lower_a, False), key(lower_b, False)) >= ADDRESS_SIMILAR:
        return LOOSE, score
    return MISMATCH, score


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value)
    return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else parse_date(text)


def _status(field: str, declared, extracted) -> tuple[str, float | None]:
    if field in TEXT_FIELDS:
        return _text_status(str(declared), str(extracted))
    if field in ADDRESS_FIELDS:
        return _address_status(str(declared), str(extracted))
    if field in DATE_FIELDS:
        return (MATCH if _as_date(declared) == _as_date(extracted) else MISMATCH), None
    if field == "sex":
        return (MATCH if parse_sex(str(declared)) == parse_sex(str(extracted)) else MISMATCH), None
    return (MATCH if digits(str(declared)) == digits(str(extracted)) else MISMATCH), None


def compare(declared: dict, extracted: dict) -> dict:
    """Per declared field: `{"status", "declared", "extracted", "score"}` (score for text only).

    `extracted` is the result of `extract` (or just its `fields`).
    """
    fields = extracted.get("fields", extracted)
    out = {}
    for field, value in declared.items():
        if value in (None, ""):
            continue
        found = fields.get(field)
        found_value = found["value"] if isinstance(found, dict) else found
        if found is None or found_value is None and field != "date_of_expiry":
            out[field] = {"status": MISSING, "declared": value, "extracted": None, "score": None}
            continue
        status, score = _status(field, value, found_value)
        out[field] = {"status": status, "declared": value, "extracted": found_value, "score": score}
    return out
