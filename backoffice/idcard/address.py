"""Vietnamese addresses: administrative names, old and current provinces, plausibility."""

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from vietnam_provinces import Province

from . import streets
from .normalise import key
from .provinces import OLD_PROVINCES

_ADMIN_WORDS = re.compile(
    r"^(thanh pho|tp\.?|tinh|quan|huyen|thi xa|thi tran|phuong|xa|dac khu)\s+", re.IGNORECASE)
_PUNCT = re.compile(r"[\s.\-]+")
# words that open a part of an address above the province (exact, with diacritics)
_STRAY = re.compile(r"\s(?:\d+|[^\w\s\u2013-]+)\s+[^\W\d_]")
# (not after a type word: `Phường Phường Đúc` of Huế, `Thị Xã` read with a capital)
_LOST_COMMA = re.compile(r"(?<=[^\s,])(?<!Thị)(?<!phố)(?<!xã)(?<!trấn)(?<!Huyện)(?<!Quận)(?<!Tỉnh)(?<!Phường)(?<!Xã)"
                         r"\s+(?=(Thành phố|Thị xã|Thị trấn|Huyện|Quận|Tỉnh|Phường|Xã) (\w))")
_PART_START = re.compile(r"(?:^|(?<=,))(\s*)([^\s,]+)")
_CITY_MISREAD = re.compile(r"\bThành ([^\W\d_A-ZĐ][^\W\d_]{1,3})(?=[\s,]|$)")
# a house number's letter after its digits (`Số 12A`) is a plain capital: one with a mark (`Số 9Ũ`) is a digit misread
_MARKED_HOUSE = re.compile(r"^Số \d+[^\W\d]*[^\W\dA-Za-z_]")
# a group or hamlet numbered and then a street (`Tổ 106 Hai Bà Trưng`) is a house number's `Số` misread: a group's
# part ends at its number (`Tổ 7, Phường ...`)
NUMBERED_OPENERS = ("Tổ", "Xóm", "Đội", "Ấp", "Thôn", "Khu", "Bản", "Phường")  # `Tổ 7`, `Phường 3`
_GROUP_STREET = re.compile(rf"^(?:{'|'.join(NUMBERED_OPENERS)}) \d+\w* (.+)$")
_HOUSE_FUSED = re.compile(r"^S[^\W\d_]?(?=\d)")  # `S184`, `Sô184`: `Số 184`, its mark and space lost
_PROVINCE_MATCH = 85  # fuzzy ratio from which a line's last words are a province's name
_TYPE_MATCH = 80  # and from which the words before it are its type word (`Tính` for `Tỉnh`)
# type words as printed, longest first so that `Thị xã` wins over `Xã`
TYPE_WORDS = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")
# a two-word type word read as one (`Thịxã`, `Thànhphố`), folded -> as printed
_FUSED_TYPES = {key(t, False).replace(" ", ""): t for t in TYPE_WORDS if " " in t}
PART_OPENERS = ("Số", "Thôn", "Xóm", "Ấp", "Tổ", "Khu", "Xã", "Phường", "Thị", "Huyện", "Quận", "Thành",
                "Tỉnh", "Bản", "Làng", "Đặc", "Ngõ", "Ngách", "Đường", "Phố", "Khối", "Tiểu", "Buôn", "Đội")


def strip_admin(part: str) -> str:
    """An administrative name without its type word (`Tỉnh Nam Định` -> `nam định`)."""
    folded = key(part, False)
    match = _ADMIN_WORDS.match(folded)
    return _PUNCT.sub(" ", key(part)[match.end():] if match else key(part)).strip()


@lru_cache(maxsize=1)
def _current_provinces() -> dict[str, int]:
    """Folded province name -> current code, for the old 63 and the current 34 names."""
    names = {key(strip_admin(p.name), False): p.code.value for p in Province.iter_all()}
    for name, current in OLD_PROVINCES.values():
        names[key(strip_admin(name), False)] = current
    return names


def province_code(address: str) -> int | None:
    """The current (post-2025) province code of the last part of an address, if it is known."""
    parts = [p for p in address.split(",") if p.strip()]
    return _current_provinces().get(key(strip_admin(parts[-1]), False)) if parts else None


@lru_cache(maxsize=1)
def _old_provinces() -> dict[str, int]:
    """Folded name of one of the 63 provinces before July 2025 -> its code then; a province the 2025
    reform left whole is also known by its current name (`Thành phố Huế`, once `Thừa Thiên Huế`)."""
    names = {key(strip_admin(name), False): code for code, (name, _) in OLD_PROVINCES.items()}
    merged_into = Counter(current for _, current in OLD_PROVINCES.values())
    for province in Province.iter_all():
        if merged_into[province.code.value] == 1 and province.code.value in OLD_PROVINCES:
            names.setdefault(key(strip_admin(province.name), False), province.code.value)
    return names


def old_province_code(address: str) -> int | None:
    """The old (63-province) code of the last part of an address, if it names one of those provinces."""
    parts = [p for p in address.split(",") if p.strip()]
    return _old_provinces().get(key(strip_admin(parts[-1]), False)) if parts else None


@lru_cache(maxsize=1)
def _spelled_provinces() -> frozenset[str]:
    """Province names as spelled, diacritics included, old and current."""
    names = [p.name for p in Province.iter_all()] + [name for name, _ in OLD_PROVINCES.values()]
    return frozenset(strip_admin(name) for name in names)


def tidy(address: str) -> str:
    """Repair OCR punctuation: `.` for `,` before a capital, a missing space after a comma or a number,
    a two-word type word read as one (`Thịxã`), the house number's `Số` fused to its number (`S184`), an
    `l` read as a capital `I`."""
    address = _HOUSE_FUSED.sub("Số ", address.strip())
    # a capital `I` after a small letter is an `l` (`Ea PăI` for `Ea Păl`): no word is capitalised inside
    address = "".join("l" if c == "I" and i and address[i - 1].islower() else c for i, c in enumerate(address))
    # `Thành shố`: a word in lower case after `Thành` is no name's (names are capitalised) but `phố` misread
    address = _CITY_MISREAD.sub(lambda m: "Thành phố" if Levenshtein.distance(key(m.group(1), False), "pho") <= 1
                                else m.group(), address)
    address = _PART_START.sub(lambda m: m.group(1) + _FUSED_TYPES.get(key(m.group(2), False), m.group(2)), address)
    address = re.sub(r"\s+\.(?=\w)", " ", address)
    address = re.sub(r"(?<=\d)(?=[^\W\d_][^\W\d_])", " ", address)  # `Số 8Lê` (a house `12A` stays)
    address = re.sub(r"\.\s+(?=[^\W\d_])", lambda m: ", " if address[m.end()].isupper() else m.group(), address)
    # a comma lost before a part: its type word and a capital in the middle of the previous part
    # (`Xã Tri Tôn Thành phố Long Xuyên`; `Tỉnh lộ 10` is a road)
    address = _LOST_COMMA.sub(lambda m: ", " if m.group(2)[:1].isupper() else m.group(), address)
    return re.sub(r"\s*,\s*", ", ", address)


def plausible(address: str) -> bool:
    """True when every part opens with an administrative word and the last names a province."""
    parts = [p.strip() for p in address.split(",")]
    if len(parts) < 2 or strip_admin(parts[-1]) not in _spelled_provinces():
        return False
    if not all(p.split(" ")[0] in PART_OPENERS for p in parts[:-1] if p) or _MARKED_HOUSE.match(parts[0]):
        return False
    group_street = _GROUP_STREET.match(parts[0])
    if group_street and key(group_street.group(1), False) in streets.by_folded():
        return False
    # a number, a lone letter or a mark inside an administrative name (`Huyện Phong 7 Điền`) is a speck
    # read into it; numbers end names (`Phường 3`), and the first part may hold a house number
    if any(_STRAY.search(p) for p in parts[1:]):
        return False
    # every word of an administrative name is capitalised (`Quận Ngô Quyền`): a word in lower case
    # after its type word is a name cut short (`Quận ô Quyền`: a letter lost to glare)
    return all(_capitalised(p) for p in parts[1:])


def _capitalised(part: str) -> bool:
    """Whether the words of an administrative name after its type word open with a capital (or no letter)."""
    match = _ADMIN_WORDS.match(key(part, False))
    words = part.split()[len(match.group().split()) if match else 0:]
    return all(not w[0].isalpha() or w[0].isupper() for w in words)


def ends_in_province(text: str) -> bool:
    """Whether read text ends with a province named with its type word (`Tỉnh Đắk Lắk`, `Thành phố Cần
    Thơ`), a letter or two misread (`Tính Đák Lắk`): an address line that ends there is a whole
    address; so does one whose last part is a province's name alone (`Xã Gia Tường, Ninh Bình`). A
    city that shares its province's name (`Thành phố Thái Bình`) is no province. Two words read as
    one (`QuậnNinh` of `Quận Ninh Kiều`, not `Quảng Ninh`) are two: each word of an address is capitalised."""
    text = "".join(" " + c if i and c.isupper() and text[i - 1].islower() else c for i, c in enumerate(text))
    parts = [p.strip(" .") for p in key(text, False).split(",") if p.strip(" .")]
    if len(parts) >= 2 and not _ADMIN_WORDS.match(parts[-1] + " ") and any(
            fuzz.ratio(parts[-1], name) >= _PROVINCE_MATCH for name in _current_provinces()):
        return True  # a province named alone as its own part, as addresses are printed since July 2025
    words = key(text, False).replace(",", " ").replace(".", " ").split()
    return any(len(words) > n and fuzz.ratio(" ".join(words[-n:]), name) >= _PROVINCE_MATCH
               and fuzz.ratio(" ".join(words[-n - len(kind.split()):-n]), kind) >= _TYPE_MATCH
               for kind, name, n in _typed_provinces())


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    """The folded names of the provinces that are cities run by the centre (the package names them
    with their type word, `Thành phố Huế`; a `Tỉnh` by its name alone)."""
    return frozenset(key(strip_admin(p.name), False) for p in Province.iter_all()
                     if _ADMIN_WORDS.match(key(p.name, False)))


def province_type(name: str) -> str:
    """A province's type word, from its name without one: `Thành phố` for a city run by the centre
    (`Hải Phòng`, `Huế`), else `Tỉnh` (`Thừa Thiên Huế` too, as cards printed it before 2025)."""
    return "Thành phố" if key(strip_admin(name), False) in _cities() else "Tỉnh"


@lru_cache(maxsize=1)
def _typed_provinces() -> tuple[tuple[str, str, int], ...]:
    """Province names folded, with the type word printed before them and their word count, old and
    current: (`tinh`, `dak lak`, 2), (`thanh pho`, `hue`, 1)."""
    cities = _cities()
    plain = {key(strip_admin(name), False) for name in [p.name for p in Province.iter_all()]
             + [name for name, _ in OLD_PROVINCES.values()]}
    typed = {("thanh pho", name) for name in cities} | {("tinh", name) for name in plain - cities}
    return tuple(sorted((kind, name, len(name.split())) for kind, name in typed | {("tinh", "thua thien hue")}))


def known_province(part: str) -> bool:
    """True when an address's last part is a province (old or current) spelled as it is, type word or not."""
    return strip_admin(part) in _spelled_provinces()
