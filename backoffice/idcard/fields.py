"""Read the printed fields of a rectified card side with Tesseract and normalise them.

The boxes read are where labels.py found each value on this card, not fixed positions.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz

from . import marks, ocr
from .address import plausible, tidy
from .gazetteer import lacks_a_level, repair
from .idnumber import ID9, ID12, is_plausible_id12, one_digit_lost
from .labels import past_label
from .layout import Box
from .looks import LOOKS, cleared_above, evened, own_ink, shrunk, stretched, vote
from .normalise import clean_name, clean_text, digits, fold, fuzzy_contains, key, parse_date, parse_sex, same_value
from .parallel import each
from .spelling import OVERRIDE, Word, dotted, spell

NATIONALITY = "Việt Nam"
_LABEL_LIKE = 60  # fuzzy ratio from which a word read before the nationality is its label (`Natlonalf`)
_MISREAD = 65  # and from which what follows is `Việt Nam` misread: no other nationality comes near
_ENGINE = {"digits": "digits", "date": "date", "name": "name"}
_FORMED = ("digits", "date", "dateline")  # kinds whose reading is checked by its form (a number's length, a date)
_PAD = 4
ADDRESS_FIELDS = ("place_of_origin", "place_of_residence")
_DISTRICTS_PRINTED = ("cmnd", "cccd_barcode", "cccd_chip")  # issued before July 2025: a district in every address
_DISAGREE = 0.6  # calibrated on the benchmark: per look that disagrees, and for an implausible address
_AROUND = 14  # rows above and below a name word shown to the marks judge (its marks may leave the box)


@dataclass(frozen=True)
class Candidate:
    """A value read from one source, with the evidence behind its confidence."""

    value: object
    source: str
    confidence: float


def _origin(box: Box) -> tuple[int, int]:
    """Where a box's crop starts on the card (x, y)."""
    return max(0, box.x0 - _PAD), max(0, box.y0)


def _crop(gray: np.ndarray, box: Box) -> np.ndarray:
    # the box is the found words' own, margins included: no more, or the line above leaks in
    left, top = _origin(box)
    crop = gray[top:box.y1, left:box.x1 + _PAD]
    # a name's crop reaches over the line above where its marks rise (pipeline._margins)
    return cleared_above(crop) if box.kind == "name" else crop


def _loose_sex(word: str):
    """`Nam` or `Nữ` from one word read with a letter wrong (`Narm`, `NữỮ`), else None."""
    word = fold(word).lower()
    return "Nam" if "am" in word else "Nữ" if word.startswith("n") and "u" in word else None


def _sex(text: str):
    """The sex printed, from the value's words: the card's pattern beside it may read as letters
    (`Kế Nữ`, `jtfT T Nữ`), so the one value its words agree on, else None."""
    value = parse_sex(text)
    if value is None:
        said = {parse_sex(word) or _loose_sex(word) for word in text.split()} - {None}
        value = said.pop() if len(said) == 1 else None if said else _loose_sex(text)  # `N ữ`: split
    return value


def _nationality(text: str):
    """`Việt Nam` read as it is, a few letters wrong (`Mêt am`, `Việt Xam`), after a scrap of its
    unread label (`4 eh Việt Nam`, `Natlonalf jệt Na`), cut after `Việt` or within it (`Việt`, `nality
    VIỆt`, `Vìệ`: no other nationality starts so), else the text read (`Nam` alone may be the sex's value)."""
    folded = key(text, False)
    words = folded.split()
    while words and fuzz.ratio(words[0], "nationality") >= _LABEL_LIKE:
        words = words[1:]  # the label's English half, garbled
    if (fuzz.ratio(folded, "viet nam") >= 75 or fuzz.ratio(" ".join(words), "viet nam") >= _MISREAD
            or (len(folded.split()) <= 4 and fuzzy_contains("viet nam", folded) >= 90)):
        return NATIONALITY
    if 0 < len(words) <= 2 and (words[-1] == "viet" or len(words[-1]) >= 3 and "viet".startswith(words[-1])):
        return NATIONALITY
    return clean_text(text) or None


def _id(text: str, doc_type: str):
    number = digits(text)
    if doc_type == "cmnd":
        return number if ID9.match(number) else None
    return number if ID12.match(number) and is_plausible_id12(number) else one_digit_lost(text)


def _says_no_expiry(text: str) -> bool:
    return fuzzy_contains("khong thoi han", key(text, False)) >= 80


def _no_expiry(card_gray: np.ndarray, boxes: tuple[Box, ...]) -> ocr.Reading | None:
    """The expiry box read again as words, when it says "Không thời hạn" (no expiry)."""
    box = next(b for b in boxes if b.field == "date_of_expiry")
    reading = ocr.read(_crop(card_gray, box), "line")
    return reading if _says_no_expiry(reading.text) else None


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
        return repair(tidy(clean_text(past_label(field, text)))) or None
    return clean_text(text) or None


def _on_card(word: Word, box: Box, scale: float) -> Word:
    """A word whose box, found in a look at a crop, is moved to card pixels."""
    if word.box is None:
        return word
    left, top = _origin(box)
    x0, y0, x1, y1 = (round(v / scale) for v in word.box)
    return replace(word, box=(x0 + left, y0 + top, x1 + left, y1 + top))


def _read_boxes(card_gray: np.ndarray, boxes: tuple[Box, ...], look: Callable[[np.ndarray], np.ndarray],
                crops: dict | None = None) -> dict[str, list[ocr.Reading]]:
    """Each box read in one look, at its crop of the card or at the crop given for it in `crops`."""
    readings: dict[str, list[ocr.Reading]] = {}
    for box in boxes:
        crop = _crop(card_gray, box)
        seen = look(crops[box] if crops else crop)
        reading = ocr.read(seen, _ENGINE.get(box.kind, "line"), box.kind == "name")
        if reading.words:
            scale = seen.shape[1] / crop.shape[1]
            reading = replace(reading, words=tuple(_on_card(w, box, scale) for w in reading.words))
        readings.setdefault(box.field, []).append(reading)
    return readings


def _faded(gray: np.ndarray) -> np.ndarray:
    """The crop with its local contrast stretched, at the size the other looks read."""
    return shrunk(stretched(gray))


def _joined(readings: list[ocr.Reading]) -> str:
    return " ".join(r.text for r in readings if r.text)


def _marks_judge(card_gray: np.ndarray, doc_type: str):
    """Judges a word's rival spellings by drawing them in the card type's name typeface (marks.py)."""
    face = marks.NAME_FACES.get(doc_type)

    def judge(box: tuple[int, int, int, int], spellings: list[str]):
        x0, y0, x1, y1 = box
        top = max(0, y0 - _AROUND)
        band = card_gray[top:y1 + _AROUND]
        return marks.judge(band, (x0, y0 - top, x1, y1 - top), spellings, face) if face else None

    return judge


def _spelled_name(values: list, readings: list[list[ocr.Reading]], judge, card_gray: np.ndarray | None,
                  chroma: np.ndarray | None) -> tuple[str | None, int, int]:
    """The name spelled from every look's alternatives; the looks that read its letters; its doubtful syllables.

    A look counts for the name when it read the same letters: the spelling step settles the marks. A
    syllable spelled without a mark above it, under a mark the card shows apart from its letters
    (`marks.unread_marks`: `HAI` for a printed `HẢI`), is doubtful too.
    """
    spelled = spell([tuple(w for r in look for w in r.words) for look in readings], judge)
    if spelled is None:
        return None, 0, 0
    votes = sum(v is not None and fold(v) == fold(spelled.text) for v in values)
    syllables = spelled.text.split()
    unread = 0
    for index, box in enumerate(spelled.boxes if card_gray is not None else ()):
        if box is None:
            continue
        unread += marks.unread_marks(card_gray, box, syllables[index], chroma)
        with_dot = dotted(syllables[index], index == 0)
        if with_dot and marks.unread_dot(card_gray, box, syllables[index], chroma):
            syllables[index] = _dot_judged(syllables[index], with_dot, box, judge)
            unread += 1
    return " ".join(syllables), votes, spelled.doubtful + unread


def _dot_judged(syllable: str, with_dot: str, box: tuple[int, int, int, int], judge) -> str:
    """A syllable read without the dot below that the card shows under it (`marks.unread_dot`): its one
    spelling with that dot (`spelling.dotted`), where the typeface drawn fits the print and shows the dot
    clearly there (`marks.judge`); else as read. Either way the syllable is doubtful."""
    verdict = judge(box, [syllable, with_dot])
    taken = verdict is not None and verdict.spelling == with_dot and verdict.clarity >= OVERRIDE
    return with_dot if taken else syllable


def _first_alike(values: list, value) -> int:
    """The first look whose value is the chosen one, or whose letters are (names), else the first."""
    for alike in (lambda v: v == value,
                  lambda v: isinstance(v, str) and isinstance(value, str) and fold(v) == fold(value)):
        found = next((i for i, v in enumerate(values) if v is not None and alike(v)), None)
        if found is not None:
            return found
    return 0


def _confirmed(card_gray: np.ndarray, doc_type: str, boxes: tuple[Box, ...], crops: dict,
               known: dict) -> dict[str, Candidate]:
    """The fields a checked source (QR, MRZ) gave whose print the first look reads alike.

    The print is still read, so that a card whose print and code disagree is warned of (merge.py),
    but one look that agrees settles it: only a disagreement calls for every look's vote. A name
    agrees by its letters, as merge.py compares it: its marks are the fast model's weak spot."""
    boxes = tuple(box for box in boxes if box.field in known)
    first = _read_boxes(card_gray, boxes, LOOKS[0], crops)
    found = {}
    for field, readings in first.items():
        kind = next(box.kind for box in boxes if box.field == field)
        value = _normalise(field, kind, _joined(readings), doc_type)
        if value is not None and same_value(value, known[field], kind == "name"):
            found[field] = Candidate(value, "ocr", round(_read_confidence(readings), 3))
    return found


def _read_confidence(readings: list[ocr.Reading]) -> float:
    """Tesseract's confidence in a value's readings: their mean and their weakest character, half each."""
    return 0.5 * sum(r.mean for r in readings) / len(readings) + 0.5 * min(r.low for r in readings)


def read_fields(card_gray: np.ndarray, doc_type: str, boxes: tuple[Box, ...],
                known: dict | None = None, chroma: np.ndarray | None = None) -> dict[str, Candidate]:
    """OCR candidates for the fields whose values were found in `boxes` (labels.py) on this card side.

    Each box is read in every look of `looks.LOOKS` and the values vote: Tesseract's own
    confidence stays high on misreads, while looks that disagree reliably flag a doubtful value.
    When no value has two votes, the one the whole side's words pass read in the boxes (`Box.seen`)
    is taken if a look read it too.
    A field in `known` (a value the QR or MRZ gave) whose first look reads that value is not read
    again (`_confirmed`). A number printed in red is read from its own ink when `chroma` (the card's
    Cr) is given: the black marks of a name beside it painted over (`looks.own_ink`).
    """
    # a line whose print glare washed out in part is read stretched in every look
    crops = {box: evened(_value_crop(card_gray, chroma, box)) for box in boxes}
    settled = _confirmed(card_gray, doc_type, boxes, crops, known) if known else {}
    boxes = tuple(box for box in boxes if box.field not in settled)
    return settled | _voted(card_gray, doc_type, boxes, crops, chroma)


def _value_crop(card_gray: np.ndarray, chroma: np.ndarray | None, box: Box) -> np.ndarray:
    """A box's crop, a number's read from its own ink (`looks.own_ink`)."""
    crop = _crop(card_gray, box)
    return own_ink(crop, _crop(chroma, box)) if box.kind == "digits" and chroma is not None else crop


def _seen(field: str, kind: str, boxes: tuple[Box, ...], doc_type: str):
    """The value the whole side's words pass read in a field's boxes, or None: a reading apart from
    the looks', which read the same crops. Every line of the value must have been read there."""
    lines = [box.seen for box in boxes if box.field == field]
    return _normalise(field, kind, " ".join(lines), doc_type) if lines and all(lines) else None


def _read_whole(look: dict, looks: list[dict], field: str) -> bool:
    """Whether a look read every line of a value that some look read whole: a look that read an
    address's first line as nothing (a tight crop) votes for its second line alone, a wrong value."""
    def read_all(one: dict) -> bool:
        return all(r.text.strip() for r in one[field])
    return read_all(look) or not any(read_all(other) for other in looks)


def _voted(card_gray: np.ndarray, doc_type: str, boxes: tuple[Box, ...], crops: dict,
           chroma: np.ndarray | None = None) -> dict[str, Candidate]:
    """Each box read in every look, the values voting (read_fields); `chroma` as there."""
    kinds = {box.field: box.kind for box in boxes}
    looks = each(lambda look: _read_boxes(card_gray, boxes, look, crops), LOOKS)
    values_of = {field: [_normalise(field, kind, _joined(look[field]), doc_type) if _read_whole(look, looks, field)
                         else None for look in looks]
                 for field, kind in kinds.items()}
    # a value no look could read (print washed out by glare): its boxes read once more with the
    # local contrast stretched; a value found so has one vote of four
    retry = tuple(box for box in boxes if not any(v is not None for v in values_of[box.field]))
    if retry:
        again = _read_boxes(card_gray, retry, _faded)
        looks.append({**dict.fromkeys(kinds, []), **again})
        for field, kind in kinds.items():
            again_value = _normalise(field, kind, _joined(again[field]), doc_type) if field in again else None
            values_of[field].append(again_value)
    found = {}
    for field, kind in kinds.items():
        values = values_of[field]
        value, votes = vote(values)
        doubts = 0
        seen = _seen(field, kind, boxes, doc_type) if kind != "name" and votes <= 1 else None
        if seen is not None and seen in values:
            value, votes = seen, 2  # the looks each read another value: the one the words pass read too
        elif seen is not None and value is None and kind in _FORMED:
            # no look read a valid number or date (a stroke of the card's pattern read as one more
            # digit, lines crossing the crop): the whole side's words pass did, its form checked
            value, votes = seen, 1
        if kind == "name":
            value, votes, doubts = _spelled_name(values, [look[field] for look in looks],
                                                 _marks_judge(card_gray, doc_type), card_gray, chroma)
        readings = looks[_first_alike(values, value)][field]
        if value is None:
            # no value but `Không thời hạn`: its own reading says how sure it is
            words = _no_expiry(card_gray, boxes) if field == "date_of_expiry" else None
            if words is None:
                continue
            readings = [words]
            votes = max(1, sum(_says_no_expiry(_joined(look[field])) for look in looks))
        confidence = _read_confidence(readings) * _DISAGREE ** (len(LOOKS) - min(votes, len(LOOKS)) + doubts)
        if field in ADDRESS_FIELDS and (not plausible(value) or lacks_a_level(value, doc_type in _DISTRICTS_PRINTED)):
            confidence *= _DISAGREE  # (an address opening with its district, or lacking a level, lost a part)
        if field == "nationality" and value != NATIONALITY:
            confidence *= _DISAGREE  # a CCCD is a citizen's card: anything else was probably cut short
        if kind == "name" and len(value.split()) < 2:
            confidence *= _DISAGREE  # a surname alone: the rest of the name was covered or missed
        if any(box.inferred for box in boxes if box.field == field):
            confidence *= _DISAGREE  # a value found by the fields' order may be a neighbour's
        if any(box.cut for box in boxes if box.field == field):
            confidence *= _DISAGREE  # its first words hidden with its label's: what is read may be its end
        found[field] = Candidate(value, "ocr", round(confidence, 3))
    return found
