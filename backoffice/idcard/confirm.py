"""Confidence >= 0.9 only for OCR values that something confirms (issue 19: no confident wrong value).

Tesseract and the looks' votes can agree on a misread: every look reads the same crop. So an OCR'd
value keeps a high confidence only when the field's grammar or another field confirms it;
otherwise its confidence is capped at `UNCONFIRMED` (below the 0.9 that callers treat as sure):

- a 12-digit ID number: the date of birth and the sex are read and agree with its century/sex and
  year digits (DESIGN.md §5); a 9-digit CMND number has no such check and is not capped;
- dates of birth, issue and expiry: in that order, and on a CCCD or căn cước the expiry is the
  birthday at 25, 40 or 60, the first of them not within two years of the issue (the law's rule; a
  card issued after 58 has none);
- a name: every syllable a known one (names.py), the first a surname;
- a place: its province known, every ward-level part (`Xã`, `Phường`, `Thị trấn`) a known name, every
  district-level part (`Huyện`, `Quận`, `Thị xã`, `Thành phố`) a district that province had.

It works on the §10 JSON (ISO dates), so a stored result can be judged again the same way.

A CCCD's expiry that could not be read at all (under a thumb, washed out) is given by the same rule
from the dates of birth and issue read on the card, trusted less than either and said in a warning
(`derive_expiry`); it never replaces a value read.
"""

from datetime import date

from .address import known_province
from .gazetteer import DISTRICT_TYPES, known_district, known_ward, split_type
from .idnumber import ID12, structure_problems
from .names import GIVEN_SYLLABLES, SURNAMES
from .normalise import nfc

UNCONFIRMED = 0.85
DERIVED = 0.6  # of the weaker of the two dates an expiry is derived from
DERIVED_EXPIRY = "date_of_expiry: not read, given by the renewal rule from the dates of birth and issue"
_RULE_DOCS = ("cccd_chip", "cccd_barcode")  # the 2014 law's ages; the căn cước adds 14 and prints an MRZ
MILESTONES = (25, 40, 60)
RENEW_BEFORE_YEARS = 2
_WARD_TYPES = ("Xã", "Phường", "Thị trấn")


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _birthday(born: date, age: int) -> date:
    day = 28 if (born.month, born.day) == (2, 29) else born.day
    return date(born.year + age, born.month, day)


def expiry_allowed(born: date, issued: date) -> set[date | None]:
    """The expiry dates the law allows a CCCD issued on `issued` (None: no expiry); a day's slack at the edge."""
    for age in MILESTONES:
        cut = _birthday(born, age - RENEW_BEFORE_YEARS)
        if issued <= cut:
            # issued near the cut-off (a day either way): either milestone may be printed
            nxt = MILESTONES.index(age) + 1
            after = _birthday(born, MILESTONES[nxt]) if nxt < len(MILESTONES) else None
            return {_birthday(born, age), after} if (cut - issued).days <= 1 else {_birthday(born, age)}
    return {None}


def _name_ok(name: str) -> bool:
    words = [nfc(w).capitalize() for w in name.split()]
    return len(words) >= 2 and words[0] in SURNAMES and all(w in SURNAMES or w in GIVEN_SYLLABLES for w in words)


def _place_ok(place: str) -> bool:
    parts = [p.strip() for p in place.split(",") if p.strip()]
    if len(parts) < 2 or not known_province(parts[-1]):
        return False
    kinds = [split_type(part) for part in parts[:-1]]
    return (all(known_ward(name) for kind, name in kinds if kind in _WARD_TYPES)
            and all(known_district(name, parts[-1]) for kind, name in kinds if kind in DISTRICT_TYPES))


def _dates_ok(fields: dict, doc_type: str) -> dict[str, bool]:
    """Per date field: does the order of the dates, and the expiry rule, hold?"""
    born = _date(fields.get("date_of_birth", {}).get("value"))
    issued = _date(fields.get("date_of_issue", {}).get("value"))
    expiry_field = fields.get("date_of_expiry")
    ok = {}
    if born and issued:
        ok["date_of_birth"] = ok["date_of_issue"] = born < issued
    if expiry_field and doc_type != "cmnd":
        expiry = _date(expiry_field["value"])
        if born and issued and born < issued:
            ok["date_of_expiry"] = expiry in expiry_allowed(born, issued)
            if not ok["date_of_expiry"]:
                ok["date_of_birth"] = ok["date_of_issue"] = False  # which one was misread is unknown
        else:
            ok["date_of_expiry"] = False
    return ok


def confirm(fields: dict, doc_type: str) -> list[str]:
    """Cap the confidence of OCR values nothing confirms (in place, §10 JSON fields); warnings for them."""
    checks: dict[str, bool] = {}
    number = fields.get("id_number", {}).get("value") or ""
    if ID12.match(number):
        born = _date(fields.get("date_of_birth", {}).get("value"))
        sex = fields.get("sex", {}).get("value")
        checks["id_number"] = bool(born and sex) and not structure_problems(number, born, sex)
    checks.update(_dates_ok(fields, doc_type))
    for name in ("date_of_birth", "date_of_issue", "date_of_expiry"):
        if name in fields and name not in checks and doc_type != "cmnd":
            checks[name] = False  # nothing to check it against
    if fields.get("full_name", {}).get("value"):
        checks["full_name"] = _name_ok(fields["full_name"]["value"])
    for name in ("place_of_origin", "place_of_residence"):
        if fields.get(name, {}).get("value"):
            checks[name] = _place_ok(fields[name]["value"])
    warnings = []
    for name, ok in checks.items():
        field = fields.get(name)
        if not ok and field and field["source"] == "ocr" and field["confidence"] > UNCONFIRMED:
            field["confidence"] = UNCONFIRMED
            warnings.append(f"{name}: not confirmed by its form or the other fields")
    return warnings


def derive_expiry(fields: dict, doc_type: str) -> list[str]:
    """A CCCD's unread expiry from the law's rule (in place, §10 JSON fields): only when both dates
    were read, are in order, and the rule gives one date; a warning says it was not read."""
    if doc_type not in _RULE_DOCS or "date_of_expiry" in fields:
        return []
    dates = [fields.get(name) for name in ("date_of_birth", "date_of_issue")]
    if not all(dates):
        return []
    born, issued = (_date(d["value"]) for d in dates)
    allowed = expiry_allowed(born, issued) if born and issued and born < issued else set()
    if len(allowed) != 1:
        return []
    (expiry,) = allowed
    fields["date_of_expiry"] = {"value": expiry.isoformat() if expiry else None, "source": "ocr",
                                "confidence": round(DERIVED * min(d["confidence"] for d in dates), 3)}
    return [DERIVED_EXPIRY]
