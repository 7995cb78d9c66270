"""TD1 machine-readable zone of Vietnamese ID cards: build, check and parse with correction.

Line 1: `IDVNM` + last 9 digits of the ID + check + the 12-digit ID + `<<` + check.
Line 2: birth YYMMDD + check, sex, expiry YYMMDD + check (`991231`: none), `VNM`, filler, composite.
Line 3: `SURNAME<<GIVEN<NAMES` in ASCII.

OCR misreads are corrected only by searching candidates that satisfy every check digit and the
Vietnamese rules together; a reading that cannot be made consistent yields nothing.
"""

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from .confirm import MILESTONES
from .idnumber import CENTURY_BASE, encoded_sex, is_plausible_id12
from .normalise import fold

NO_EXPIRY = "991231"
WIDTH = 30
_LONG = 20  # characters from which a line read is an MRZ line whole (a shorter one is noise or the name's)
# Letters Tesseract returns for digits in OCR-B, and digits it confuses with each other.
_LETTER_TO_DIGIT = str.maketrans("ODQIJLZASGBT", "000111245687")
_DIGIT_ALTERNATIVES = {
    "0": "86", "1": "74", "2": "7", "3": "895", "4": "1", "5": "63",
    "6": "58", "7": "12", "8": "3690", "9": "83",
}
_SEX_LETTERS = {"M": "Nam", "H": "Nam", "N": "Nam", "F": "Nữ", "E": "Nữ", "P": "Nữ", "<": None}
_MAX_CORRECTIONS = 3
_FOREIGN_COMPOSITE = 2  # the cost of a composite digit read as a digit it is not confused with
# the ages a card expires at: 25, 40 and 60 (a CCCD), and 14 (a thẻ căn cước issued to a child)
_EXPIRY_AGES = (14, *MILESTONES)


def char_value(char: str) -> int:
    """ICAO 9303 value of an MRZ character."""
    if char.isdigit():
        return int(char)
    if char == "<":
        return 0
    return ord(char) - ord("A") + 10


def check_digit(text: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1)."""
    return str(sum(char_value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def mrz_name(full_name: str) -> str:
    """`SURNAME<<GIVEN<NAMES` in ASCII for a Vietnamese name (surname is the first word)."""
    words = re.sub(r"[^A-Z ]", "", fold(full_name).upper()).split()
    return (words[0] + "<<" + "<".join(words[1:]))[:WIDTH] if words else ""


def build_td1(id_number: str, born: date, sex: str, expiry: date | None, full_name: str) -> list[str]:
    """The three MRZ lines printed on a chip card (used by the synthetic generator)."""
    tail = id_number[3:]
    line1 = f"IDVNM{tail}{check_digit(tail)}{id_number}<<{check_digit(id_number)}"
    birth = _yymmdd(born)
    end = _yymmdd(expiry) if expiry else NO_EXPIRY
    head = f"{birth}{check_digit(birth)}{'M' if sex == 'Nam' else 'F'}{end}{check_digit(end)}VNM"
    head = head.ljust(WIDTH - 1, "<")
    composite = check_digit(line1[5:] + head[0:7] + head[8:15] + head[18:29])
    return [line1, head + composite, mrz_name(full_name).ljust(WIDTH, "<")]


@dataclass(frozen=True)
class MrzResult:
    """Fields accepted from an MRZ, with the number of characters that had to be corrected."""

    id_number: str
    date_of_birth: date
    sex: str | None
    date_of_expiry: date | None
    name: str
    corrections: int
    # the characters of lines 1 and 2 as read that the checks cover, and the dates as solved (YYMMDD)
    read: str = field(repr=False)
    solved: tuple[str, str] = field(repr=False)

    def misreads(self, id_number: str) -> int:
        """How many characters of the MRZ as read differ from what it would print for this number (its
        dates as solved): how well the MRZ supports a number read elsewhere (the front's print), to
        set against the corrections its repair made for its own."""
        return sum(a != b for a, b in zip(_covered(id_number, *self.solved), self.read))


def _clean(line: str) -> str:
    line = line.upper().replace(" ", "").replace("«", "<<").replace("‹", "<")
    return re.sub(r"[^A-Z0-9<]", "", line)


def _digitish(text: str) -> str:
    return text.translate(_LETTER_TO_DIGIT)


def _variants(reading: str, limit: int) -> list[tuple[str, int]]:
    """The reading and every variant with up to `limit` confusable digits changed, with cost."""
    out = [(reading, 0)]
    for count in range(1, limit + 1):
        for positions in itertools.combinations(range(len(reading)), count):
            options = [_DIGIT_ALTERNATIVES.get(reading[p], "") for p in positions]
            for chars in itertools.product(*options):
                chars_list = list(reading)
                for p, c in zip(positions, chars):
                    chars_list[p] = c
                out.append(("".join(chars_list), count))
    return out


def _checked(field: str, check: str, limit: int) -> list[tuple[str, int]]:
    """Variants of a field (and its check digit) whose check digit holds."""
    if not field.isdigit() or not check.isdigit():
        return []
    checks = dict(_variants(check, 1))
    found = []
    for value, cost in _variants(field, limit):
        digit = check_digit(value)
        if digit in checks:
            found.append((value, cost + checks[digit]))
    return found


def _date(yymmdd: str, century: int) -> date | None:
    try:
        return date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return None


def _split_line1(line: str) -> tuple[str, str, str, str] | None:
    body = _digitish(line[5:])
    digit_run = re.match(r"(\d{22})", body)
    if not digit_run or len(body) < 23:
        return None
    run = digit_run.group(1)
    return run[:9], run[9], run[10:], body[-1]


def _split_line2(line: str) -> tuple[str, str, str, str, str, str] | None:
    anchor = line.find("VNM", 12)
    head = line[:anchor] if anchor == 15 else line[:15]
    if len(head) < 15 or len(line) < 20:
        return None
    digit_head = _digitish(head[:7]) + head[7] + _digitish(head[8:15])
    return digit_head[:6], digit_head[6], digit_head[7], digit_head[8:14], digit_head[14], line[-1]


def parse_name_line(line: str) -> str:
    """The ASCII name of line 3; a `K` that cannot start a Vietnamese syllable is read as filler."""
    chars = list(line)
    for i, c in enumerate(chars):
        following = chars[i + 1] if i + 1 < len(chars) else "<"
        # Vietnamese syllables never end in K: a K before a non-vowel other than H is filler.
        if c == "K" and following not in "AEIOUYH":
            chars[i] = "<"
    parts = [p for p in "".join(chars).split("<") if p]
    return " ".join(parts)


def _id_candidates(doc9: str, check9: str, id12: str, check12: str) -> list[tuple[str, int]]:
    found = []
    for value, cost in _checked(id12, check12, 2):
        if not is_plausible_id12(value) or check_digit(value[3:]) not in dict(_variants(check9, 1)):
            continue
        # the 9-digit copy must agree with the 12-digit one up to confusable characters
        diffs = [(a, b) for a, b in zip(doc9, value[3:]) if a != b]
        if all(b in _DIGIT_ALTERNATIVES.get(a, "") for a, b in diffs):
            found.append((value, cost + len(diffs) + (check_digit(value[3:]) != check9)))
    return found


def _birthday(expiry: str, born: str) -> bool:
    """Whether an expiry (YYMMDD) falls on the birthday. For 29 February, 28 February or 1 March are
    taken too, leap year or not (cards are seen with 28 February in a leap year): without this, the
    check-digit search "corrected" a 29 February birth to the 28th to fit the expiry."""
    return expiry[2:] == born[2:] or (born[2:] == "0229" and expiry[2:] in ("0228", "0301"))


def _covered(id_value: str, dob_value: str, exp_value: str) -> str:
    """The check-covered characters the MRZ prints for these values: the document number and its
    check digit, the number and its check digit, the two dates with theirs, and the composite."""
    line1 = f"{id_value[3:]}{check_digit(id_value[3:])}{id_value}<<{check_digit(id_value)}"
    # the optional data of line 2 is filler, whose value 0 adds nothing
    dates = dob_value + check_digit(dob_value) + exp_value + check_digit(exp_value)
    return line1 + dates + check_digit(line1 + dates)


def _solutions(l1, l2) -> list[tuple[int, str, str, str, str]]:
    doc9, check9, id12, check12 = l1
    dob, dob_check, _sex, expiry, expiry_check, composite = l2
    solutions = []
    expiries = _checked(expiry, expiry_check, 2)
    for id_value, id_cost in _id_candidates(doc9, check9, id12, check12):
        century = CENTURY_BASE[int(id_value[3])]
        for dob_value, dob_cost in _checked(dob, dob_check, 2):
            if dob_value[:2] != id_value[4:6] or not _date(dob_value, century):
                continue
            for exp_value, exp_cost in expiries:
                if exp_value != NO_EXPIRY and (not _birthday(exp_value, dob_value) or not _date(exp_value, 2000)):
                    continue
                if exp_cost and exp_value != NO_EXPIRY and (
                        2000 + int(exp_value[:2]) - century - int(dob_value[:2]) not in _EXPIRY_AGES):
                    continue  # a corrected expiry is a birthday the law ends cards on, not any birthday
                if not composite.isdigit():
                    # a letter read where the composite digit is (`0` read `G`) may stand for any digit:
                    # nothing then guards a correction, and a reading needing none is not ruled out by it
                    # (`G` taken as `6` ruled the right reading out and let a corrected one through:
                    # an expiry 2034 made 2054)
                    if id_cost + dob_cost + exp_cost == 0:
                        solutions.append((1, id_value, dob_value, exp_value, century))
                    continue
                expected = _covered(id_value, dob_value, exp_value)[-1]
                comp_cost = 0 if expected == composite else 1
                if comp_cost and expected not in _DIGIT_ALTERNATIVES.get(composite, ""):
                    # a composite digit misread as one it is not confused with (`0` read `9`) guards
                    # nothing: a reading is taken as read, every other check holding, at a cost of two
                    # (excluded, it ruled out such a reading and a three-correction "repair" of the
                    # number passed instead: `070…` made `010…`, tuning seed 134)
                    if id_cost + dob_cost + exp_cost == 0:
                        solutions.append((_FOREIGN_COMPOSITE, id_value, dob_value, exp_value, century))
                    continue
                cost = id_cost + dob_cost + exp_cost + comp_cost
                solutions.append((cost, id_value, dob_value, exp_value, century))
    return sorted(solutions)


def parse_td1(lines: list[str]) -> MrzResult | None:
    """Parse three OCR'd MRZ lines; None unless one reading satisfies every check and rule.

    Lines 1 and 2 hold every value and every check digit; line 3 holds only the name. Read short
    (a bold face's runs of `<` read as fewer: `VO<<NGOC<HA<<<<<<<<`) or not at all, it costs the
    name alone: the name is then what it shows before a filler, or nothing when it ends mid-name."""
    cleaned = [_clean(line) for line in lines]
    long = [i for i, line in enumerate(cleaned) if len(line) >= _LONG]
    if len(long) >= 3:
        cleaned = [cleaned[i] for i in long[-3:]]
    elif len(long) == 2:
        after = cleaned[long[1] + 1] if long[1] + 1 < len(cleaned) else ""
        cleaned = [cleaned[long[0]], cleaned[long[1]], after if after.endswith("<") else ""]
    else:
        return None
    l1, l2 = _split_line1(cleaned[0]), _split_line2(cleaned[1])
    if not l1 or not l2:
        return None
    solutions = _solutions(l1, l2)
    # a character dropped or doubled in line 1 (`<<3` read as `<0`) is no misread the repair models
    # (it only swaps confusable characters) and can let a wrong number pass the checks: such a line
    # is taken only as read, every check holding without a correction
    most = _MAX_CORRECTIONS if len(cleaned[0]) == WIDTH else 0
    if not solutions or solutions[0][0] > most:
        return None
    best = solutions[0]
    rivals = {s[1:4] for s in solutions if s[0] == best[0]}
    if len(rivals) > 1:
        return None
    cost, id_value, dob_value, exp_value, century = best
    # the century digit of the ID, protected by two check digits, is the stronger evidence
    letter = _SEX_LETTERS.get(l2[2])
    sex = encoded_sex(id_value) if letter in (None, encoded_sex(id_value)) else None
    return MrzResult(
        id_number=id_value,
        date_of_birth=_date(dob_value, century),
        sex=sex,
        date_of_expiry=None if exp_value == NO_EXPIRY else _date(exp_value, 2000),
        name=parse_name_line(cleaned[2]),
        corrections=cost,
        read="".join(l1[:3]) + "<<" + l1[3] + l2[0] + l2[1] + l2[3] + l2[4] + l2[5],
        solved=(dob_value, exp_value),
    )
