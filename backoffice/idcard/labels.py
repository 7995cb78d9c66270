"""Find each field from what is printed: the labels, then the value they point to (issue 19).

The words of a whole card side come from one Tesseract pass with their boxes (ocr.read_words).
Labels (`Họ và tên / Full name`, `Ngày sinh`, `Quê quán`, ...) are matched against runs of
consecutive words of a line, folded to ASCII without spaces or punctuation, so a label split over
two words, OCR slips (`Date 0f expiry`) and a missing `/` still match. A field's value is the words
to the label's right on the same row, up to the next label, or, when nothing is there, the line
below (for addresses, the next line too) up to the next label. The value's box is taken from the
words found there, never from a fixed position, and read again by the field reader (fields.py).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz

from .address import PART_OPENERS, ends_in_province
from .normalise import fold
from .ocr import WordBox

# field -> its label texts on the four document types, Vietnamese and English, as printed
LABELS: dict[str, tuple[str, ...]] = {
    "id_number": ("Số / No.", "Số định danh cá nhân / Personal identification number",
                  "Số định danh cá nhân", "Personal identification number", "Số"),
    "full_name": ("Họ và tên / Full name", "Họ và tên", "Full name", "Họ tên",
                  "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name",
                  "Họ, chữ đệm và tên khai sinh", "Surname, middle name and given name"),
    "date_of_birth": ("Ngày sinh / Date of birth", "Ngày sinh", "Date of birth", "Sinh ngày",
                      "Ngày, tháng, năm sinh / Date of birth", "Ngày, tháng, năm sinh"),
    "sex": ("Giới tính / Sex", "Giới tính"),
    "nationality": ("Quốc tịch / Nationality", "Quốc tịch", "Nationality"),
    "place_of_origin": ("Quê quán / Place of origin", "Quê quán", "Place of origin", "Nguyên quán",
                        "Nơi đăng ký khai sinh / Place of birth", "Nơi đăng ký khai sinh", "Place of birth"),
    "place_of_residence": ("Nơi thường trú / Place of residence", "Nơi thường trú", "Place of residence",
                           "Nơi ĐKHK thường trú", "Nơi cư trú / Place of residence", "Nơi cư trú"),
    "date_of_expiry": ("Có giá trị đến / Date of expiry", "Có giá trị đến", "Date of expiry",
                       "Ngày, tháng, năm hết hạn / Date of expiry", "Ngày, tháng, năm hết hạn"),
    "date_of_issue": ("Ngày, tháng, năm / Date, month, year", "Ngày, tháng, năm",
                      "Ngày, tháng, năm cấp / Date of issue", "Ngày, tháng, năm cấp", "Date of issue"),
}
# how the value of each field is read (ocr engine and normalisation, fields.py)
KINDS = {"id_number": "digits", "full_name": "name", "date_of_birth": "date", "sex": "sex",
         "nationality": "text", "place_of_origin": "text", "place_of_residence": "text",
         "date_of_expiry": "date", "date_of_issue": "date"}
MULTILINE = ("place_of_origin", "place_of_residence")  # values that may wrap onto a second line
_MATCH = 80  # fuzzy ratio from which a run of words is the label (`và tên` for `Họ và tên`: 83)
_ABOVE = 0.3  # line heights above the previous value's bottom from which a line is on its row, not under it
_OVERGROWN = 1.5  # times its line's median word height: an unsure word this tall is no word of the line
_TWICE = 1.8  # times its line's median word height: any word this tall is no word of the line
_UNREAD = 0.1  # a line whose every word is read below this confidence was not read at all (a garbled label)
_NOISE = 0.5  # a word of two characters or less below this confidence is a speck, not a word
_HIDDEN = 3  # label heights an address starts right of its label's column: its first words hidden
_GAP = 8  # label heights: a wider gap after a label (or between value words) ends its value
_GARBLED = 60  # fuzzy ratio from which a run opening an inferred value is its unread label
_LABEL_GAP = 2.0  # word heights: a wider gap between two words of a run makes it no one label
_LABEL_WORDS = 4  # a label printed in one language is this many words at most
_SCRAPS = 70  # the match a garbled label needs when scraps come before it
_ENGLISH_GARBLED = 50  # fuzzy ratio from which words after a label's slash are its English half, garbled
_LABEL_ALONE = 70  # fuzzy ratio from which a whole line is the field's garbled label, not its value
_INSIDE = 90  # a match below this that follows a value's word closely is part of that value
_CAPITALS = 95  # the match a run in capitals needs to be a label
_MISS_COST = 4  # a label's weight: its matched characters, each missed one costing this many
_SURE = 0.6  # confidence of a word whose height says how tall the side's text is
_WIDE = 3.0  # times a word's height per letter or digit: a "word" wider than this is no print
_LOW = 0.5  # of the side's sure words' median height: a run lower is no label, an unsure word lower no value's
_NUMBER_RUN = 4  # digits in a row after `Số` from which it is the number's label
_SHORT = 3  # labels this short (`Số`) must match exactly: too many words resemble them
_ALIGNED = 0.5  # label heights by which a value's first line may start right of its second, under its label
_ADDRESS_SCRAPS = 2  # scraps of a label that may be read before an address's first part
_ADDRESS_LABEL_WORDS = 5  # words of an address's label that may be read before its first part
_BILINGUAL_LABEL_WORDS = 9  # the same, of a bilingual label both of whose halves were read (`Nơi cư trú / Place of …`)
_LABEL_LEAD = 8  # label heights: a label this far right of its column's other labels lost its first words
_COLUMN_REACH = 8  # label heights above or below a label within which the labels of its column are looked for
_SIDE_BY_SIDE = 3  # value heights: a wider gap on a line parts two values printed side by side
_PIECE_GAP = 2  # value heights: a wider gap on a line parts two pieces of print (values, columns)
_NEXT_LINE = 1.5  # value heights below the previous value within which the next value's line starts
_NATIONALITY_WORDS = 4  # words a nationality has at most (`Việt Nam`), a scrap of its label included
_DATE_DIGITS = 10  # digits a piece of print holding one date has at most
_SMALL_PRINT = 0.7  # of a piece of print's tallest word: a word lower than this opening it is a label
_HOUSE_NUMBER = re.compile(r"\d+\w*,?")  # `12`, `12A`: a house number, before a street's name
_SEX_WORD = re.compile(r"n[a-z]{1,3}")  # how `Nam` or `Nữ` may be read
_NO_EXPIRY = "khongthoihan"  # `Không thời hạn`: a card without an expiry date
_OFF_ROW = 0.75  # label heights between a word's middle and the label's beyond which it is on another line
_OFF_LABEL = 0.3  # label heights: a word across the label whose middle is this far off the label's is on another line
MARKS = 0.4  # of a label's height: a "word" lower than this is a row of accents, not letters
_EDGE_GAP = 1.0  # word heights: a lone letter or digit further apart than this at a line's end is no word of it
_TALL = 2.5  # times the median height of the side's sure words: taller is not a printed word
# the CMND's issue date, `Ngày 12 tháng 03 năm 2010`: its words may be misread (`Algày`, `thảng`) or
# its first one lost, its digits not
_ISSUE_LINE = re.compile(r"([a-z]{0,6}?)(\d{1,2})([a-z]{3,7})(\d{1,2})([a-z]{2,4})(\d{4})")
_ISSUE_WORDS = ((1, "ngay", 50), (3, "thang", 60), (5, "nam", 50))  # group, word, least ratio


def squash(text: str) -> str:
    """Folded, lower case, letters and digits only: how labels and words are compared."""
    return re.sub(r"[^a-z0-9]", "", fold(text).lower())


_SQUASHED = {field: tuple(sorted({squash(t) for t in texts}, key=len, reverse=True))
             for field, texts in LABELS.items()}
# each field's English halves of its bilingual labels, squashed (`placeofresidence`)
_ENGLISH_HALVES = {field: tuple(sorted({squash(t.split(" / ")[1]) for t in texts if " / " in t}))
                   for field, texts in LABELS.items()}
# a label's English half found alone: the characters of the Vietnamese half printed before it (the
# fewest, of the bilingual labels it ends), squashed as the texts are
_BEFORE = {(field, squash(t.split(" / ")[1])): min(len(squash(u.split(" / ")[0] + "/")) for u in texts
                                                   if " / " in u and u.split(" / ")[1] == t.split(" / ")[1])
           for field, texts in LABELS.items() for t in texts if " / " in t}


@dataclass(frozen=True)
class Label:
    """A label found on the card: its field, the words it spans on its line, and its box."""

    field: str
    line: int
    first: int  # index of its first word in the line
    last: int  # index of its last word in the line
    box: tuple[int, int, int, int]
    score: float
    weight: float
    before: int = 0  # found from its English half: the width its Vietnamese half takes before it (px)


@dataclass(frozen=True)
class Region:
    """Where a field's value is printed, found from its label: one box per printed line."""

    field: str
    kind: str
    boxes: tuple[tuple[int, int, int, int], ...]
    text: str  # what the whole-card pass read there
    inferred: bool = False  # placed by the order of the fields, its own label not read
    cut: bool = False  # its first line starts right of where its label's column does: its start hidden


def lines_of(words: list[WordBox]) -> list[list[WordBox]]:
    """The words grouped by text line, lines top to bottom, words left to right.

    A "word" far taller than the side's text (a column of security print or a card edge read
    sideways, a thumb) is no printed word: beside a label it would stretch its value's box over
    several lines.
    """
    usual = usual_height(words)
    tallest = _TALL * usual if usual is not None else float("inf")
    lines: dict[int, list[WordBox]] = {}
    for word in words:
        if word.box[3] - word.box[1] <= tallest and not _stretched(word):
            lines.setdefault(word.line, []).append(word)
    # a "line" standing on end (print along the card's edge read sideways) is no text line either
    ordered = [_inside_edges(sorted(line, key=lambda w: w.box[0]))
               for line in lines.values() if not _standing(line, tallest)]
    return sorted(ordered, key=lambda line: min(w.box[1] for w in line))


def _inside_edges(line: list[WordBox]) -> list[WordBox]:
    """A line without a lone letter or digit at either end set apart from the rest by more than a word's
    height: the card's edge or the table beyond it, read down the side as a column of scraps (`U`, `I`,
    `5`, `h` after each line of an address). A value's words follow at a space's width."""
    def apart(a: WordBox, b: WordBox) -> bool:
        return b.box[0] - a.box[2] > _EDGE_GAP * max(_height(a.box), _height(b.box))
    if len(line) >= 2 and len(squash(line[-1].text)) == 1 and apart(line[-2], line[-1]):
        line = line[:-1]
    if len(line) >= 2 and len(squash(line[0].text)) == 1 and apart(line[0], line[1]):
        line = line[1:]
    return line


def usual_height(words: list[WordBox]) -> float | None:
    """The median height of a side's sure words (two letters or more, read with confidence), or None."""
    sure = [w.box[3] - w.box[1] for w in words if w.confidence >= _SURE and len(squash(w.text)) >= 2]
    return float(np.median(sure)) if sure else None


def _lowest(lines: list[list[WordBox]]) -> float:
    """The height under which a run is no label, and an unsure word no value's (`_LOW` of the side's print)."""
    return _LOW * (usual_height([w for line in lines for w in line]) or 0.0)


def _stretched(word: WordBox) -> bool:
    """Whether a "word" is far wider than its letters and digits could print: the edge of the portrait
    or the pattern read as marks and dots, fused with a label's first word (`.....Ềˆ` over 300 px,
    `Nơi` of `Nơi thường trú` in it) would stretch the label's box over the column left of it."""
    letters = len(squash(word.text))  # (a dash alone, `–` of `Chân Mây – Lăng Cô`, is long and flat)
    return letters > 0 and word.box[2] - word.box[0] > _WIDE * _height(word.box) * letters


def _standing(line: list[WordBox], tallest: float) -> bool:
    """Whether a line's words are stacked one above another rather than side by side."""
    x0, y0, x1, y1 = _union(w.box for w in line)
    return y1 - y0 > tallest and y1 - y0 > x1 - x0


def skew(lines: list[list[WordBox]]) -> float:
    """How many degrees the side's text lines slope (positive: rising to the right), from the lines
    of three sure words or more: the median over lines of the median slope between their words'
    bottoms (a descender or a comma moves one word's bottom, not the median)."""
    slopes = []
    for line in lines:
        sure = [w for w in line if w.confidence >= 0.6 and len(squash(w.text)) >= 2]
        if len(sure) < 3:
            continue
        pairs = [(b.box[3] - a.box[3]) / (b.box[0] - a.box[0]) for i, a in enumerate(sure) for b in sure[i + 1:]
                 if b.box[0] - a.box[0] > 2 * _height(a.box)]
        if pairs:
            slopes.append(float(np.median(pairs)))
    return -float(np.degrees(np.arctan(np.median(slopes)))) if len(slopes) >= 2 else 0.0


def _union(boxes) -> tuple[int, int, int, int]:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _middle_height(words: list[WordBox], lower: bool = False) -> int:
    """The words' middle height; of an even count, the upper of the two middles, or the lower."""
    heights = sorted(_height(w.box) for w in words)
    return heights[(len(heights) - lower) // 2]


def _label_box(words: list[WordBox]) -> tuple[int, int, int, int]:
    """A label's box: across all its words, and as tall as those of its words that are not overgrown
    (`thưởng` of `Nơi thường trú` read down from the value line above it, twice the others' height:
    the label's row would take that line's scraps as its value)."""
    usual = _middle_height(words)
    x0, _, x1, _ = _union(w.box for w in words)
    _, y0, _, y1 = _union(w.box for w in words if _height(w.box) <= _OVERGROWN * usual)
    return x0, y0, x1, y1


def _spans(line: list[WordBox], index: int) -> list[Label]:
    """For each label text, the run of this line's words that matches it best, if well enough."""
    squashed = [squash(w.text) for w in line]
    found = []
    for field, texts in _SQUASHED.items():
        for text in texts:
            best = None
            for first in range(len(line)):
                if not squashed[first]:
                    continue  # a run starts and ends at a word, not at a speck of punctuation
                joined = ""
                for last in range(first, len(line)):
                    joined += squashed[last]
                    if not squashed[last]:
                        continue
                    if len(joined) > len(text) + 3:
                        break
                    short = len(text) <= _SHORT
                    score = (100.0 if joined == text else 0.0) if short else fuzz.ratio(joined, text)
                    better = best is None or score > best.score
                    if score >= _MATCH and better and _fits(field, text, line, first, last, score):
                        box = _label_box(line[first:last + 1])
                        weight = len(text) * (1 - _MISS_COST * (100 - score) / 100)
                        before = round(_BEFORE.get((field, text), 0) * (box[2] - box[0]) / len(text))
                        best = Label(field, index, first, last, box, score, weight, before)
            if best:
                found.append(best)
    return found


def _fits(field: str, text: str, line: list[WordBox], first: int, last: int, score: float) -> bool:
    """Whether a matching run may be this label. Labels are printed in mixed case: a run in capitals
    (a name, `NGUYỄN QUỐC` against `Nguyên quán`) must match almost exactly, and is no label when
    the next word, at word spacing, is in capitals too (the name goes on). A short number label
    (`Số`) counts only before a number: addresses start with `Số` too."""
    run = "".join(w.text for w in line[first:last + 1])
    if len(squash(run)) > _SHORT and run.isupper():
        if score < _CAPITALS:
            return False
        after = line[last + 1] if last + 1 < len(line) else None
        if (after is not None and after.text.isupper() and len(squash(after.text)) >= 2
                and after.box[0] - line[last].box[2] <= _LABEL_GAP * max(_height(line[last].box), _height(after.box))):
            return False  # a name in capitals runs on in capitals: `NGUYỄN QUANG CƯỜNG` is no `Nguyên quán`
    if last > first and line[last].text.isupper() and len(squash(line[last].text)) >= 2 and not run.isupper():
        return False  # a word in capitals after a mixed-case label is the value's (`Họ và tên: LÊ`)
    for a, b in zip(line[first:last], line[first + 1:last + 1]):
        if b.box[0] - a.box[2] > _LABEL_GAP * max(_height(a.box), _height(b.box)):
            return False  # a label's words follow at word spacing: a wide gap joins two things
    if score < _INSIDE and first > 0:
        # a loose match run on from the words before it, at a word's spacing, is inside a value
        # (`Mới, Tỉnh` of an address is no `Giới tính`): a label starts a line or follows a gap
        before, start = line[first - 1].box, line[first].box
        if start[0] - before[2] < 0.8 * min(_height(before), _height(start)):
            return False
    if field != "id_number" or len(text) > _SHORT:
        return True
    following = "".join(w.text for w in line[last + 1:last + 3])
    # a number (or a blurred one read all as capitals, `TC ĐINH`: no address goes on in capitals; some
    # of its digits read are the number's part, found by them) after the label starting its line
    # (a run of digits: `số 123/UBND` of a page's text under the card holds digits in threes)
    longest = max((len(run) for run in re.findall(r"\d+", following)), default=0)
    return (sum(c.isdigit() for c in following) >= 6 and longest >= _NUMBER_RUN) or (
        first == 0 and len(squash(following)) >= 4 and not any(c.islower() or c.isdigit() for c in following))


def find_labels(lines: list[list[WordBox]]) -> list[Label]:
    """The labels printed on a card side, at most one per field.

    Runs of words are claimed by the heaviest match first (characters matched, misses costing
    more), so
    `Ngày, tháng, năm sinh` is the birth date's label, not the issue date's `Ngày, tháng, năm` plus
    a stray word; a run claimed once is no other label's. A run under half the height of the side's
    sure words is no label: the print of a page beyond the card's edge, cut by the outline.
    """
    lowest = _lowest(lines)  # print cut by the card's edge
    candidates = sorted((lb for i, line in enumerate(lines) for lb in _spans(line, i) if _height(lb.box) >= lowest),
                        key=lambda lb: -lb.weight)
    taken: set[tuple[int, int]] = set()
    chosen: dict[str, Label] = {}
    for label in candidates:
        words = {(label.line, i) for i in range(label.first, label.last + 1)}
        if words & taken:
            continue
        taken |= words
        chosen.setdefault(label.field, label)
    return sorted(chosen.values(), key=lambda lb: (lb.line, lb.first))


def _height(box) -> int:
    return max(1, box[3] - box[1])


def on_side(labels: list[Label], wanted: Sequence[str]) -> list[Label]:
    """The labels of the fields a side prints. `Ngày, tháng, năm` alone is the issue date's label, and
    opens the birth date's (`Ngày, tháng, năm sinh`) with its last word garbled (`sức`): on a side
    that prints a birth date and no issue date (every front), whose birth date's label was not read,
    it is that one's (the garbled word is read with the date: a date's reading takes its digits)."""
    fields = {label.field for label in labels}
    birth = "date_of_birth" in wanted and "date_of_issue" not in wanted and "date_of_birth" not in fields
    return [replace(label, field="date_of_birth") if birth and label.field == "date_of_issue" else label
            for label in labels if label.field in wanted or birth and label.field == "date_of_issue"]


def _same_row(label: Label, word: WordBox) -> bool:
    """A word beside the label: overlapping at least half the height of the shorter of the two
    (a larger value font sits higher; the next line's words overlap a blurred label's box less)."""
    return _overlapping(label.box, word)


def _overlapping(box: tuple[int, int, int, int], word: WordBox) -> bool:
    """Whether a word overlaps a box down the side by half the height of the shorter of the two."""
    overlap = min(box[3], word.box[3]) - max(box[1], word.box[1])
    return overlap >= 0.5 * min(_height(box), _height(word.box))


def speck(word: WordBox) -> bool:
    """A short, unsure, narrow word: a speck of the security print, not a word like `LÊ` or `Nữ`."""
    return not squash(word.text) or (word.confidence < _NOISE and _sliver(word))


def _overgrown(word: WordBox, words: list[WordBox]) -> bool:
    """An unsure word far taller than the line it was read in (`bế` over two lines, at 0.01), or any
    word nearly twice as tall (`phố` at 0.74, its box down through the next line's label): the
    pattern or the next line's strokes read with it. Its box would take the value's crop into the
    next line."""
    # of two words, the one not in question (`XI` read 60 px tall at 0.00 over `Việt` beside `Na`, 26 px)
    usual = _middle_height(words, lower=True)
    return _height(word.box) > (_OVERGROWN if word.confidence < _NOISE else _TWICE) * usual


def _meaningful(words: list[WordBox]) -> bool:
    """Whether words hold a value: two characters or more, specks not counted."""
    return sum(len(squash(w.text)) for w in words if not speck(w)) >= 2


def _label_words(labels: list[Label]) -> set[tuple[int, int]]:
    return {(lb.line, i) for lb in labels for i in range(lb.first, lb.last + 1)}


def _right_of(label: Label, lines, labels, claimed) -> list[WordBox]:
    """Words right of the label on its row, from near its end up to the next label on that row.

    A word that starts in the column where other labels start is the value of the label above it
    (an address line below `Nơi thường trú` beside `Có giá trị đến`), not this label's.
    """
    h = _height(label.box)
    stops = [lb.box[0] for lb in labels if lb is not label and _same_row(label, _as_word(lb))
             and lb.box[0] > label.box[2]]
    limit = min(stops, default=10**6)
    # columns of labels (two or more start there) level with or up to a few lines above: their values
    # run down past this label
    columns = [lb.box[0] for lb in labels if lb is not label and lb.box[0] > label.box[2]
               and -5 * h < lb.box[1] - label.box[1] < h and _in_column(lb, labels)]
    # a word whose middle is a line away from the label's, though its box (a tall misread one) reaches
    # the label's row, belongs to the line below or above
    middle = (label.box[1] + label.box[3]) / 2
    # a line with a word under the label (across it, off its middle) is the line below or above: a blurred
    # label's box, grown into the value's line under it, would take that line's words past its end for its
    # row, and lose the address's first words under it (`Thôn Trung,` of `Thôn Trung, Xã Giai Xuân, …`)
    under = {index for index, line in enumerate(lines) for i, w in enumerate(line)
             if (index, i) not in claimed and not speck(w) and _across(label, w)
             and abs((w.box[1] + w.box[3]) / 2 - middle) > _OFF_LABEL * h}
    # an unsure word far lower than the side's print is the tops of the next line's letters, read as a
    # scrap on the label's row (`Tn` 6 px high under a label grown into that line): no value's word
    lowest = _lowest(lines)
    # on a row that slopes (an outline a little off the card's corners warps its lines askew), the value
    # beside a long label sits lower or higher than the label's box: the words after the label on its own
    # line are followed word by word from its last, each on the row of the one before it
    own = label.line if label.line < len(lines) and label.last < len(lines[label.line]) else None
    row = sorted(((w, index == own and i > label.last) for index, line in enumerate(lines) for i, w in enumerate(line)
                  if index not in under and (index, i) not in claimed
                  and (w.confidence >= _NOISE or _height(w.box) >= lowest)
                  and label.box[2] - 4 <= w.box[0] < limit
                  and (index == own and i > label.last or _on_row(label.box, w, h))),
                 key=lambda pair: pair[0].box[0])
    found, end = [], label.box[2]
    previous = lines[own][label.last] if own is not None else None
    # a one-word value (the sex) ends at a gap that parts two values side by side: the rest of the row
    # is the next field's (`Nam   Quốc tịch: Việt Nam`, that label unread)
    for word, followed in row:
        if not _on_row(label.box, word, h) and not (
                followed and _on_row(previous.box, word, max(h, _height(previous.box)))):
            continue
        gap = _SIDE_BY_SIDE if found and label.field == "sex" else _GAP
        if word.box[0] - end > gap * h or (not found and any(abs(word.box[0] - c) < h for c in columns)):
            break
        found.append(word)
        end, previous = word.box[2], word if followed else previous
    return found


def _on_row(box: tuple[int, int, int, int], word: WordBox, h: float) -> bool:
    """Whether a word is on the row of a box (a label's, or its last word's) `h` high: overlapping it
    (_overlapping), its middle within _OFF_ROW of `h` of the box's."""
    return _overlapping(box, word) and abs((word.box[1] + word.box[3]) / 2 - (box[1] + box[3]) / 2) <= _OFF_ROW * h


def _past_english_half(field: str, words: list[WordBox]) -> list[WordBox]:
    """An address beside a label found from its Vietnamese half, its English half garbled past matching
    (`Quê quán / Plaee øf osgs. Phường Đống Đa, …` under blur): the words after the slash that still look
    like that half (`P1ce of orsgx:`, `Pụce 0ý resJerxe`: a digit read in them), or else those up to the
    first that opens an address's part or holds a digit, are that half, not the address's first part.
    All of them may be: the address is then under the label."""
    if not words or words[0].text.strip() != "/":
        return words
    halves = _ENGLISH_HALVES.get(field, ())
    # (the half ends before a word opening an address's part, or a house number before a street's name)
    opens = next((k for k, w in enumerate(words[1:], 1) if w.text.strip(",.:;").capitalize() in PART_OPENERS or (
        _HOUSE_NUMBER.fullmatch(w.text) and k + 1 < len(words) and words[k + 1].text[:1].isupper())), len(words))
    looks = [(fuzz.ratio("".join(squash(w.text) for w in words[1:k + 1]), half), k)
             for k in range(1, min(opens - 1, _LABEL_WORDS + 1) + 1) for half in halves]
    ratio, k = max(looks, default=(0.0, 0))
    if ratio >= _ENGLISH_GARBLED:
        return words[k + 1:]
    start = next((k for k, w in enumerate(words[1:_LABEL_WORDS + 2], 1)
                  if w.text.strip(",.:;").capitalize() in PART_OPENERS or any(c.isdigit() for c in w.text)), None)
    return words[start:] if start is not None and start > 1 else words  # (the same list when kept)


def _across(label: Label, word: WordBox) -> bool:
    """Whether a word spans more than half a label height of the label's width."""
    return min(word.box[2], label.box[2]) - max(word.box[0], label.box[0]) > _height(label.box) / 2


def _in_column(label: Label, labels: list[Label]) -> bool:
    """Whether another label starts where this one does: a column of labels, values below them."""
    h = _height(label.box)
    return any(other is not label and abs(other.box[0] - label.box[0]) < h for other in labels)


def _as_word(label: Label) -> WordBox:
    return WordBox("", label.box, label.line, 1.0)


def _below(label: Label, lines, labels, claimed, after_y: int, count: int,
           taken: frozenset = frozenset()) -> list[list[WordBox]]:
    """Up to `count` lines under the label (under after_y), from near its left edge to the next
    label beside it; stops at a line holding a label in its column, or words of `taken` (ids of the
    values printed beside other labels on their own rows: `Thôn Đông, …` right of `Quê quán` under a
    nationality's `Việt Nam` washed out by glare is the origin's).

    A run of words that starts, after a wide gap, in the column of a label to the right nearby is
    that label's value (an address beside `Có giá trị đến`), and ends this one.
    """
    h = _height(label.box)
    # (a label found from its English half starts where its Vietnamese half would: its value too)
    start = min(_column_start(label, labels), max(0, label.box[0] - label.before))
    beside = [lb for lb in labels if lb is not label and lb.box[0] > label.box[2] - h]
    right = min([lb.box[0] for lb in beside if abs(lb.box[1] - label.box[1]) < 0.6 * h], default=10**6)
    columns = [lb.box[0] for lb in beside if abs(lb.box[1] - label.box[1]) < 2 * h]
    # labels of a column to the left (`Có giá trị đến` under the portrait): a word ending before this
    # label starts, level with them, is their value's (`Không thời hạn` read into an address's line)
    left_of = [lb.box for lb in labels if lb.box[2] <= label.box[0]]
    found: list[list[WordBox]] = []
    bottom = after_y
    # each line's words in this label's column, by their own top: a portrait's edge or a speck at
    # the card's edge read into a line would lift the line's top out of order
    columns_of = []
    for index, line in enumerate(lines):
        # marks read apart from their letters (a row of accents over an unread line) are no line
        column = [(i, w) for i, w in enumerate(line)
                  if start - 3 * h <= w.box[0] < right and w.box[2] > start - h and not speck(w)
                  and _height(w.box) >= MARKS * h
                  and not (w.box[2] <= start and any(b[1] - 3 * h < w.box[1] < b[3] + 2.2 * h for b in left_of))]
        if column:
            columns_of.append((min(w.box[1] for _, w in column), index, column))
    for top, index, column in sorted(columns_of, key=lambda c: c[:2]):
        middle = float(np.median([(w.box[1] + w.box[3]) / 2 for _, w in column]))
        if top < bottom - 0.3 * h and middle < bottom:
            # the label's own line (a blurred label's box reaches into the line below it); or the rest of the
            # value's line above, which Tesseract parted from its first words (`Khu phố` read as a line with
            # the marks over the rest): what follows those words there continues them
            if found:
                end = found[-1][-1].box[2]
                rest = _run(label, [(i, w) for i, w in column if w.box[0] > end], index, claimed, columns, found[-1])
                if rest and rest[0].box[0] - end <= 2 * h:
                    found[-1] = found[-1] + rest
                    bottom = max(bottom, *(w.box[3] for w in rest))
            continue
        if top > bottom + 2.2 * h:
            break
        if any(lb.line == index and abs(lb.box[0] - label.box[0]) < 2 * h for lb in labels):
            break  # the next field's label starts this line, in this label's column
        words = _run(label, column, index, claimed, columns)
        if any(id(w) in taken for w in words):
            break  # another label's value on its own row
        if not _meaningful(words) or _stray(words, start, h):
            continue
        found.append(words)
        bottom = max(w.box[3] for w in words)
        if len(found) == count:
            break
    return found


def _stray(words: list[WordBox], start: int, h: int) -> bool:
    """A scrap of a letter or two far right of the label's column, alone on its line (`mỊ` read at the
    card's edge, level with an address's second line): no line of the value. What a thumb leaves of a line
    whose first words it hid is a word of three letters or more."""
    return words[0].box[0] - start > _GAP * h and sum(len(squash(w.text)) for w in words) <= 2


def _run(label: Label, column: list[tuple[int, WordBox]], index: int, claimed, columns: list[int],
         before: Sequence[WordBox] = ()) -> list[WordBox]:
    """A line's words in a label's column that hold its value (_below), after the words `before` it."""
    h = _height(label.box)
    words: list[WordBox] = []
    for k, (i, w) in enumerate(column):
        if (index, i) in claimed:
            break  # another label: what follows it on the line is its value (a residence beside an expiry's date)
        last = words[-1] if words else before[-1] if before else None
        after_gap = last is None or w.box[0] - last.box[2] > 1.5 * h
        if after_gap and any(abs(w.box[0] - c) < h for c in columns):
            break
        if last is not None and after_gap and label.field.startswith("date"):
            break  # a date is one run of print: what follows a gap is a neighbour's line
        if last is not None and w.box[0] - last.box[2] > _GAP * h and all(
                v.confidence < _NOISE for _, v in column[k:]):
            break  # unsure scraps alone far past the line's end: the page or table beside the card (not the rest
            # of a line whose middle glare washed out: sure words follow there)
        words.append(w)
    return words


def _column_start(label: Label, labels: list[Label]) -> int:
    """Where the label's column of labels starts, when the label was found from a later word (its
    first words misread or read as a line of their own: `án / Place oforigin:` of `Quê quán / Place
    of origin`): the left edge of the labels above and below it that start a few letters left of it.
    Its value's lines start there too."""
    h = _height(label.box)
    column = [lb.box[0] for lb in labels if lb is not label and 0 < label.box[0] - lb.box[0] <= _LABEL_LEAD * h
              and abs(lb.box[1] - label.box[1]) <= _COLUMN_REACH * h]
    left = [x for x in column if sum(abs(x - other) < h for other in column) >= 2]  # two labels start there
    return min(left, default=label.box[0])


def regions(lines: list[list[WordBox]], labels: list[Label], fields: tuple[str, ...]) -> list[Region]:
    """Where each wanted field's value is printed, from the labels found."""
    claimed = _label_words(labels)
    by_field = {lb.field: lb for lb in labels}
    # the words right of each label on its row, read once: its own value's start, and what other labels stop at
    rights = {lb.field: _right_of(lb, lines, labels, claimed) for lb in labels if lb.field in fields}
    besides = {f: _beside_value(f, words) for f, words in rights.items()}
    found = []
    for field in fields:
        label = by_field.get(field)
        if label is None:
            continue
        taken = frozenset(id(w) for other, words in besides.items() if other != field for w in words)
        parts: list[list[WordBox]] = []
        right = rights[field]
        beside = _past_english_half(field, right) if field in MULTILINE else right
        # (the value then starts at its first word: its crop is not stretched back over that half)
        lead = beside[0].box[0] if beside is not right and beside else None
        right = beside
        if _no_date(field, right):
            right = []  # words beside a date's label that hold no date are not it (print, a speck, a neighbour)
        if KINDS[field] == "name" and right and not _fits_kind(field, right):
            # no word in capitals beside a name's label (its English sub-line, garbled: `⁄Sutname,
            # middle narrie`) while the line under it has some: the name is under it
            under = _below(label, lines, labels, claimed, label.box[3], 1, taken)
            right = [] if under and _fits_kind(field, under[0]) else right
        if _meaningful(right):
            parts.append(right)
            if field in MULTILINE and not _whole_address(right):
                parts += _below(label, lines, labels, claimed, max(w.box[3] for w in right), 1, taken)
        else:
            parts = _below(label, lines, labels, claimed, label.box[3], 2 if field in MULTILINE else 1, taken)
            if len(parts) > 1 and _whole_address(parts[0]):
                parts = parts[:1]  # the line under a whole address is the next field's, its label unread
            first = "".join(squash(w.text) for w in parts[0]) if parts else ""
            if (field.startswith("date") and first and not re.search(r"\d", first)
                    and fuzz.ratio(first, _NO_EXPIRY) < 70):
                # an English sub-line of the label (`Date of expiry`) sits between it and the value
                parts = _below(label, lines, labels, claimed, max(w.box[3] for w in parts[0]), 1, taken)
        whole = parts
        parts = [[w for w in p if not speck(w) and not _overgrown(w, p) and not _into_next_row(w, label, labels, field)]
                 or p for p in parts]  # (would stretch the box)
        if parts:
            boxes = [_widened(_union(w.box for w in p), [w for w in every if w not in p])
                     for p, every in zip(parts, whole)]
            # a value's first words may have been missed by the whole-side pass (glare, blur): its
            # line starts at the label's end (beside) or at the label's left edge (below)
            h = _height(label.box)
            start = (lead or label.box[2] + h) if _meaningful(right) else label.box[0]
            cut = field in MULTILINE and not _meaningful(right) and _start_hidden(label, boxes[0])
            reach = 2 * h
            if (not _meaningful(right) and len(boxes) > 1 and boxes[1][0] >= _column_start(label, labels) - h
                    and boxes[0][0] - boxes[1][0] > _ALIGNED * h):
                # under its label, a value's lines start together: a first line starting right of its
                # second (in the label's column) lost its first words to the pass (`Ấp` under blur)
                start, reach = min(start, boxes[1][0]), _ALIGNED * h
            boxes = [(start if b[0] - start > reach else b[0], *b[1:]) for b in boxes[:1]] + [
                (label.box[0] if b[0] - label.box[0] > 2 * h else b[0], *b[1:]) for b in boxes[1:]]
            found.append(Region(field, KINDS[field], tuple(boxes), " ".join(w.text for p in parts for w in p),
                                cut=cut))
    return found


def _widened(box: tuple[int, int, int, int], dropped: list[WordBox]) -> tuple[int, int, int, int]:
    """A value line's box as wide as the sure words left out of it for their height: such a word is the
    value's, its box only stretched up or down into another line (`VĂN SƠN` boxed 75 px tall through the
    number above them under blur, beside `NG` and `N` 30 px tall: the name's crop ended inside `SƠN`)."""
    sure = [w for w in dropped if w.confidence >= _SURE and not speck(w)]
    if not sure:
        return box
    return min(box[0], *(w.box[0] for w in sure)), box[1], max(box[2], *(w.box[2] for w in sure)), box[3]


def _into_next_row(word: WordBox, label: Label, labels: list[Label], field: str) -> bool:
    """Whether a word of a one-line value reaches down past the middle of a later label's row: the line
    under it read into the word (`QUỐC` boxed down through `1971` of the birth date under it, its `Q`'s
    tail touching the digits). Its box would take the value's crop into that line."""
    if field in MULTILINE:
        return False
    h = _height(label.box)
    below = [(lb.box[1] + lb.box[3]) / 2 for lb in labels if lb.box[1] >= label.box[3] - 0.3 * h]
    return bool(below) and word.box[3] > min(below)


def _beside_value(field: str, right: list[WordBox]) -> list[WordBox]:
    """The words right of a field's label on its row (`_right_of`) when they can be its value (a date's
    digits, a name's capitals), else none: what `regions` takes beside it before looking under it."""
    if _no_date(field, right) or (KINDS[field] == "name" and not _fits_kind(field, right)):
        return []
    return right if _meaningful(right) else []


def _no_date(field: str, words: list[WordBox]) -> bool:
    """Whether words beside a date's label hold no date."""
    return field.startswith("date") and bool(words) and not _date_like(words)


def _start_hidden(label: Label, first: tuple[int, int, int, int]) -> bool:
    """Whether an address under a label found from its English half starts well right of where the
    label's Vietnamese half starts (as wide as its letters): the two lines start together, so what
    hid the label's first words (a thumb over the corner, glare) hid the address's first words too.
    A Vietnamese half garbled by blur alone leaves the address's first words read where they start."""
    return label.before > 0 and first[0] - (label.box[0] - label.before) > _HIDDEN * _height(label.box)


def past_label(field: str, address: str) -> str:
    """An address read from its first part when its label was read into it before that part: a
    scrap or two (`s, Xã Liêm Hà`, `ấ Số 12`: words of two letters at most), the label's last words
    (`trú Số 105`) or the label garbled
    (`Xe DKIK thượng SỐ 186` for `Nơi ĐKHK thường trú`). A house number or a street before the first
    part that opens with a type word (`12 Lê Lợi, Phường 3`) is the address's own."""
    words = address.split()
    if not words or words[0].strip(",.") in PART_OPENERS:
        return address
    k = next((k for k in range(1, min(len(words), _BILINGUAL_LABEL_WORDS + 1))
              if words[k].strip(",.").capitalize() in PART_OPENERS), None)  # the first word that opens a part
    # (more words before it only where both halves of a bilingual label were read: `khả sinh / Pháce of burth`)
    if k is None or any(c.isdigit() for w in words[:k] for c in w) or (
            k > _ADDRESS_LABEL_WORDS and "/" not in words[:k]):
        return address
    scraps = k <= _ADDRESS_SCRAPS and all(len(w.strip(",.:;")) <= 2 for w in words[:k])
    said = squash(" ".join(words[:k]))
    # (or the label's last words: `trú Số 105` of `Nơi thường trú`, or its last word after a scrap of the
    # rest: `xe trú, Số 166`)
    last = squash(words[k - 1])
    tail = any(len(said) >= 2 and text.endswith(said) or len(last) >= 3 and text.endswith(last)
               for text in _SQUASHED[field])
    if scraps or tail or max(fuzz.ratio(said, text) for text in _SQUASHED[field]) >= _GARBLED:
        return " ".join(words[k:])
    return address


def _whole_address(words: list[WordBox]) -> bool:
    """Whether an address's line ends with its province: the address does not wrap onto the next."""
    return ends_in_province(" ".join(w.text for w in words))


def _date_like(words: list[WordBox]) -> bool:
    """Whether words can hold a date: six digits or more, or `Không thời hạn`."""
    text = "".join(squash(w.text) for w in words)
    return sum(c.isdigit() for c in text) >= 6 or fuzz.partial_ratio(_NO_EXPIRY, text) >= 70


def _issue_line(squashed: str) -> bool:
    """Whether squashed words say `Ngày D tháng M năm YYYY` (a word misread, or `Ngày` lost)."""
    found = _ISSUE_LINE.fullmatch(squashed)
    return found is not None and all(
        fuzz.ratio(found[group], word) >= least for group, word, least in _ISSUE_WORDS
        if found[group] or group != 1)


def issue_line(lines: list[list[WordBox]]) -> Region | None:
    """The CMND back's `Ngày 12 tháng 03 năm 2010`: a value that is its own label (on one text line, or two
    Tesseract parted level with each other: `Ngày 05 tháng 12` and `năm 2003`)."""
    for line in [*lines, *_level_pairs(lines)]:
        for first in range(len(line)):
            for last in range(first + 2, min(len(line), first + 8)):
                words = line[first:last + 1]
                if _issue_line("".join(squash(w.text) for w in words)):
                    return Region("date_of_issue", "dateline", (_union(w.box for w in words),),
                                  " ".join(w.text for w in words))
    for line in lines:  # part of it washed out by glare (`Ngày … 03 năm 2007`, `năm 201`): read again whole
        texts = [squash(w.text) for w in line]
        for first, opening in enumerate(texts):
            year = next((k for k in range(first + 3, min(len(line), first + 8))
                         if re.fullmatch(r"(19|20)\d{0,2}", texts[k]) and fuzz.ratio(texts[k - 1], "nam") >= 60), None)
            if fuzz.ratio(opening, "ngay") >= 75 and year is not None:
                words = line[first:year + 1]
                x0, y0, x1, y1 = _union(w.box for w in words)
                digit = (line[year].box[2] - line[year].box[0]) / len(texts[year])
                return Region("date_of_issue", "dateline", ((x0, y0, round(x1 + digit * (4 - len(texts[year]))), y1),),
                              " ".join(w.text for w in words))
    return None


def _level_pairs(lines: list[list[WordBox]]) -> list[list[WordBox]]:
    """Each two text lines of which the second goes on where the first ends, level with it (on its row,
    a gap of at most _SIDE_BY_SIDE of its height between them), joined into one."""
    pairs = []
    for line in lines:
        end = line[-1]
        for other in lines:
            start = other[0]
            if other is not line and _overlapping(end.box, start) and 0 <= start.box[0] - end.box[2] <= (
                    _SIDE_BY_SIDE * _height(end.box)):
                pairs.append(line + other)
    return pairs


def number_region(lines: list[list[WordBox]], lengths: tuple[int, ...]) -> Region | None:
    """The ID number when its label was not read: the topmost word of 9 or 12 digits (by `lengths`), else
    the topmost word as long as the number with one character of it read as no digit (glare over its first
    digit, its label washed out too: `z51198759107`), trusted less (inferred): its crop is read again."""
    for line in lines:
        for word in line:
            digits = sum(c.isdigit() for c in word.text)
            if digits in lengths and digits >= 0.8 * len(squash(word.text)):
                return Region("id_number", "digits", (word.box,), word.text)
    for line in lines:
        for word in line:
            text = squash(word.text)
            if len(text) in lengths and sum(c.isdigit() for c in text) == len(text) - 1:
                return Region("id_number", "digits", (word.box,), word.text, True)
    return None


def number_part(lines: list[list[WordBox]], length: int) -> Region | None:
    """The ID number's line when glare washed out a stretch of it, its label not read either: the
    topmost line whose words of digits alone (no date: no `/`) hold half its digits or more. The
    region spans them, the washed-out digits between them included; it is marked inferred."""
    for line in lines:
        numeric = [w for w in line if squash(w.text).isdigit() and "/" not in w.text]
        if numeric and sum(len(squash(w.text)) for w in numeric) >= length // 2:
            return Region("id_number", "digits", (_union(w.box for w in numeric),),
                          " ".join(w.text for w in numeric), True)
    return None


def infer_missing(lines: list[list[WordBox]], labels: list[Label], found: list[Region],
                  wanted: tuple[str, ...]) -> list[Region]:
    """Values of fields whose label was not read, from the order the side prints its fields in: the
    rest of the previous value's row past a wide gap, else the first line between the previous
    field's value and the next field's label that can hold the value (`_fits_kind`). A leading run
    of words in the labels' column (the unread label itself, `Họotna`) is left out. With no later
    label read at all (small print blurred past reading), the values' order and look alone place
    them (`_in_order`). Each value placed so is the previous one for the next field. These values
    are marked `inferred`: the reader trusts them less.
    """
    by_field = {region.field: region for region in found}
    label_of = {label.field: label for label in labels}
    claimed = _label_words(labels)
    used = {id(w) for region in found for w in words_in(lines, region.boxes)}
    columns = [lb.box[0] for lb in labels]  # where labels start: a word there is an unread label
    labels_start = float(np.median(columns)) if columns else 0.0  # the labels' column
    inferred = []
    for index, field in enumerate(wanted):
        if field in by_field:
            continue
        before = next((f for f in reversed(wanted[:index]) if f in by_field), None)
        # the next label read, unless it lies wholly left of the labels' column: a label of the column
        # under the portrait (`Có giá trị đến`) ends nothing in the values' column
        after = next((f for f in wanted[index + 1:] if f in label_of
                      and label_of[f].box[2] > labels_start - _height(label_of[f].box)), None)
        if before is not None and after is None and field not in label_of:
            # no later label read: the values' order and look alone place a value whose label was not read
            later = [by_field[f] for f in wanted[index + 1:] if f in by_field
                     and max(b[2] for b in by_field[f].boxes) > labels_start]  # (not a value under the portrait)
            column = min(b[0] for f in wanted[:index] if f in by_field for b in by_field[f].boxes)  # values start
            region = _in_order(lines, claimed, used, by_field[before], later, field, column)
            if region is not None:
                inferred.append(region)
                by_field[field] = region
                used |= {id(w) for w in words_in(lines, region.boxes)}
            continue
        if before is None or after is None:
            continue
        top = max(b[3] for b in by_field[before].boxes)
        bottom = label_of[after].box[1]
        h = _height(label_of[after].box)
        beside = _beside(lines, claimed, used, by_field[before].boxes[-1], h, field)
        if beside is not None:
            inferred.append(beside)
            by_field[field] = beside
            used |= {id(w) for w in words_in(lines, beside.boxes)}
            continue
        following = label_of[after].box
        for i in range(len(lines)):
            words = _free(lines, claimed, used, i)
            # (most of its words on that row: a scrap at the card's edge reaching down to it, `Dư` before a
            # name, does not make the line above it that row)
            if (words and 2 * sum(_same_row(label_of[after], w) for w in words) > len(words)
                    and following[0] > words[0].box[2]):
                # the next label's row, the value before it (`Nam` left of an unread sex label's neighbour
                # `Quốc tịch`): what is left of that label
                words = [w for w in words if w.box[2] <= following[0]]
            elif words and float(np.median([w.box[3] for w in words])) > bottom + 0.3 * h:
                continue  # (most of its words past the next label's top: a scrap's box may reach lower, `Dư`)
            # (a line on the previous value's row, not under it: its words' tops, not their highest
            # mark's, and not against a speck's box under the previous value, `„` under the number)
            if not words or float(np.median([w.box[1] for w in words])) < top - _ABOVE * h:
                continue
            words = _past_scraps(words, h)
            start = words[0].box[0]  # the line's start, its unread label included: a wrapped line starts there
            if any(abs(words[0].box[0] - c) < h for c in columns):
                # the unread label and the gap after it: a label is a few words at most
                # (a word in capitals is a value's, a name's: `TRỊ` before glare washed out `NH D`)
                capitals = next((k for k, w in enumerate(words) if w.text.isupper() and len(squash(w.text)) >= 2),
                                len(words) - 1)
                gaps = [k for k in range(1, capitals + 1) if words[k].box[0] - words[k - 1].box[2] > 1.5 * h]
                if gaps and gaps[0] <= _LABEL_WORDS and (_fits_kind(field, words[gaps[0]:])
                                                        or not _fits_kind(field, words)):
                    words = words[gaps[0]:]  # (unless only what the gap follows can hold the value: `Nam`)
            words = _unlabelled(field, words)
            if KINDS[field] == "name":
                words = _from_capitals(words)
            # the value ends at a gap as wide as one that ends a value beside its label (a speck at
            # the card's edge, or the next field's label and value on the same row, are not part of it;
            # a sex's word ends at a narrower one, the nationality beside it)
            words = _runs(words, (_SIDE_BY_SIDE if field == "sex" else _GAP) * h)[0] if words else words
            if not _meaningful(words) or _aside(words, labels_start, h):
                continue  # a speck at the card's edge is no line: the value may be the next one
            if not _fits_kind(field, words):
                break  # the next line cannot hold the value (a date's line read without its digits): none
            parts = [words]
            if field in MULTILINE:  # an address wraps: the line right under it, starting where it does
                parts += _wrapped(lines, claimed, used, words, start, bottom, h)
            inferred.append(Region(field, KINDS[field], tuple(_union(w.box for w in p) for p in parts),
                                   " ".join(w.text for p in parts for w in p), True))
            by_field[field] = inferred[-1]  # the next field's value comes after this one
            used |= {id(w) for p in parts for w in p}
            break
    return inferred


def _runs(words: list[WordBox], gap: float) -> list[list[WordBox]]:
    """Words of a line cut where the space between two of them is wider than `gap` px."""
    runs: list[list[WordBox]] = []
    for k, word in enumerate(words):
        if not runs or word.box[0] - words[k - 1].box[2] > gap:
            runs.append([])
        runs[-1].append(word)
    return runs


def _free(lines, claimed, used, index: int) -> list[WordBox]:
    """A line's words that no label claims, no value holds, and that are no speck."""
    return [w for j, w in enumerate(lines[index]) if (index, j) not in claimed and id(w) not in used and not speck(w)]


def _rest_of_row(lines, claimed, used, last: tuple, h: float) -> list[WordBox]:
    """The free words on a value's row right of it past a gap that parts two values side by side."""
    row = sorted((w for i in range(len(lines)) for w in _free(lines, claimed, used, i)
                  if last[1] <= (w.box[1] + w.box[3]) / 2 <= last[3] and w.box[0] > last[2]), key=lambda w: w.box[0])
    if not row or row[0].box[0] - last[2] <= _SIDE_BY_SIDE * h:
        return []
    return _runs(row, _GAP * h)[0]


def _beside(lines, claimed, used, last: tuple, h: float, field: str) -> Region | None:
    """A one-line value printed on the previous value's row after a wide gap, its label unread
    (`Nữ      Quốc tịch: Việt Nam`), if what is there can hold it and a word of it was read sure (a thumb's
    or glare's edge past the number is read as unsure letters, `nh THẾ`). Marked `inferred`."""
    rest = _rest_of_row(lines, claimed, used, last, h)
    rest = _unlabelled(field, _past_small_print(rest)) if rest else rest
    if (field in MULTILINE or not _meaningful(rest) or not _fits_kind(field, rest)
            or max(w.confidence for w in rest) < _SURE):
        return None
    return Region(field, KINDS[field], (_union(w.box for w in rest),), " ".join(w.text for w in rest), True)


def _value_height(lines: list[list[WordBox]]) -> float:
    """The height of a value's print on this side: the median of its sure words' heights."""
    sure = [_height(w.box) for line in lines for w in line if w.confidence >= 0.6 and len(squash(w.text)) >= 2]
    return float(np.median(sure)) if sure else 0.0


def _segments(lines, claimed, used, h: float) -> list[list[WordBox]]:
    """Each line's free words cut at gaps wider than two line heights (two values side by side,
    `Giới tính: Nam   Quốc tịch: Việt Nam`; the column under the portrait and the values' beside it), in
    reading order."""
    found = []
    for i in range(len(lines)):
        found += _runs(_free(lines, claimed, used, i), _PIECE_GAP * h)
    return found


def _past_small_print(words: list[WordBox]) -> list[WordBox]:
    """Words without the smaller print that opens them: a label too small or soft to be read
    (`Nase=ewe` for `Nơi thường trú`) printed before a value in a larger face."""
    typical = float(np.median([_height(w.box) for w in words]))  # (a word's box may be read taller)
    first = next((k for k, w in enumerate(words) if _height(w.box) >= _SMALL_PRINT * typical
                  or (w.text.isupper() and len(squash(w.text)) >= 2)), 0)  # (labels are in mixed case)
    return words[first:]


def _fits_kind(field: str, words: list[WordBox]) -> bool:
    """Whether words can hold the field's value: a date's digits, a sex's word, a name's capitals, a
    nationality's word or two (not an address's line)."""
    squashed = [squash(w.text) for w in words]
    kind = KINDS[field]
    if field == "nationality":
        return len(words) <= _NATIONALITY_WORDS and any(len(s) >= 2 and s.isalpha() for s in squashed)
    if kind == "date":  # a date's eight digits, a digit or two lost or gained; not a run of the card's pattern
        return _date_like(words) and sum(c.isdigit() for c in "".join(squashed)) <= _DATE_DIGITS
    if kind == "sex":  # `Nam` or `Nữ`, a letter misread (`Na`, `Nế`), not the `Nam` of `Việt Nam`
        return any(_SEX_WORD.fullmatch(s) and (i == 0 or squashed[i - 1] != "viet") for i, s in enumerate(squashed))
    if kind == "name":
        return any(sum(c.isupper() for c in w.text) >= 2 and w.text.isupper() for w in words)
    return any(len(s) >= 2 and s.isalpha() for s in squashed)


def _in_order(lines, claimed, used, previous: Region, later: list[Region], field: str,
              column: int) -> Region | None:
    """A value whose label and every later field's label were not read (print too small or soft on
    a card far from the lens): the next piece of print after the previous field's value, in reading
    order (the rest of its row after a wide gap, else the lines below, a line height or so apart),
    that can hold a value of this kind. Smaller print that opens it is its label; an address's
    second line is taken unless the first already ends with its province or the next opens with a
    label of its own. Marked `inferred`: the reader trusts it less."""
    h = _value_height(lines)
    if not h:
        return None
    last = previous.boxes[-1]
    bottom = min((min(b[1] for b in region.boxes) for region in later), default=10**6)
    kind = KINDS[field]
    beside = _beside(lines, claimed, used, last, h, field)
    if beside is not None:
        return beside
    floor = last[3]  # how far down print was passed: the previous value's bottom, a label's middle
    for words in _segments(lines, claimed, used, h):
        top = min(w.box[1] for w in words)
        middle = (top + max(w.box[3] for w in words)) / 2
        if last[1] <= middle <= last[3] or not (middle >= floor - 0.3 * h and top <= floor + _NEXT_LINE * h):
            continue  # the previous value's row (what follows it there was tried), or not the next line
        if max(w.box[3] for w in words) > bottom + 0.3 * h:
            continue
        if kind != "date" and words[-1].box[2] < column:
            continue  # print left of the values' column (the portrait's edge); a date may be there (an expiry)
        start = words[0].box[0]  # where the line starts, its label included: a wrapped line starts there
        value = _unlabelled(field, _past_small_print(words))
        if (max(_height(w.box) for w in words) < _SMALL_PRINT * h or not _meaningful(value)
                or all(w.confidence < _UNREAD for w in words)):
            # a line of small print alone, or of the label alone (read as nothing Tesseract knows,
            # `)SIlUDSIT6 tIỂN` for `Nơi thường trú:`): the value is below it
            floor = max(floor, round(middle))
            continue
        words = value
        if not _fits_kind(field, words):
            continue
        parts = [words]
        if field in MULTILINE and not _whole_address(words):
            below = max(w.box[3] for w in words)
            for more in _segments(lines, claimed, used | {id(w) for w in words}, h):
                top = min(w.box[1] for w in more)
                if (below - 0.3 * h <= top <= below + _NEXT_LINE * h
                        and min(abs(more[0].box[0] - start), abs(more[0].box[0] - column)) <= 2 * h
                        and _past_small_print(more)[0] is more[0] and _meaningful(more)
                        and max(_height(w.box) for w in more) >= _SMALL_PRINT * h  # (no label of its own)
                        and max(w.box[3] for w in more) <= bottom + 0.3 * h):
                    parts.append(more)
                    break
        return Region(field, kind, tuple(_union(w.box for w in p) for p in parts),
                      " ".join(w.text for p in parts for w in p), True)
    return None


def _aside(words: list[WordBox], labels_start: float, h: float) -> bool:
    """Whether a line's words are unsure scraps wholly left of the labels' column: the emblem's or the
    portrait's edge read as print (`cổ Trời` under a blurred CMND's emblem, above its name), no line of
    the values right of the labels, nor any value under the portrait (that is printed sure). A narrow
    word of two letters at most is such a scrap however sure (`lị` at 0.52: the card's edge, a stroke
    of the emblem): no value of the portrait's column is that short and narrow."""
    return (all(w.confidence < _NOISE or _sliver(w) for w in words)
            and max(w.box[2] for w in words) < labels_start - h)


def _sliver(word: WordBox) -> bool:
    """A word of two letters at most, narrower than most of its height: a stroke read as letters."""
    x0, y0, x1, y1 = word.box
    return len(squash(word.text)) <= 2 and (x1 - x0) < 0.6 * (y1 - y0)


def _past_scraps(words: list[WordBox], h: float) -> list[WordBox]:
    """A line's words from the first run that holds a value: a run of scraps before a gap that would
    end a value (the card's edge or the background's print where the outline fell short) is left out."""
    runs = _runs(words, _GAP * h)
    first = next((i for i, run in enumerate(runs) if _meaningful(run)), 0)
    return [w for run in runs[first:] for w in run]


def _wrapped(lines, claimed, used, first: list[WordBox], start: int, bottom: int, h: int) -> list[list[WordBox]]:
    """The second line of an address found by the fields' order: the next line down, below its first
    line by at most a line's gap, above the next label, starting within two label heights of where
    the first line starts (`start`: its unread label's start, or its value's)."""
    below = max(w.box[3] for w in first)
    for i in range(len(lines)):
        words = _free(lines, claimed, used, i)
        if not words or id(words[0]) in {id(w) for w in first}:
            continue
        top = min(w.box[1] for w in words)
        if below - 0.3 * h <= top <= below + 1.5 * h and max(w.box[3] for w in words) <= bottom + 0.3 * h:
            if min(abs(words[0].box[0] - x) for x in (start, first[0].box[0])) <= 2 * h and _meaningful(words):
                return [words]
    return []


def _from_capitals(words: list[WordBox]) -> list[WordBox]:
    """A name's line from its first word in capitals, when words mostly in lower case come before one:
    the unread label (`sexée` for `Họ và tên`) at a name's spacing. A name is printed in capitals."""
    def lower(word: WordBox) -> bool:
        letters = [c for c in word.text if c.isalpha()]
        return bool(letters) and 2 * sum(c.islower() for c in letters) >= len(letters)
    first = next((k for k, w in enumerate(words) if w.text.isupper() and len(squash(w.text)) >= 2), None)
    return words[first:] if first and all(lower(w) or speck(w) for w in words[:first]) else words


def _unlabelled(field: str, words: list[WordBox]) -> list[WordBox]:
    """A line's words without a leading run too garbled to have matched the field's label but
    still more like it than anything else (`nọvà ta:` for `Họ và tên:`), nor the scraps before it
    (`ì SỆ`: a word or two of two letters at most, the portrait's edge). Labels are printed in
    mixed case: a run in capitals is a value (`HỒ VĂN` is no `Họ và tên`). A whole line goes only
    when it is more like the label (`lê quán:` alone on its line, the value below it)."""
    best, cut = _GARBLED, 0
    for start in range(0, min(len(words), 3)):
        if start and len(squash(words[start - 1].text)) > 2:
            break  # only scraps may come before the label
        for end in range(start + 1, min(len(words), start + 3) + 1):
            if any(w.text.isupper() for w in words[start:end]):
                break
            joined = "".join(squash(w.text) for w in words[start:end])
            score = max(fuzz.ratio(joined, text) for text in _SQUASHED[field])
            if score >= max(best, _LABEL_ALONE if end == len(words) else 0, _SCRAPS if start else 0):
                best, cut = score, end
    return words[cut:]


def words_in(lines: list[list[WordBox]], boxes) -> list[WordBox]:
    """The words inside boxes (a region's), in reading order."""
    return [w for line in lines for w in line
            if any(b[0] <= w.box[0] and w.box[2] <= b[2] and b[1] <= w.box[1] and w.box[3] <= b[3]
                   for b in boxes)]


DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")


def spare_date(lines: list[list[WordBox]], found: list[Region], field: str, latest: bool = True) -> Region | None:
    """A printed date that no found field holds, the latest (an expiry: `Có giá trị đến` in small
    print beside the portrait) or the earliest (an issue date, its label under a thumb), for a date
    field whose label was not read. Marked `inferred`."""
    held = {id(w) for region in found for w in words_in(lines, region.boxes)}
    dates = [w for line in lines for w in line if id(w) not in held and DATE.search(w.text)]
    if not dates:
        return None
    pick = max if latest else min
    chosen = pick(dates, key=lambda w: DATE.search(w.text).group()[-4:])
    return Region(field, KINDS[field], (chosen.box,), chosen.text, True)
