"""Administrative names as spelled: repair what OCR gets wrong in the parts of a printed address.

The dictionary is the current provinces and wards of the `vietnam-provinces` package and the 63 old
provinces. An administrative part (`Xã ...`, `Huyện ...`, `Tỉnh ...`) whose name matches a known
name without its diacritics takes the known spelling (`Krông Pác` -> `Krông Pắc`); the type word
itself is respelled (`Tính` -> `Tỉnh`). The province closes an address, so whatever OCR read after
it (noise under the last line) is dropped. Of the other parts, the opening word takes the spelling
of the address word it folds to (`Tố 7` -> `Tổ 7`, `Áp` -> `Ấp`) and a house number's street is
respelled from the common street names of streets.py; village names are left as read.

Cards issued before July 2025 print the districts and wards of their day. Those names come from the
`vietnamadminunits` package's list of units before the 2025 reform (legacy.json): a district part
(`Huyện`, `Quận`, `Thị xã`, a `Thành phố` before the province) is respelled from its old province's
districts, and a ward part from its province's current and old wards. A name read as some unit
of its province is spelled is never changed into a neighbour one edit away (`Xã Đông Yên` of Quốc
Oai is not `Đồng Yên`).
"""

import json
import re
import sqlite3
from collections import defaultdict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein
from vietnam_provinces import Province, Ward

from . import streets
from .address import NUMBERED_OPENERS, PART_OPENERS, TYPE_WORDS, old_province_code, province_code, province_type
from .normalise import key, nfc, tones_apart
from .provinces import OLD_PROVINCES

_TYPE_KEYS = tuple((t, t.count(" ") + 1, key(t, False)) for t in TYPE_WORDS)  # as printed, words, folded
_TYPE_FOLDED = frozenset(folded for _, _, folded in _TYPE_KEYS)
PROVINCE_TYPES = ("Thành phố", "Tỉnh")
_PROVINCE_TYPE_KEYS = frozenset(key(t, False) for t in PROVINCE_TYPES)
DISTRICT_TYPES = ("Thành phố", "Thị xã", "Huyện", "Quận")  # before the province: a district (until July 2025)
_WARD_TYPES = ("Xã", "Phường")  # one-word types of the part before a district
_COMMUNE_TYPES = (*_WARD_TYPES, "Thị trấn")
_TYPE_MIN = 4  # letters of a type word (folded) that may be read one letter wrong
# `H` of a thin-stemmed face read as two strokes at a word's start (`IIuyện`, `Iloàng`): no word starts so
_H_READ_II = re.compile(r"(?<!\w)(?:II|Il|lI)(?=[a-zà-ỹđ])")
_DASHES = re.compile(r"\s*[-–]\s*")
_FUZZY_MIN = 5  # names this long (folded) may be one edit away from their spelling
_TAIL_MATCH = 70  # partial ratio from which what was read after a district is its province, misread
_TAIL_MARGIN = 20  # and by which it must look more like one of two provinces than the other
_SEEN_LETTERS = 3  # letters of a district's name read from which the rest may have been hidden
_TYPE_SCRAP = 4  # letters: what a thumb left of a district's type word before its name, one of them misread
_HIDDEN_LETTERS = 5  # letters read of a district part, type word included, from which the rest may be hidden
_DISTRICT_SHARE = 0.25  # of a district's letters that may be misread (one of its province's few districts)
_WHOLE = 0  # province code under which the names of the whole country are filed
_SPECK_PART = 2  # letters of an untyped part below the ward that is a speck of the pattern, not a name
_SPECK = 1  # letters of a stray word that may stand between a province's type word and its name
_TYPE_EDITS = 2  # edits from which a misread word before a province's name is still its type word
_VOWELS = "aeiouy"
# what opens a place below the ward before its name (`Thôn Đông`, `Ấp Bình Lợi`; `Số`, `Tổ` and `Đội` open numbers)
_PLACE_OPENERS = tuple(w for w in PART_OPENERS if w not in TYPE_WORDS
                       and w not in ("Số", "Tổ", "Đội", "Thị", "Thành", "Đặc", "Tiểu"))
_HOUSE = re.compile(r"^(Số \d+\w*) (.+)$")
# the words that open a part below the ward, beyond its first (`Khu phố 2`, `Tổ dân phố 5`), as printed
LOCAL_PREFIXES = ("Tổ dân phố", "Khu dân cư", "Khu phố", "Khu vực", "Khối phố", "Tiểu khu")
_LOCAL_KEYS = tuple((p, p.count(" ") + 1, key(p, False)) for p in LOCAL_PREFIXES)
_NUMBER = re.compile(r"\d+\w*")  # a house number: `97`, `12A`
_SPECKS = "ˆ^'`\"~.,:;-–_*+|!°"


def _folded(name: str) -> str:
    return _DASHES.sub(" - ", key(name, False)).replace("'", "’")  # `Cư M'gar` is `Cư M’gar`


def split_type(part: str) -> tuple[str | None, str]:
    """The part's type word as printed (or None) and the name after it, matched without diacritics.

    The part's first word and first two are folded once each, not once per type word: the ward
    dictionary is built from some 3,500 names when the first address is read (one CPU s per card
    matters for the `idcard extract` command)."""
    words = part.split(" ")
    heads: dict[int, str] = {}
    for type_word, size, folded in _TYPE_KEYS:
        if len(words) > size:
            if size not in heads:
                heads[size] = key(" ".join(words[:size]), False)
            if heads[size] == folded:
                return type_word, " ".join(words[size:])
    return None, part


def lacks_a_level(address: str, districts: bool = False) -> bool:
    """Whether an address lost a part: it opens with a district, a city or a province (`Huyện Vũ Thư,
    Tỉnh Thái Bình`; a card's address names its commune or ward, so its first part was lost under a
    thumb or to glare). On a card that prints `districts` (issued before the reform of July 2025),
    also unless it ends with its commune, its district and its province: one of them was lost, or
    read into a neighbour (`Số 40 Điện Biên Phủ, Thành phố Thanh Hóa, …`, `Xã An Minh, Tỉnh An Giang`,
    `Số 24 Lý Thường Kiệ Đông Anh, Thành phố Hà Nội`: a thumb over the end of a line). So does an address
    naming a district whose province lacks its type word (`…, Huyện Tiền Hải, Thái Bình`): such an address
    was printed before July 2025 with every part's type word, so the province's was lost (glare)."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    types = [split_type(part)[0] for part in parts]
    if len(parts) > 1 and (types[0] in DISTRICT_TYPES + PROVINCE_TYPES
                           or types[-1] is None and any(t in DISTRICT_TYPES for t in types[:-1])):
        return True
    return districts and not (len(parts) >= 3 and types[-2] in DISTRICT_TYPES and types[-3] in _COMMUNE_TYPES)


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    """Folded province name -> spelling, current and old, without the type word."""
    names = [p.name for p in Province.iter_all()] + [name for name, _ in OLD_PROVINCES.values()]
    return {_folded(split_type(nfc(n))[1]): split_type(nfc(n))[1] for n in names}


# The ward dictionary folded ahead of time: folding some 3,300 names costs 0.1 CPU s, once per
# process, which one `idcard extract` pays in full. Written by `python -m backoffice.idcard.gazetteer`;
# read only while it was made from the installed package's version (else built from the package).
WARDS_FILE = Path(__file__).with_name("wards.json")
_PACKAGE = "vietnam-provinces"


def folded_wards() -> list[tuple[int, str, str]]:
    """(current province code, folded name, name as printed without its type word) for every ward."""
    out = []
    for ward in Ward.iter_all():
        name = split_type(nfc(ward.name))[1]
        out.append((ward.province_code.value, _folded(name), name))
    return out


def write_wards(path: Path = WARDS_FILE) -> None:
    """Save the folded ward dictionary with the package version it was made from."""
    payload = {"package": _PACKAGE, "version": version(_PACKAGE), "wards": folded_wards()}
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def _saved(path: Path, package: str, entries: str) -> list | None:
    """A folded dictionary's entries, when the file was made from the installed version of its package."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return saved[entries] if saved.get("version") == version(package) else None
    except (OSError, ValueError, KeyError, PackageNotFoundError):
        return None


def _saved_wards() -> list | None:
    return _saved(WARDS_FILE, _PACKAGE, "wards")


def _filed(entries) -> dict[int, dict[str, set[str]]]:
    """(code, folded, name) entries by code (and all under _WHOLE): folded name -> spellings."""
    names: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for code, folded, name in entries:
        for filed in (code, _WHOLE):
            names[filed][folded].add(name)
    return names


@lru_cache(maxsize=1)
def _wards() -> dict[int, dict[str, set[str]]]:
    """Ward names by current province code (and all under _WHOLE): folded name -> spellings."""
    return _filed(_saved_wards() or folded_wards())


# The districts and wards before July 2025, folded the same way (legacy.json, written by the same command).
LEGACY_FILE = Path(__file__).with_name("legacy.json")
_LEGACY_PACKAGE = "vietnamadminunits"
_LEGACY_TABLE = "vietnamadminunits/data/dataset.db"


def folded_legacy() -> list[tuple[int, str, str, str]]:
    """(old province code, `district` or `ward`, folded name, name as printed without its type word) for
    every district and ward of the 63 provinces, from the package's data (the package is not imported);
    and each district once more as `typed`, folded and printed with its type word (`Thị xã Hương Thủy`)."""
    table = distribution(_LEGACY_PACKAGE).locate_file(_LEGACY_TABLE)
    with sqlite3.connect(f"file:{table}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT DISTINCT provinceCode, district, ward FROM admin_units_legacy").fetchall()
    # a ward the current list also has is spelled as it spells it (`Văn Miếu - Quốc Tử Giám`, written
    # without its dash in the old list): found from the old spelling too
    current = {_DASHES.sub(" ", name): name for _, _, name in folded_wards() if _DASHES.search(name)}
    out = set()
    for code, district, ward in rows:
        for level, unit in (("district", district), ("ward", ward)):
            if not unit:
                continue  # an island district without wards
            name = split_type(nfc(unit))[1].replace("'", "’")  # as the current list prints it
            folded = _folded(name)
            if level == "ward":
                name = current.get(name, name)
            out.add((int(code), level, folded, name))
        if district:
            out.add((int(code), "typed", _folded(nfc(district)), nfc(district).replace("'", "’")))
    return sorted(out)


def write_legacy(path: Path = LEGACY_FILE) -> None:
    """Save the folded old districts and wards with the package version they were made from."""
    payload = {"package": _LEGACY_PACKAGE, "version": version(_LEGACY_PACKAGE), "units": folded_legacy()}
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def _legacy() -> dict[str, dict[int, dict[str, set[str]]]]:
    """Old district and ward names by level, then by old province code (and all under _WHOLE)."""
    units = _saved(LEGACY_FILE, _LEGACY_PACKAGE, "units") or folded_legacy()
    return {level: _filed((code, folded, name) for code, kind, folded, name in units if kind == level)
            for level in ("district", "ward", "typed")}


@lru_cache(maxsize=256)
def _known(level: str, code: int | None, old: int | None) -> dict[str, set[str]]:
    """The names a part of this level may have in its province: its old districts; its current and old wards."""
    legacy = _legacy()[level].get(old, {}) if old is not None else {}
    if level == "district":
        return legacy
    current = _wards().get(code, {}) if code is not None else {}
    names: dict[str, set[str]] = defaultdict(set)
    for source in (current, legacy):
        for folded, spellings in source.items():
            names[folded] |= spellings
    return names


@lru_cache(maxsize=1)
def _known_anywhere() -> dict[str, dict[str, set[str]]]:
    return {"district": _legacy()["district"][_WHOLE], "ward": _known("ward", _WHOLE, _WHOLE)}


def _closest(read: str, spellings: set[str]) -> str:
    """The spelling nearest to what was read, diacritics counted (the one whose letters' own marks, tones
    aside, are those read, where only one's are); the reading when it is a tie."""
    if tones_apart(read) in {tones_apart(s) for s in spellings}:
        return read
    # a tone mark lost or misread keeps the letters' own marks (`Hoăng`: `Hoằng`, not `Hoàng`)
    toneless = [s for s in spellings if tones_apart(s)[0] == tones_apart(read)[0]]
    if len(toneless) == 1:
        return toneless[0]
    ranked = sorted((Levenshtein.distance(read, s), s) for s in spellings)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return read
    return ranked[0][1]


def _respell(name: str, level: str, province: int | None, old: int | None) -> str:
    local, whole = _known(level, province, old), _known_anywhere()[level]
    if _folded(name) not in local and _folded(name) in whole:
        # a district of another province, one letter from one of this province's alone, is that one
        # misread (`Huyện Hải Hà, Tỉnh Nam Định`: Hải Hà is Quảng Ninh's, Hải Hậu Nam Định's): a card
        # prints a district of its own province
        near = _nearest(name, local) if level == "district" else name
        return near if _folded(near) in local else _closest(name, whole[_folded(name)])
    share = _DISTRICT_SHARE if level == "district" else 0.0
    spelled = _nearest(name, local, share)
    unspecked = " ".join(w for w in name.split(" ") if len(w) > 1)
    if _folded(spelled) not in local and unspecked and unspecked != name:
        # specks read into the name (`Quận Tên 9 g Bình`), and only then: `A Lưới` is a district
        again = _nearest(unspecked, local, share)
        spelled = again if _folded(again) in local else spelled
    if _folded(spelled) not in local and level == "district":
        # part of the name hidden (a thumb over `Huyện Tiền Hả[i]`, `Quận [Bì]P Thạnh`): the one district
        # of the province it is a visible stretch of; the last letter read may be what the thumb's edge
        # left of one (`Tiền HÊ`), so the stretch without it is tried last
        clipped = name[:-1] if len(name.rsplit(" ", 1)[-1]) > 1 else None
        whole_name = next((d for d in (_completed(n, local) for n in (name, unspecked, clipped) if n) if d), None)
        spelled = _closest(whole_name, local[whole_name]) if whole_name else spelled
    return spelled


def _completed(name: str, names: dict[str, set[str]]) -> str | None:
    """The one folded name of `names` of which `name` is a stretch of whole words, its first word's
    start and its last word's end possibly hidden (`thanh` of `binh thanh`, `tien ha` of `tien hai`);
    None when none or several are, or fewer than `_SEEN_LETTERS` letters were read (`B` is no name)."""
    read = _folded(name).split()
    if sum(map(len, read)) < _SEEN_LETTERS:
        return None

    def fits(whole: list[str]) -> bool:
        for at in range(len(whole) - len(read) + 1):
            run = whole[at:at + len(read)]
            if len(read) == 1 and (run[0].startswith(read[0]) or run[0].endswith(read[0])):
                return True
            if len(read) > 1 and run[0].endswith(read[0]) and run[1:-1] == read[1:-1] and run[-1].startswith(read[-1]):
                return True
        return False

    found = [folded for folded in names if folded.split() != read and fits(folded.split())]
    return found[0] if len(found) == 1 else None


def _nearest(name: str, names: dict[str, set[str]], share: float = 0.0) -> str:
    """The name spelled from a dictionary: by its folded form, or the only one one edit from it. With
    `share`, up to that share of its letters may be misread, if the nearest name is nearer by two
    edits than any other (a province has some 15 districts: `Huyện 1 nuy Nguyên` is `Thủy Nguyên`)."""
    folded = _folded(name)
    if folded in names:
        return _closest(name, names[folded])
    if len(folded) < _FUZZY_MIN:
        return name
    limit = max(1, int(share * len(folded)))
    near = sorted((d, f) for f in names if (d := Levenshtein.distance(folded, f, score_cutoff=limit + 1)) <= limit + 1)
    if not near or near[0][0] > limit:
        return name
    rival = 0 if limit == 1 else 1  # one edit: no other name one edit away; more: none within one more
    if len(near) > 1 and near[1][0] <= near[0][0] + rival:
        return name
    return _closest(name, names[near[0][1]])


def _local_part(part: str) -> str:
    """A part below the ward (house and street, village) with its opening word and street respelled.
    An opener misread past knowing (`S6`, `3õ`) before a house number and a street's name is `Số`."""
    opener, _, rest = part.partition(" ")
    opener = opener.lstrip(_SPECKS) or opener  # a speck before it (`ˆSố`)
    spelled = [w for w in PART_OPENERS if key(w, False) == key(opener, False)]
    words = rest.split(" ")
    if not spelled:
        spelled = _opener_misread(opener, words)
    if not spelled and len(opener) <= 2 and len(words) > 1 and _NUMBER.fullmatch(words[0]) and words[1][:1].isupper():
        spelled = ["Số"]  # `97 Hai Bà Trưng`: a house number, then a name
    part = " ".join(filter(None, (spelled[0] if len(spelled) == 1 else opener, rest)))
    for prefix, size, folded in _LOCAL_KEYS:  # `Khu phó 2` -> `Khu phố 2`
        read = part.split(" ")
        if len(read) > size and key(" ".join(read[:size]), False) == folded:
            part = " ".join([prefix, *read[size:]])
            break
    house = _HOUSE.match(part)
    return f"{house[1]} {_nearest(house[2], streets.by_folded())}" if house else part


def _opener_misread(opener: str, words: list[str]) -> list[str]:
    """Before a number alone, the opener of a numbered place one letter from what was read, when
    only one is (`Lố 7`, `1ổ 7`, `10 7`: `Tổ 7`, not `Số`, which a street's name follows). Before a name,
    none: a dropped letter would make `Hòn Gai` a `Thôn`, unless what was read is no word at all, no
    vowel in it (`Ñp Bình Lợi`: `Ấp`, the one place's opener a letter from it)."""
    if len(words) == 1 and _NUMBER.fullmatch(words[0]):
        # (a round letter read as a zero is no letter off: `10 7` is `Tổ 7`, its `T` read as a one)
        near = [w for w in NUMBERED_OPENERS if _one_letter_off(opener.replace("0", "o"), w)]
        return near if len(near) == 1 else []
    if len(_folded(opener)) < 2 or set(_folded(opener)) & set(_VOWELS) or not words[0][:1].isupper():
        return []
    near = [w for w in _PLACE_OPENERS if _one_letter_off(opener, w)]
    return near if len(near) == 1 else []


def _one_letter_off(read: str, word: str) -> bool:
    """Whether what was read is a word, or that word with one letter misread, added or dropped
    (diacritics and case aside)."""
    return Levenshtein.distance(key(read, False), key(word, False), score_cutoff=1) <= 1


def _province_part(part: str) -> str | None:
    """`Tỉnh Nghệ An` from a part that opens with a province name, noise after it dropped."""
    type_word, name = split_type(part)
    if type_word not in (None, *PROVINCE_TYPES):
        return None
    words = name.split(" ")
    # a speck read as a letter between the type word and the name (glare, the end of a line) is skipped
    starts = (0, 1) if type_word and len(words) > 1 and len(_folded(words[0])) <= _SPECK else (0,)
    for start in starts:
        for end in range(len(words), start, -1):
            spelled = _province_named(_folded(" ".join(words[start:end])))
            if spelled:
                return f"{type_word} {spelled}" if type_word else spelled
    if type_word is None:  # a type word misread (`THăn H phố`, `Thành` alone): the province closes the part
        for start in range(1, len(words)):
            spelled = _province_named(_folded(" ".join(words[start:])))
            garbled = _folded(" ".join(words[:start]))
            if spelled and any(Levenshtein.distance(garbled, t) <= _TYPE_EDITS for t in _TYPE_READINGS):
                return f"{province_type(spelled)} {spelled}"  # a province is a city or not: its name says which
    return None


# how a province's type word may be read: whole, or `Thành phố` cut at the end of a line (`Thành`)
_TYPE_READINGS = tuple({_folded(t) for t in PROVINCE_TYPES} | {_folded(PROVINCE_TYPES[0].split()[0])})


def _province_named(folded: str) -> str | None:
    """The province spelled, from its folded name or one edit away from it if only one is that near."""
    if folded in _provinces():
        return _provinces()[folded]
    near = [f for f in _provinces() if len(folded) >= _FUZZY_MIN and Levenshtein.distance(folded, f) <= 1]
    return _provinces()[near[0]] if len(near) == 1 else None


@lru_cache(maxsize=1)
def _district_provinces() -> dict[str, set[int]]:
    """Folded old district name -> the old codes of the provinces that had a district so named."""
    provinces: dict[str, set[int]] = defaultdict(set)
    for code, names in _legacy()["district"].items():
        if code == _WHOLE:
            continue  # the whole country's names, filed again
        for folded in names:
            provinces[folded].add(code)
    return provinces


@lru_cache(maxsize=None)
def _typed_old_province(code: int) -> str:
    """An old province as cards printed it: `Thành phố` for the five cities run by the centre, else `Tỉnh`."""
    name = OLD_PROVINCES[code][0]
    return f"{province_type(name)} {name}"


def _province_of_district(parts: list[str]) -> list[str]:
    """The parts with a province misread past recognition (`Tỉnh Nghệ`, `Thành Phòng`, `11 nn An Giang`)
    spelled from the district before it, when what was read there looks like a province that had a
    district of that name, and more than any other that had one; where nothing was read after the
    district, the province of the one that had a district of that name; unchanged otherwise (a lost
    province line is not guessed among several)."""
    type_word, name = split_type(parts[-1]) if parts else (None, "")
    if type_word in DISTRICT_TYPES and _folded(name) not in _provinces():
        # nothing read after the district (the address's last line lost under glare or blur): a district that
        # only one province had names its province, which an old card's address always ends with
        codes = _district_provinces().get(_folded(name), set())
        if len(codes) == 1:
            return parts + [_typed_old_province(min(codes))]
    for i in range(len(parts) - 2, -1, -1):
        type_word, name = split_type(parts[i])
        if type_word in DISTRICT_TYPES:
            break
    else:
        return parts
    codes = _district_provinces().get(_folded(_nearest(name, _legacy()["district"][_WHOLE])), set())
    read = _folded(", ".join(parts[i + 1:]))
    # specks read as words of their own (`Ti -. z4 Thiên Huế`) are no part of the name, when enough
    # letters are left to say what it looks like
    bare = " ".join(w for w in read.split() if any(c.isalpha() for c in w))
    read = bare if sum(c.isalpha() for c in bare) >= _FUZZY_MIN else read
    # of the provinces that had the district, the one what was read looks like, well ahead of any other
    # (`Huyện Phong Điền, Thành phố`: Cần Thơ's, not Thừa Thiên Huế's)
    ranked = sorted(((fuzz.partial_ratio(read, _folded(p)), p) for p in map(_typed_old_province, codes)), reverse=True)
    if not ranked or ranked[0][0] < _TAIL_MATCH or len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _TAIL_MARGIN:
        return parts
    return parts[:i + 1] + [ranked[0][1]]


def _city_type_hidden(parts: list[str]) -> list[str]:
    """The parts with the province parted from the part it was read run on to where the comma and the first
    word of `Thành phố` were hidden (`Huyện Gia Lâm phố Hà Nội`, a thumb over them): from a `phố` in lower
    case (a street's or a ward's `Phố` is capitalised) on to a province's name at the address's end; the
    same list otherwise. (A comma lost before a type word read whole is put back by `address.tidy`.)"""
    city, street = PROVINCE_TYPES[0].split()
    words = parts[-1].split(" ") if parts else []
    for start in (i for i in range(len(words) - 1, 0, -1) if words[i] == street):
        before = " ".join(words[:start])
        # what comes before opens with its own type word (`Huyện Gia Lâm`), and its last word or two are no
        # `Thành` misread (`THăn H phố Cần Thơ`: the province's own type word garbled, which `_province_part` reads)
        misread_city = any(Levenshtein.distance(_folded("".join(words[max(0, start - n):start])), _folded(city))
                           <= _TYPE_EDITS for n in (1, 2))
        if split_type(before)[0] is not None and not misread_city:
            province = _province_part(f"{city} {' '.join(words[start:])}")
            if province:
                return parts[:-1] + [before, province]
    return parts


def _province_run_on(parts: list[str]) -> list[str]:
    """The parts with the province parted from the district's part it was read run on to where the comma and
    the province's whole type word were hidden (`Huyện Giao T Nam Định`, a thumb over `hủy, Tỉnh`): a last
    part that opens with a district's type word and ends with a province's name, something of the district's
    own name read between (no district of the 63 provinces has a name ending with a province's); the same
    list otherwise. The province takes the type word its name says (`Tỉnh`, or `Thành phố` for the five
    cities), and the district's name what `_completed` makes of the stretch read."""
    type_word, name = split_type(parts[-1]) if parts else (None, "")
    if type_word not in DISTRICT_TYPES:
        return parts
    words = name.split(" ")
    for start in range(1, len(words)):
        spelled = _provinces().get(_folded(" ".join(words[start:])))
        if spelled:
            district = words[:start]
            for province_word in PROVINCE_TYPES:  # the type word read, only the comma lost
                n = province_word.count(" ") + 1
                if len(district) > n and _folded(" ".join(district[-n:])) == _folded(province_word):
                    district = district[:-n]
            if _folded(" ".join(district)) in _PROVINCE_TYPE_KEYS:
                return parts  # nothing of the district's name read
            return parts[:-1] + [f"{type_word} {' '.join(district)}", f"{province_type(spelled)} {spelled}"]
    return parts


def _province_split(parts: list[str]) -> list[str]:
    """The parts with the last two joined where a comma was read inside the province's name (`Tỉnh An,
    Gìang`: a speck of glare between its words), so neither is a province and both together are; the
    same list otherwise."""
    if len(parts) < 3 or _province_part(parts[-1]) or _province_part(parts[-2]):
        return parts
    joined = f"{parts[-2]} {parts[-1]}"
    return parts[:-2] + [joined] if split_type(joined)[0] in PROVINCE_TYPES and _province_part(joined) else parts


def repair(address: str) -> str:
    """The address with administrative names respelled and anything after the province dropped."""
    address = _H_READ_II.sub("H", address)
    parts = _province_split(_province_run_on(_city_type_hidden(
        _without_specks(_bare_types_joined([p.strip() for p in address.split(",") if p.strip()])))))
    for last in range(1, len(parts) - 1):
        # `Tỉnh` names nothing but a province (a city may share a province's name, `Thành phố Thái
        # Bình`): the address ends there, and what follows is the next value read into it
        if split_type(parts[last])[0] == "Tỉnh" and _province_part(parts[last]):
            parts = parts[:last + 1]
            break
    for last in range(len(parts) - 1, 0, -1):
        province = _province_part(parts[last])
        if province:
            parts = parts[:last] + [province]
            break
    else:
        parts = _province_of_district(parts)
    code, old = (province_code(parts[-1]), old_province_code(parts[-1])) if parts else (None, None)
    parts = _district_run_on(parts, code, old)
    fixed = []
    for at, part in enumerate(parts[:-1]):
        type_word, name = split_type(part)
        if type_word is None and at > 0:
            type_word, name = _misread_type(part, code, old)
        if type_word is None and at + 2 < len(parts) and split_type(parts[at + 1])[0] in DISTRICT_TYPES:
            type_word, name = _ward_typed(part)
        level = "district" if type_word in DISTRICT_TYPES else "ward"
        respelled = _respell(name, level, code, old) if type_word else None
        spelled = f"{type_word} {respelled}" if type_word else _local_part(part)
        if at == len(parts) - 2 and at > 0 and split_type(parts[at - 1])[0] in _COMMUNE_TYPES and (
                type_word is None or level == "district" and not all(w.isalpha() for w in name.split())
                and _folded(respelled) not in _known("district", code, old)):
            # the district's slot, its type word not read or a word of its name garbled
            spelled = _hidden_district(part, old) or _sole_of_its_type(part, old) or spelled
        fixed.append(spelled)
    return ", ".join(fixed + parts[-1:])


def _hidden_district(part: str, old: int | None) -> str | None:
    """The district, type word and all, of a part between a commune and the province that a thumb or
    glare hid a stretch of: its start (`ện Phú Vang`), its middle (`T Thủy`) or a word (`Thành phố 7
    Hóa`). It is the one district of the province whose name ends with the word read last (the end of
    the part, before its comma, was seen) and holds every letter read, in order; a digit or speck read
    where print was hidden is no letter. None when no district or several fit, or too little was read."""
    words = [w for w in _folded(part).split() if w.isalpha()]
    letters = "".join(words)
    if old is None or not words or len(words[-1]) < _SEEN_LETTERS or len(letters) < _HIDDEN_LETTERS:
        return None
    name = " ".join(words[1:])

    def fit(folded: str) -> bool:
        if folded.split()[-1] != words[-1] or folded == " ".join(words):
            return False
        held = LCSseq.similarity(letters, folded.replace(" ", ""))
        # every letter read, in order; or one misread in what the thumb left of the type word (`Thè` of
        # `Thành phố`), where the name after it was read whole
        return held == len(letters) or (held == len(letters) - 1 and len(words) > 1
                                        and len(words[0]) <= _TYPE_SCRAP and folded.endswith(" " + name))

    fits = [spellings for folded, spellings in _legacy()["typed"].get(old, {}).items() if fit(folded)]
    return min(fits[0]) if len(fits) == 1 and len(fits[0]) == 1 else None


def _sole_of_its_type(part: str, old: int | None) -> str | None:
    """The district of a part between a commune and the province whose type word was read whole and whose
    name was hidden but for its end (`Thành phố 1h`, a thumb over `Vin`), where the province had one district
    of that type (Nghệ An one city, Vinh) and the letters read of the name are its last ones, in order;
    None otherwise (a province has many `Huyện`, and nothing is guessed among them)."""
    type_word, name = split_type(part)
    read = "".join(c for c in _folded(name) if c.isalpha())
    if old is None or type_word not in DISTRICT_TYPES or not read:
        return None
    prefix = _folded(type_word) + " "
    sole = [(folded[len(prefix):], spellings) for folded, spellings in _legacy()["typed"].get(old, {}).items()
            if folded.startswith(prefix)]
    if len(sole) != 1 or len(sole[0][1]) != 1:
        return None
    letters = sole[0][0].replace(" ", "")
    ends_alike = letters.endswith(read[-1]) and LCSseq.similarity(read, letters) == len(read)
    return min(sole[0][1]) if ends_alike and read != letters else None


def _district_run_on(parts: list[str], code: int | None, old: int | None) -> list[str]:
    """The parts with the district parted from the commune before it where the end of the commune's name, the
    comma and the district's type word were hidden and the two read run on (`Xã Đồng Dư Hòa Vang`: a thumb
    over `ơng, Huyện` at the end of the address's first line). The commune's last words are then a district
    of the province, which takes its own type word, and the commune's name is completed where one name of
    the province begins so (`Đồng Dư` of `Đồng Dương`); the same list when the commune's whole name is a
    known one, or no district of the province ends it."""
    if old is None or len(parts) < 2:
        return parts
    type_word, name = split_type(parts[-2])
    wards = _known("ward", code, old)
    if type_word not in _COMMUNE_TYPES or _folded(name) in wards:
        return parts
    words = name.split(" ")
    typed = _legacy()["typed"].get(old, {})
    for start in range(1, len(words)):
        tail = _folded(" ".join(words[start:]))
        district = [spellings for spellings in typed.values() if _folded(split_type(min(spellings))[1]) == tail]
        if len(district) == 1 and len(district[0]) == 1:
            commune = " ".join(words[:start])
            whole = _completed(commune, wards) if _folded(commune) not in wards else None
            commune = _closest(commune, wards[whole]) if whole else commune
            return parts[:-2] + [f"{type_word} {commune}", min(district[0])] + parts[-1:]
    return parts


def _misread_type(part: str, code: int | None, old: int | None) -> tuple[str | None, str]:
    """A part after the first whose opening word is a type word of four letters or more misread by
    one letter (`Fhành phố`, `luyện`), when the name after it is a known one of that level in the
    address's province. Else (None, part)."""
    words = part.split(" ")
    for type_word, size, folded in _TYPE_KEYS:
        if len(words) <= size or len(folded) < _TYPE_MIN or type_word in ("Tỉnh", "Đặc khu"):
            continue
        if not _one_letter_off(" ".join(words[:size]), type_word):
            continue
        level = "district" if type_word in DISTRICT_TYPES else "ward"
        name = " ".join(words[size:])
        if _folded(_respell(name, level, code, old)) in _known(level, code, old):
            return type_word, name
    return None, part


def _ward_typed(part: str) -> tuple[str | None, str]:
    """A part right before a district names a ward: an opening word one letter from one ward type
    word only (`XI Thiệu Trung`, `Mã Xuân Lộc`) is that word misread. Else (None, part)."""
    opener, _, name = part.partition(" ")
    near = [t for t in _WARD_TYPES if _one_letter_off(opener, t)]
    return (near[0], name) if len(near) == 1 and name[:1].isupper() else (None, part)


def _bare_types_joined(parts: list[str]) -> list[str]:
    """A type word read as a part of its own (`Tỉnh, Nghệ An`: a speck read as a comma after it) joined
    to the name after it. A part is bare when it is a type word and nothing more."""
    out: list[str] = []
    for part in parts:
        if out and key(out[-1], False) in _TYPE_FOLDED and split_type(part)[0] is None:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def _without_specks(parts: list[str]) -> list[str]:
    """The parts without a speck read as a part of its own among the administrative ones.

    Below the ward every part names a unit by its type word (`Xã An Thạnh, Huyện Phong Điền`): an
    untyped part there of two letters or fewer (`EẦ`, `ñ`) is a speck of the pattern. One that opens
    a single type word (`Qu`) is that word cut from the untyped part after it (`Qu, Hoàng Mai`).
    The last part (the province, or what follows it) is left to the province's own repair."""
    kept: list[str] = []
    typed, cut = False, None  # a unit seen; the type word a speck cut from the part after it
    for at, part in enumerate(parts):
        inner = at < len(parts) - 1
        type_word = split_type(part)[0]
        if cut and type_word is None and inner:
            part, type_word = f"{cut} {part}", cut
        cut = None
        letters = "".join(c for c in part if c.isalpha())
        if typed and inner and type_word is None and len(letters) <= _SPECK_PART:
            opens = {t for t, _, folded in _TYPE_KEYS if letters and folded.startswith(key(letters, False))}
            cut = opens.pop() if len(opens) == 1 else None
            continue
        typed = typed or type_word is not None
        kept.append(part)
    return kept


def known_district(name: str, province: str) -> bool:
    """True when a district-level name (type word stripped) is spelled as one of the districts the
    province named (an address's last part) had before July 2025: `Quận Sơn Trà` is no district of
    `Thanh Hóa` (a province read from a neighbour's print, or a district misread)."""
    old = old_province_code(province)
    spellings = _legacy()["district"].get(old, {}).get(_folded(name), ()) if old is not None else ()
    return tones_apart(nfc(name)) in {tones_apart(s) for s in spellings}


def known_ward(name: str) -> bool:
    """True when a ward-level name (type word stripped) is spelled as some ward of the country is or was."""
    spellings = _known_anywhere()["ward"].get(_folded(name), ())
    return tones_apart(nfc(name)) in {tones_apart(s) for s in spellings}


if __name__ == "__main__":
    write_wards()
    write_legacy()
    print(f"wrote {WARDS_FILE} and {LEGACY_FILE}")
