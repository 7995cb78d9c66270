"""Turn raw strings from QR, MRZ and OCR into canonical field values."""

import re
import unicodedata
from datetime import date

from rapidfuzz import fuzz

_SPACES = re.compile(r"\s+")
_DIGIT_RUNS = re.compile(r"\d+")
# OCR noise that never belongs to a name, address or nationality.
_JUNK = re.compile(r"[^\w\s,./\-]", re.UNICODE)
_LETTERS_ONLY = re.compile(r"[^\w\s]|\d|_", re.UNICODE)
_PUNCT = re.compile(r"[\s,.\-/]+")


def nfc(text: str) -> str:
    """NFC form with whitespace collapsed and trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Strip Vietnamese diacritics (Đ becomes D, which NFD alone does not do)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below (decomposed)
DOT_BELOW = "\u0323"


def tones_apart(text: str) -> tuple[str, str]:
    """The text decomposed with its tone marks set aside, and those marks (sorted): the letters keep their own
    marks (circumflex, breve, horn); `Thủy` and `Thuỷ` (old placement) give one pair."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c not in TONES), "".join(sorted(c for c in decomposed if c in TONES))


def key(text: str, diacritics: bool = True) -> str:
    """Comparison key: NFC, case-folded, whitespace collapsed, optionally without diacritics."""
    text = nfc(text).casefold()
    return text if diacritics else fold(text)


def digits(text: str) -> str:
    """Only the ASCII digits of a string."""
    return "".join(c for c in text if c.isascii() and c.isdigit())


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """Read `DD/MM/YYYY`, `DD-MM-YYYY`, `DDMMYYYY` or `Ngày D tháng M năm YYYY`."""
    runs = _DIGIT_RUNS.findall(fold(text or ""))
    if len(runs) == 1 and len(runs[0]) == 8:
        runs = [runs[0][:2], runs[0][2:4], runs[0][4:]]
    if len(runs) != 3 or len(runs[2]) != 4 or len(runs[0]) > 2 or len(runs[1]) > 2:
        return None
    return _valid_date(int(runs[2]), int(runs[1]), int(runs[0]))


def parse_sex(text: str) -> str | None:
    """`Nam` or `Nữ` from a printed value, a QR value or an MRZ letter."""
    word = key(text or "", diacritics=False).strip(" .:")
    if word in ("nam", "m"):
        return "Nam"
    if word in ("nu", "f"):
        return "Nữ"
    return None


def clean_name(text: str) -> str:
    """A name as printed: NFC, upper case, letters and single spaces only."""
    return nfc(_LETTERS_ONLY.sub(" ", text or "")).upper()


def clean_text(text: str) -> str:
    """Free text (address, nationality) without OCR junk or stray punctuation at the ends."""
    return nfc(_JUNK.sub(" ", text or "")).strip(" ,.-/_")


def fuzzy_contains(needle: str, haystack: str) -> float:
    """How well `needle` appears inside `haystack` (0-100); a shorter haystack cannot contain it."""
    if len(haystack) < len(needle):
        return fuzz.ratio(needle, haystack)
    return fuzz.partial_ratio(needle, haystack)


def same_value(a, b, letters: bool = False) -> bool:
    """Whether two values of a field say the same: text compared case-folded with its punctuation
    and spacing set aside (its diacritics too when `letters`), anything else by equality."""
    if isinstance(a, str) and isinstance(b, str):
        return _PUNCT.sub(" ", key(a, not letters)).strip() == _PUNCT.sub(" ", key(b, not letters)).strip()
    return a == b
