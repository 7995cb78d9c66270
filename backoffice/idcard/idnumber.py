"""Structure of the 12-digit personal ID number (DESIGN.md §5) and checks against DOB and sex."""

import re
from datetime import date

from .provinces import OLD_PROVINCES

ID12 = re.compile(r"^[0-9]{12}$")  # ASCII digits: \d also takes fullwidth and Arabic-Indic ones
ID9 = re.compile(r"^[0-9]{9}$")
CENTURY_BASE = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100}


def is_plausible_id12(number: str) -> bool:
    """True when a 12-digit number has a known province code and a valid century/sex digit."""
    if not ID12.match(number or ""):
        return False
    return int(number[:3]) in OLD_PROVINCES and int(number[3]) in CENTURY_BASE


def one_digit_lost(text: str) -> str | None:
    """A 12-digit number one of whose characters was read as no digit (`z51198759107`: glare over its first
    `0`), where one digit alone there makes it plausible: a province code starts with `0`, so a first digit
    is always found, a later one hardly ever (any digit fits most places)."""
    for token in text.split():
        lost = [i for i, c in enumerate(token) if not (c.isascii() and c.isdigit())]
        if len(token) != 12 or len(lost) != 1:
            continue
        fits = [number for number in (token[:lost[0]] + d + token[lost[0] + 1:] for d in "0123456789")
                if is_plausible_id12(number)]
        if len(fits) == 1:
            return fits[0]
    return None


def birth_year(number: str) -> int | None:
    """The birth year encoded in a plausible 12-digit ID, else None."""
    if not is_plausible_id12(number):
        return None
    return CENTURY_BASE[int(number[3])] + int(number[4:6])


def encoded_sex(number: str) -> str | None:
    """`Nam` or `Nữ` as encoded in the century/sex digit of a plausible 12-digit ID."""
    if not is_plausible_id12(number):
        return None
    return "Nam" if int(number[3]) % 2 == 0 else "Nữ"


def make_id12(province: int, born: date, sex: str, serial: int) -> str:
    """Compose a 12-digit ID (used by the generator and tests)."""
    century = (born.year // 100 - 19) * 2 + (0 if sex == "Nam" else 1)
    return f"{province:03d}{century}{born.year % 100:02d}{serial:06d}"


def structure_problems(number: str, born: date | None, sex: str | None) -> list[str]:
    """Why a 12-digit ID disagrees with the date of birth and sex (empty when consistent)."""
    if not ID12.match(number or ""):
        return []
    problems = []
    if int(number[:3]) not in OLD_PROVINCES:
        problems.append(f"id_number: unknown province code {number[:3]}")
    if int(number[3]) not in CENTURY_BASE:
        problems.append(f"id_number: invalid century/sex digit {number[3]}")
        return problems
    if born and birth_year(number) not in (None, born.year):
        problems.append("id_number: birth year digits disagree with date_of_birth")
    if sex and encoded_sex(number) not in (None, sex):
        problems.append("id_number: sex digit disagrees with sex")
    return problems
