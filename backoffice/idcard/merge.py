"""Merge field candidates (QR over MRZ over OCR) and cross-check the result."""

from datetime import date

from .fields import Candidate
from .idnumber import structure_problems
from .normalise import same_value

PRIORITY = {"qr": 0, "mrz": 1, "ocr": 2}
NAMES = ("full_name",)
MIN_AGE_CCCD = 14
# an OCR value that contradicts a rule another field supports is probably misread
CONTRADICTED = 0.5


def merge(candidates: list[tuple[str, Candidate]]) -> tuple[dict[str, Candidate], list[str]]:
    """The best candidate per field, and a warning for each source that disagrees with it."""
    by_field: dict[str, list[Candidate]] = {}
    for field, candidate in candidates:
        by_field.setdefault(field, []).append(candidate)
    fields, warnings = {}, []
    for field, options in by_field.items():
        options.sort(key=lambda c: (PRIORITY[c.source], -c.confidence))
        winner = options[0]
        for other in options[1:]:
            # a name's marks are OCR's weak spot (DESIGN.md §5): only its letters can tell another name
            if other.source != winner.source and not same_value(other.value, winner.value, field in NAMES):
                warnings.append(f"{field}: {other.source} reads a different value than {winner.source}")
        fields[field] = winner
    return fields, warnings


def _lower(fields: dict[str, Candidate], names: tuple[str, ...]):
    for name in names:
        if name in fields and fields[name].source == "ocr":
            c = fields[name]
            fields[name] = Candidate(c.value, c.source, round(c.confidence * CONTRADICTED, 3))


def cross_check(fields: dict[str, Candidate], doc_type: str, today: date) -> list[str]:
    """Warnings for values that disagree with each other; lowers the confidence of OCR culprits."""
    value = {name: c.value for name, c in fields.items()}
    born, issued, expiry = value.get("date_of_birth"), value.get("date_of_issue"), value.get("date_of_expiry")
    warnings = structure_problems(value.get("id_number", ""), born, value.get("sex"))
    if warnings:
        _lower(fields, ("id_number", "date_of_birth", "sex"))
    if born and expiry and (expiry.month, expiry.day) != (born.month, born.day):
        warnings.append("date_of_expiry: day and month differ from date_of_birth")
        _lower(fields, ("date_of_birth", "date_of_expiry"))
    if issued and issued > today:
        warnings.append("date_of_issue: in the future")
        _lower(fields, ("date_of_issue",))
    if expiry and expiry < today:
        warnings.append("date_of_expiry: the card has expired")
    if born and issued and doc_type != "cmnd" and (issued.year - born.year) < MIN_AGE_CCCD:
        warnings.append("date_of_issue: holder was under 14 at issue")
        _lower(fields, ("date_of_birth", "date_of_issue"))
    return warnings


def as_json(fields: dict[str, Candidate]) -> dict:
    """Fields in the §10 JSON form (dates ISO, no-expiry as null)."""
    out = {}
    for name, c in sorted(fields.items()):
        shown = c.value.isoformat() if isinstance(c.value, date) else c.value
        out[name] = {"value": shown, "source": c.source, "confidence": round(c.confidence, 3)}
    return out
