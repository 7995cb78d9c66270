"""Administrative names as spelled: repair what OCR gets wrong in the parts of a printed address.

The dictionary is the current provinces and wards of the `vietnam-provinces` package and the 63 old
provinces. An administrative part (`Xã ...`, `Huyện ...`, `Tỉnh ...`) whose name matches a known
name without its diacritics takes the known spelling (`Krông Pác` -> `Krông Pắc`); the type word
itself is respelled (`Tính` -> `Tỉnh`). The province closes an address, so whatever OCR read after
it (noise under the last line) is dropped. Of the other parts, the opening word takes the spelling
of the address word it folds to (`Tố 7` -> `Tổ 7`, `Áp` -> `Ấp`) and a house number's street is
respelled from the common street names of streets.py; village names are left as read.
"""

import json
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from vietnam_provinces import Province, Ward

from .address import PART_OPENERS, province_code
from .normalise import key, nfc
from .provinces import OLD_PROVINCES
from .streets import STREETS

# type words as printed, longest first so that `Thị xã` wins over `Xã`
TYPE_WORDS = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")
_TYPE_KEYS = tuple((t, t.count(" ") + 1, key(t, False)) for t in TYPE_WORDS)  # as printed, words, folded
PROVINCE_TYPES = ("Thành phố", "Tỉnh")
_DASHES = re.compile(r"\s*[-–]\s*")
_FUZZY_MIN = 5  # names this long (folded) may be one edit away from their spelling
_WHOLE = 0  # province code under which the names of the whole country are filed
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_SPECK = 1  # letters of a stray word that may stand between a province's type word and its name
_TYPE_EDITS = 2  # edits from which a misread word before a province's name is still its type word
_HOUSE = re.compile(r"^(Số \d+\w*) (.+)$")


def _folded(name: str) -> str:
    return _DASHES.sub(" - ", key(name, False))


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


def _saved_wards() -> list | None:
    try:
        saved = json.loads(WARDS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return saved["wards"] if saved.get("version") == version(_PACKAGE) else None


@lru_cache(maxsize=1)
def _wards() -> dict[int, dict[str, set[str]]]:
    """Ward names by current province code (and all under _WHOLE): folded name -> spellings."""
    names: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for code, folded, name in _saved_wards() or folded_wards():
        for filed in (code, _WHOLE):
            names[filed][folded].add(name)
    return names


def _marks_anywhere(name: str) -> tuple[str, str]:
    """A name with its tone marks set aside: `Thủy` and `Thuỷ` (old placement) are one spelling."""
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if c not in _TONES), "".join(sorted(c for c in decomposed if c in _TONES))


def _closest(read: str, spellings: set[str]) -> str:
    """The spelling nearest to what was read, diacritics counted; the reading when it is a tie."""
    if _marks_anywhere(read) in {_marks_anywhere(s) for s in spellings}:
        return read
    ranked = sorted((Levenshtein.distance(read, s), s) for s in spellings)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return read
    return ranked[0][1]


def _respell(name: str, province: int | None) -> str:
    local = _wards().get(province, {}) if province else {}
    whole = _wards()[_WHOLE]
    if _folded(name) not in local and _folded(name) in whole:
        return _closest(name, whole[_folded(name)])
    return _nearest(name, local)


@lru_cache(maxsize=1)
def _streets() -> dict[str, set[str]]:
    """Folded street name -> spellings."""
    names: dict[str, set[str]] = defaultdict(set)
    for street in STREETS:
        names[_folded(street)].add(nfc(street))
    return names


def _nearest(name: str, names: dict[str, set[str]]) -> str:
    """The name spelled from a dictionary: by its folded form, or the only one one edit from it."""
    folded = _folded(name)
    if folded in names:
        return _closest(name, names[folded])
    near = [f for f in names if len(folded) >= _FUZZY_MIN and Levenshtein.distance(folded, f) <= 1]
    return _closest(name, names[near[0]]) if len(near) == 1 else name


def _local_part(part: str) -> str:
    """A part below the ward (house and street, village) with its opening word and street respelled."""
    opener, _, rest = part.partition(" ")
    spelled = [w for w in PART_OPENERS if key(w, False) == key(opener, False)]
    part = " ".join(filter(None, (spelled[0] if len(spelled) == 1 else opener, rest)))
    house = _HOUSE.match(part)
    return f"{house[1]} {_nearest(house[2], _streets())}" if house else part


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
    if type_word is None:  # a type word misread (`THăn H phố`): the province closes the part
        for start in range(1, len(words)):
            spelled = _province_named(_folded(" ".join(words[start:])))
            garbled = _folded(" ".join(words[:start]))
            near = [t for t in PROVINCE_TYPES if Levenshtein.distance(garbled, _folded(t)) <= _TYPE_EDITS]
            if spelled and len(near) == 1:
                return f"{near[0]} {spelled}"
    return None


def _province_named(folded: str) -> str | None:
    """The province spelled, from its folded name or one edit away from it if only one is that near."""
    if folded in _provinces():
        return _provinces()[folded]
    near = [f for f in _provinces() if len(folded) >= _FUZZY_MIN and Levenshtein.distance(folded, f) <= 1]
    return _provinces()[near[0]] if len(near) == 1 else None


def repair(address: str) -> str:
    """The address with administrative names respelled and anything after the province dropped."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
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
    code = province_code(parts[-1]) if parts else None
    fixed = []
    for part in parts[:-1]:
        type_word, name = split_type(part)
        fixed.append(f"{type_word} {_respell(name, code)}" if type_word else _local_part(part))
    return ", ".join(fixed + parts[-1:])


def known_ward(name: str) -> bool:
    """True when a ward-level name (type word stripped) is spelled as some ward of the country is."""
    spellings = _wards()[_WHOLE].get(_folded(name), ())
    return _marks_anywhere(nfc(name)) in {_marks_anywhere(s) for s in spellings}


if __name__ == "__main__":
    write_wards()
    print(f"wrote {WARDS_FILE}")
