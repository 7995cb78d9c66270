"""Extraction pipeline: load, find the card, orient, classify, then QR, MRZ and labelled fields, merged.

Nothing is read from a fixed place on the card (issue 19): outlines proposed by several cues are
kept when the card's content confirms them (a QR code, MRZ lines, printed labels or title words),
the MRZ is found by its line shapes, and each field by its printed label.
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime

import cv2
import numpy as np

from backoffice.business_time import BUSINESS_TZ

from . import labels, mrzlines, ocr, shake
from .classify import MRZ_SIDES, QR_BONUS, QR_SIDES, best_score, classify, side_scores
from .confirm import confirm, derive_expiry
from .fields import Candidate, read_fields
from .images import open_image, to_bgr
from .layout import CARD_H, CARD_W, PRINTED, Box
from .looks import flattened, sharpened, stretched, washed
from .merge import as_json, cross_check, merge
from .mrz import MrzResult, parse_td1
from .normalise import fold
from .parallel import each
from .qr import QrPayload, decode, decode_hard, decode_soft, parse_payload, seen_unreadable
from .rectify import EITHER, MAX_SIDE, UNSKINNED, Outline, downscale, find_outlines, warp, whole_photo

QR_CONFIDENCE = 0.99
MRZ_CONFIDENCE = {0: 0.99, 1: 0.97}  # by corrections; more corrections still passed every check
MRZ_CORRECTED = 0.95
# where a card's QR is printed: its top-right corner upright, its bottom-left upside down (flipped)
_QR_CORNERS = (((CARD_W - CARD_W // 4, 0, CARD_W, CARD_H * 2 // 5), False),
               ((0, CARD_H - CARD_H * 2 // 5, CARD_W // 4, CARD_H), True))
_SURE_PRINT = 0.9  # an OCR number read this sure may stand against the MRZ's repair (_printed_number)
WORDS_SCALE = 1.0  # the whole-side pass: at 0.75, blurred 20 px labels were lost
_MRZ_SCALES = (0.6, 0.8, 1.0)
_SURE_TITLE = 12  # a side whose best marker score reaches this needs no 180° retry
_DATED_BACKS = (("cccd_chip", "back"), ("cccd_barcode", "back"))  # a back with a date of issue in figures
_WORDED_BACK = ("cmnd", "back")  # a back with its date of issue in words (`Ngày 30 tháng 03 năm 2003`)
_CONFIRMING_LABELS = 3  # labels found that confirm an outline is the card
_OUTLINES_TRIED = 5  # outlines read at most before the colour and texture's union and the whole photo
_BOXES_TRIED = 3  # the least rectangles around regions read at most, after every other outline and the photo
_NESTED = 0.8  # of a confirmed outline's area: an outline inside it this small may be the card itself
# an outline this much inside a confirmed one is nested in it: a background outline drawn past the card
# under a light gradient holds the card but for a sliver at one corner
_INSIDE = 0.9
# times an outline's area: the least rectangle around a region holding it and this much larger takes in what
# lies around the card (a thumb past its corner, the page): its labels are read smaller
_AROUND_AREA = 1.1
# cues whose outlines are read only when no other outline was confirmed: the whole photo, and the
# region plainer than the table (on most tables, a plain part of the card itself: a second read for nothing)
_LAST_RESORT = ("whole", "texture", EITHER)
_FRAMING = 0.85  # of the photo's area: a confirmed outline this large runs along the photo's edges, not a card's
_MORE_LABELS = 2  # labels an outline around the kept one must read beyond it to replace it
_ASKEW = 1.5  # degrees more than the kept one's that the rows of an outline around it may slope, to replace it
_CUT = 0.01  # of the card's width: print this near a side of the warp runs past it (a card's margin is wider)
_WIDEN = 0.05  # of its width, at each end: an outline that cuts the card is read stretched by this much
_PAST_EDGE = 0.1  # of the card: an outline whose print runs off a side is stretched past it by this much at a time
_STRETCHES = 3  # times at most
_OFF_LETTERS = 3  # letters or digits of a word whose reaching a side says the print runs off it
_OFF_TALL = 0.7  # of the median height of such words read surely: a lower one is no line of the card's print
_OFF_SURE = 0.6  # confidence of a word whose height says how tall the card's print is
_OFF_READ = 0.3  # confidence below which a word reaching a side is noise, not print running off
_RECUTS = 2  # other outlines read at most for one that cuts the card
_OVER = 0.5  # of a cutting outline's area inside another: that one is over the same card
# a TD1 card's MRZ (_card_around): its lines span this share of the card's width (ICAO 9303: 76.2 of 85.6 mm;
# cards print it 82-90% wide), its last line's middle lies this many line pitches above the card's bottom,
# and the card drawn around it is larger by this share of its size each way
_MRZ_SPAN, _MRZ_FOOT, _MRZ_SLACK = 0.87, 1.4, 0.03
_AROUND = 0.25  # of the card's size: the margin of photo around an outline where an MRZ missed on it is looked for
_BOX_PAD = 0.35  # of a value line's height, above and below its words' box (diacritics, descenders)
_SOFTEST = 1.8  # px of blur on the warped card: past what the light sharpening of the words and looks undoes
_REFOCUS = 2.0  # the unsharp mask's amount for a card softer than that (at its own blur's sigma)
_SKEW = (0.7, 10.0)  # degrees of text slope worth levelling: less costs a pass for nothing, more is no card
_BESIDE = 5  # label heights right of a sex's label searched for its unread word
_READ_BESIDE = ("sex", "nationality")  # values printed right of their label on every card that prints them
_PROBE = 2.2  # label heights below a line (or label) searched for a value line the words pass missed
_INK, _INK_ROW = 130, 0.04  # a dark pixel of the card divided by its paper; a row with this share of them
_MARK = 0.5  # of a line's letter height: a "word" this short (and narrow) read above or below it is a mark
_HOLE = 3  # word heights: a wider gap between two words of an address line is a hole in it
_COVER, _INKLESS = 25, 0.02  # a hole this much darker than the paper, with this share of ink at most, is covered
_PALE = 190  # a pixel divided by its paper paler than this is no print, however blurred
_STRETCH = 6  # line heights of a row over which its share of ink is taken (a short line is not paler)
_ASCENT = 0.4  # line heights a line of ink may grow above and below its core rows (capitals, marks, descenders)
# values read with a restricted alphabet: a crop widened over the card's pattern beside them still
# reads as the digits (the sex or a name would take the pattern in as letters)
_WHITELISTED = ("date", "digits")
_MARK_GAP = 0.2  # of a name's line height: the blank rows between a mark and its letter, or two marks
_MARKS_SPREAD = 0.35  # of a name's width: the marks over it cover less
_FUSED_GAP = 0.2  # of a line's height: blank columns at least this wide part a label fused to its value
_NAME_RISE = 0.9  # of a name's line height above its words' box within which the marks over it may end
_LEAD = 0.15  # of a name's line height, left of its first word's box (not into its label)
_FOLLOWED = ("name", "digits")  # besides addresses: values whose last word may be lost, followed on their ink
_WORDS_MORE = 5  # line heights an address line may be followed right past its last word read
_WORD_GAP = 0.8  # label heights of blank columns that end unread print before a value
_INK_GAP = 2.5  # line heights of blank columns that end a line of ink
_SURE_WORD = 0.6  # confidence of a word whose box says where a text line is
_JOINED = 2.0  # times the side's usual word height: a "word" this tall is two lines read as one
_INK_DENSE = 0.4  # share of a row in ink above which it is a photo, a code or a shadow, not print
_ROWS_ABOVE = 4.4  # word heights above the first label read apart too (the number's line over the name's)
_BAND_PAD = 0.3  # of the usual word height, above and below a band read apart
_BANDS_APART = 4  # bands read apart at most on one side (each costs a small words pass)
_COLUMN = 0.15  # of the card's width: a column left of the labels' narrower than this holds no field
NOT_FOUND = "card: not found in the photo"


@dataclass
class SideView:
    """One photo after finding and orienting the card: the upright card, what it shows, the words."""

    gray: np.ndarray
    qr: QrPayload | None
    scores: dict
    lines: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    band: mrzlines.Band | None = None
    mrz: MrzResult | None = None
    warnings: list = field(default_factory=list)
    qr_on_card: bool = False  # the QR was decoded on the warped card, not only somewhere in the photo
    quad: np.ndarray | None = None  # the outline read, in the photo's pixels
    # the card's red-difference chroma (YCrCb's Cr), turned with `gray`: which ink is red (looks.own_ink)
    chroma: np.ndarray | None = None
    upside_down: bool = False  # `gray` is the warp of `quad` turned 180 degrees (its right is the quad's left)

    @property
    def content(self) -> float:
        """How much the content confirms this is a card side: title words, labels, QR, MRZ."""
        return best_score(self.scores) + 8 * len(self.labels)

    @property
    def confirmed(self) -> bool:
        """Whether the content says this is a card side, upright: its title or labels, or a QR decoded
        on it (a QR decoded only elsewhere in the photo says nothing of this outline: the card's
        portrait is card-shaped too)."""
        elsewhere = QR_BONUS if self.qr is not None and not self.qr_on_card else 0
        return best_score(self.scores) - elsewhere >= _SURE_TITLE or len(self.labels) >= _CONFIRMING_LABELS


def _gray(card: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)


def _find_qr(card: np.ndarray, photo: np.ndarray):
    """The QR code and whether the card is upside down (QR printed top right), or (None, None).

    The warped card first, then its corners enlarged, then the photo, then the card with its
    contrast evened out locally (CLAHE) and at two thresholds, for a code under glare. (A code out of
    focus is read sharpened once the words say the side prints one: `_read_soft_qr`.)
    """
    found = decode(card)
    if found:
        return found.text, found.centre[0] < CARD_W / 2
    # small or soft codes: an upscaled crop of either top-right or (if upside down) bottom-left quarter
    for (x0, y0, x1, y1), flipped in _QR_CORNERS:
        found = decode(_enlarged(card[y0:y1, x0:x1]))
        if found:
            return found.text, flipped
    found = decode(photo)
    if found:
        return found.text, None
    gray = _gray(card)
    found = decode_hard(gray) if seen_unreadable(gray) else None
    return (found.text, found.centre[0] < CARD_W / 2) if found else (None, None)


def _read_words(view: SideView, has_qr: bool):
    # sharpened (blurred labels), then divided by its paper: under uneven light Tesseract's global
    # threshold loses the bright side
    lines = labels.lines_of(ocr.read_words(flattened(sharpened(view.gray)), WORDS_SCALE))
    _take(view, lines, labels.find_labels(lines), has_qr)


def _take(view: SideView, lines: list, found: list, has_qr: bool):
    """The side's words, labels and scores from these lines."""
    view.lines, view.labels = lines, found
    text = " ".join(w.text for line in lines for w in line)
    view.scores = side_scores(text, has_qr, view.mrz is not None, [label.field for label in found])


def _missing_labels(view: SideView) -> bool:
    """Whether the side the words say this is prints labels that were not found (print washed out
    by glare or faded: the whole-side pass dropped its words). A CMND back's `Ngày 12 tháng 03 năm
    2010` is its date's label as well as its value: read, it is no label missing. Nor is `Số` where
    the number it labels was read whole (`sẽ: 066155409901`): its two letters are misread more often
    than any other label, and the number is found without them (labels.number_region)."""
    if not view.scores:
        return False
    side = max(view.scores, key=view.scores.get)
    wanted = PRINTED.get(side, ())
    found = {label.field for label in view.labels}
    if _issue_line(view.lines, wanted, found):
        found.add("date_of_issue")
    if "id_number" in wanted and "id_number" not in found and labels.number_region(view.lines, (_length(side[0]),)):
        found.add("id_number")
    return any(f not in found for f in wanted)


def _length(doc_type: str) -> int:
    """The digits of a document type's ID number."""
    return 9 if doc_type == "cmnd" else 12


def _issue_line(lines: list, wanted: tuple, found: set) -> labels.Region | None:
    """A CMND back's `Ngày 12 tháng 03 năm 2010`, its date's label as well as its value, where the
    side prints a date of issue whose label was not read."""
    return labels.issue_line(lines) if "date_of_issue" in wanted and "date_of_issue" not in found else None


def _score(words) -> float:
    return sum(w.confidence * len(labels.squash(w.text)) for w in words)


def _overlaps(a, b) -> bool:
    """Whether two word boxes cover each other: half the shorter's height and some width."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    return across > 0 and down >= 0.5 * min(a[3] - a[1], b[3] - b[1])


def merge_lines(first: list, second: list) -> list:
    """The first pass's words with each text line of the second pass put in place of the first's
    words it covers, where the second read more (confidence x characters) there: a line the
    first pass lost to glare is taken from the second, a line it read well is kept."""
    words = list(first)
    offset = 1 + max((w.line for w in first), default=0)
    for line in labels.lines_of(second):
        top, bottom = min(n.box[1] for n in line), max(n.box[3] for n in line)
        covered = [w for w in words if w.box[3] >= top and w.box[1] <= bottom  # rows apart cover nothing
                   and any(_overlaps(w.box, n.box) for n in line)]
        if _score(line) > _score(covered):
            gone = {id(w) for w in covered}
            words = [w for w in words if id(w) not in gone]
            words += [ocr.WordBox(n.text, n.box, n.line + offset, n.confidence) for n in line]
    return words


def _read_faded(view: SideView, has_qr: bool):
    """A second whole-side pass over the print with its local contrast stretched, when labels the
    side prints were not found, its lines merged in; kept when it finds more labels. Not where no
    label was read and nothing else confirms the outline (the portrait, the page around the card):
    on tuning cards that pass found a label on none of 50 such outlines, at 0.1-0.3 s each."""
    if not _missing_labels(view) or not (view.labels or view.confirmed):
        return
    words = [w for line in view.lines for w in line]
    merged = merge_lines(words, ocr.read_words(stretched(sharpened(view.gray)), WORDS_SCALE))
    lines = labels.lines_of(merged)
    found = labels.find_labels(lines)
    if len(found) > len(view.labels):
        _take(view, lines, found, has_qr)


def _read_column(view: SideView, has_qr: bool):
    """The print left of the labels' column read apart, when labels the side prints were not found:
    Tesseract's page layout joins a row of the column under the portrait (`Có giá trị đến` and its
    date) to the row of the fields beside it, and reads neither. Kept when it finds more labels."""
    if not _missing_labels(view) or len(view.labels) < _CONFIRMING_LABELS:
        return
    starts = sorted(label.box[0] for label in view.labels)
    heights = sorted(label.box[3] - label.box[1] for label in view.labels)
    edge = starts[len(starts) // 2] - heights[len(heights) // 2]  # a label's height left of the column
    if edge < _COLUMN * CARD_W:
        return
    column = ocr.read_words(flattened(sharpened(view.gray[:, :edge])), WORDS_SCALE)
    offset = 1 + max((w.line for line in view.lines for w in line), default=0)
    kept = [w for line in view.lines for w in line if (w.box[0] + w.box[2]) / 2 >= edge]
    lines = labels.lines_of(kept + [ocr.WordBox(w.text, w.box, w.line + offset, w.confidence) for w in column])
    found = labels.find_labels(lines)
    if len(found) > len(view.labels):
        _take(view, lines, found, has_qr)


def _moved(words: list, dx: int, dy: int) -> list:
    """Words read on a part of the side, with their boxes on the whole side."""
    return [ocr.WordBox(w.text, (w.box[0] + dx, w.box[1] + dy, w.box[2] + dx, w.box[3] + dy), w.line, w.confidence)
            for w in words]


def _read_halves(view: SideView, has_qr: bool):
    """A back's halves read apart when no date of issue was read on it: Tesseract's page layout can join
    a CCCD's issue date's row to the barcode's stripes beside it and read neither (its label under a
    thumb, nothing else finds it), and leave out a CMND's `Ngày … tháng … năm …` beside the boxes of its
    fingerprints. Their lines are merged in where they read more; kept when a date is read then."""
    side = max(view.scores, key=view.scores.get) if view.scores else None
    if side not in (*_DATED_BACKS, _WORDED_BACK) or _dated(view.lines, side):
        return
    words = [w for line in view.lines for w in line]
    for x0, x1 in ((0, CARD_W // 2), (CARD_W // 2, CARD_W)):
        half = ocr.read_words(flattened(sharpened(view.gray[:, x0:x1])), WORDS_SCALE)
        words = merge_lines(words, _moved(half, x0, 0))
    lines = labels.lines_of(words)
    if _dated(lines, side):
        _take(view, lines, labels.find_labels(lines), has_qr)


def _dated(lines: list, side: tuple) -> bool:
    """Whether a back's lines hold its date of issue: in words on a CMND's, in figures on a CCCD's."""
    if side == _WORDED_BACK:
        return labels.issue_line(lines) is not None
    return any(labels.DATE.search(w.text) for line in lines for w in line)


def _rows_apart(view: SideView, has_qr: bool):
    """Rows of print the page layout lost, read apart, when labels the side prints were not found.

    On a small blurred card Tesseract's page layout may join two lines into one (`Số` and its
    number under `Họ và tên`, read as two "words" two lines tall) or drop a line whole. Right of
    the labels' left edge, each run of ink rows no sure word covers is read on its own, and each
    band of such two-line words is split at its faintest row and read as two lines; their lines
    are merged in where they read more. Kept when more labels are found.
    """
    if not _missing_labels(view) or len(view.labels) < 2:
        return
    words = [w for line in view.lines for w in line]
    sure = [w for w in words if w.confidence >= _SURE_WORD and len(labels.squash(w.text)) >= 2]
    if len(sure) < 5:
        return
    usual = float(np.median([w.box[3] - w.box[1] for w in sure]))
    left = max(0, min(label.box[0] for label in view.labels) - int(usual))
    top = max(0, min(label.box[1] for label in view.labels) - int(_ROWS_ABOVE * usual))
    bottom = min(CARD_H, max(w.box[3] for w in words) + int(usual))
    joined = [w for w in words if w.box[3] - w.box[1] >= _JOINED * usual and (w.box[0] + w.box[2]) / 2 >= left]
    lined = [w for w in sure if w not in joined and (w.box[0] + w.box[2]) / 2 >= left]
    covered = np.zeros(CARD_H, bool)
    ink = flattened(view.gray[:, left:]) < _INK
    unread = ink.copy()  # ink where no sure word was read (a word's marks and descenders are its own)
    pad = round(_ASCENT * usual)
    for w in lined:
        unread[max(0, w.box[1] - pad):max(0, w.box[3] + pad), max(0, w.box[0] - left):max(0, w.box[2] - left)] = False
    share = ink.mean(axis=1)
    # text no word covers, beside a word read on its row too (a name's first words under a number read
    # two lines tall), and not a photo or code
    inked = (_row_shares(unread, round(usual)) >= _INK_ROW) & (share <= _INK_DENSE)
    bands = []
    for w in joined:  # two lines read as one: the band cut at its faintest middle row
        a, b = max(0, w.box[1]), min(CARD_H, w.box[3])
        middle = slice(a + (b - a) // 4, b - (b - a) // 4)
        cut = middle.start + int(np.argmin(share[middle])) if middle.stop > middle.start else (a + b) // 2
        bands += [_line_of(lined, a, cut), _line_of(lined, cut, b)]
        covered[a:b] = True
    rows = np.flatnonzero(inked & ~covered)
    rows = rows[(rows >= top) & (rows < bottom)]
    if len(rows):
        for run in np.split(rows, np.flatnonzero(np.diff(rows) > 2) + 1):
            if run[-1] - run[0] + 1 >= _MARK * usual:
                bands.append((int(run[0]), int(run[-1]) + 1))
    if not bands:
        return
    pad = int(_BAND_PAD * usual)
    merged = words
    for a, b in _distinct(bands)[:_BANDS_APART]:
        a, b = max(0, a - pad), min(CARD_H, b + pad)
        part = ocr.read_words(flattened(sharpened(view.gray[a:b, left:])), WORDS_SCALE)
        merged = merge_lines(merged, _moved(part, left, a))
    lines = labels.lines_of(merged)
    found = labels.find_labels(lines)
    if _reads(lines, found) > _reads(view.lines, view.labels):
        _take(view, lines, found, has_qr)


def _reads(lines: list, found: list) -> int:
    """What a side's words give its fields: its labels, and its ID number found without one."""
    return len(found) + (labels.number_region(lines, (9, 12)) is not None)


def _line_of(words: list, a: int, b: int) -> tuple[int, int]:
    """The rows a..b grown to the words read on them (half their height or more inside): the rest
    of a joined line's row, its label beside, is read with it."""
    on = [w for w in words if min(b, w.box[3]) - max(a, w.box[1]) > (w.box[3] - w.box[1]) / 2]
    return min([a] + [w.box[1] for w in on]), max([b] + [w.box[3] for w in on])


def _distinct(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The bands top to bottom, one of two that overlap by half the shorter dropped."""
    kept: list[tuple[int, int]] = []
    for a, b in sorted(set(bands)):
        if not any(min(b, d) - max(a, c) > (min(b - a, d - c)) / 2 for c, d in kept):
            kept.append((a, b))
    return kept


def _turned(view: SideView) -> SideView:
    gray = cv2.rotate(view.gray, cv2.ROTATE_180)
    band = mrzlines.locate(gray) if view.band else None
    chroma = cv2.rotate(view.chroma, cv2.ROTATE_180) if view.chroma is not None else None
    return SideView(gray, view.qr, {}, band=band, mrz=read_mrz(gray, band) if band else None,
                    qr_on_card=view.qr_on_card, quad=view.quad, chroma=chroma, upside_down=not view.upside_down)


def _read_side(photo: np.ndarray, quad: np.ndarray) -> SideView:
    """Warp one outline of the card, orient it (QR, then MRZ, then words) and read its words."""
    card = warp(photo, quad)
    qr_text, flipped = _find_qr(card, photo)
    payload = parse_payload(qr_text) if qr_text else None
    gray, chroma = _gray(card), cv2.cvtColor(card, cv2.COLOR_BGR2YCrCb)[..., 1]
    if flipped:
        gray, chroma = cv2.rotate(gray, cv2.ROTATE_180), cv2.rotate(chroma, cv2.ROTATE_180)
    view = SideView(gray, payload, {}, band=mrzlines.locate(gray),
                    qr_on_card=payload is not None and flipped is not None, quad=quad, chroma=chroma,
                    upside_down=bool(flipped))
    if flipped is None and view.band is not None and view.band.centre_y < CARD_H / 2:
        view = _turned(view)  # the MRZ is printed at the bottom of the back: a hint, the words decide
    # only an MRZ that passes its check digits counts as one: a printed page has even lines too
    view.mrz = read_mrz(view.gray, view.band) if view.band else None
    _read_words(view, payload is not None)
    if flipped is None and not view.confirmed:
        turned = _turned(view)
        _read_words(turned, payload is not None)
        if turned.content > view.content:
            view = turned
    view = _levelled(view, payload is not None)
    _read_faded(view, payload is not None)
    _read_column(view, payload is not None)
    _read_halves(view, payload is not None)
    _rows_apart(view, payload is not None)
    if payload is None:
        _read_soft_qr(view)
    return view


def _enlarged(crop: np.ndarray) -> np.ndarray:
    return cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _read_soft_qr(view: SideView):
    """A QR out of focus (a shallow depth of field, a blurred photo) on a side whose words say it
    prints one (a chip card's front, a căn cước's back): its corner of the upright card enlarged and
    sharpened. Tried only there: sharpening costs every side without a code some 30 ms."""
    if not view.scores or max(view.scores, key=view.scores.get) not in QR_SIDES:
        return
    (x0, y0, x1, y1), _ = _QR_CORNERS[0]
    found = decode_soft(_enlarged(view.gray[y0:y1, x0:x1]))
    payload = parse_payload(found.text) if found else None
    if payload is not None:
        view.qr, view.qr_on_card = payload, True
        _take(view, view.lines, view.labels, True)


def _levelled(view: SideView, has_qr: bool) -> SideView:
    """The side turned so its text lines run level, its words read again, when the lines found
    slope (an outline a few degrees off under perspective or a finger): on sloping lines a value's
    row takes in words of the line above or below, and each value's crop cuts through its letters."""
    angle = labels.skew(view.lines)
    if not _SKEW[0] <= abs(angle) <= _SKEW[1]:
        return view
    turn = cv2.getRotationMatrix2D((CARD_W / 2, CARD_H / 2), -angle, 1.0)  # clockwise for a rising line
    gray, chroma = (cv2.warpAffine(image, turn, (CARD_W, CARD_H), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE) if image is not None else None
                    for image in (view.gray, view.chroma))
    level = SideView(gray, view.qr, {}, band=view.band, mrz=view.mrz, warnings=view.warnings,
                     qr_on_card=view.qr_on_card, quad=view.quad, chroma=chroma, upside_down=view.upside_down)
    _read_words(level, has_qr)
    return level if level.content >= view.content else view


def analyse(photo: np.ndarray) -> SideView:
    """Find the card in a photo, orient it and read its words.

    Each proposed outline (rectify.py) is warped and read until one's content confirms it; the whole
    photo is tried last (a scan, or a card filling the frame) and, like every outline, kept only if
    its content confirms it. Otherwise the best guess is kept with a warning.

    A photo whose card shows a shake's streak (shake.py) is read steadied as well, and the reading
    whose content says more is kept: the streak is measured, and an unlike one (a photo out of focus,
    a print's own pattern) would only smear it more. An unmistakable streak whose steadied card is
    found is not read as taken. A photo without a streak whose card is soft once warped (`_refocused`)
    is read sharpened as well, and kept the same way.
    """
    outlines = find_outlines(photo)
    streak = shake.streak(_box_gray(photo, outlines[0].quad)) if outlines else None
    if streak is None:
        view = _analysed(photo, outlines)
        sharp = _refocused(photo, view)
        if sharp is not None:
            other = _analysed(sharp, outlines)
            if _says_more(other, view):
                return _mrz_around(sharp, other)
        return _mrz_around(photo, view)
    steadied = shake.steadied(photo, streak)
    steady = _analysed(steadied, outlines)
    # an unmistakable streak: no photo out of focus or print's pattern shows one, not read as taken
    if streak.alone < shake.UNMISTAKABLE or NOT_FOUND in steady.warnings:
        view = _analysed(photo, outlines)
        if not _says_more(steady, view):
            return _mrz_around(photo, view)
    return _mrz_around(steadied, steady)


def _refocused(photo: np.ndarray, view: SideView) -> np.ndarray | None:
    """The photo sharpened to its card's blur where the warped card's edges are softer than `_SOFTEST` px
    (a small card blurred in the photo, its blur enlarged with it by the warp), else None."""
    if view.quad is None or NOT_FOUND in view.warnings:
        return None
    soft = shake.defocus(view.gray)
    if soft <= _SOFTEST:
        return None
    quad = view.quad.astype(np.float64)
    width = (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
    return sharpened(photo, soft * width / CARD_W, _REFOCUS)


def _mrz_around(photo: np.ndarray, view: SideView) -> SideView:
    """A back that prints an MRZ, none read on it: the MRZ looked for in the photo around the outline as
    well (its outline drawn across a pale card on a white page runs through the MRZ and cuts its
    lines; only an MRZ that passes every check is taken, whatever else lies around the card)."""
    if (view.mrz is not None or view.quad is None or NOT_FOUND in view.warnings or not view.scores
            or max(view.scores, key=view.scores.get) not in MRZ_SIDES):
        return view
    gray = _gray(warp(photo, view.quad, _AROUND))
    band = mrzlines.locate(gray)
    if band is not None and band.centre_y < gray.shape[0] / 2:  # printed at the bottom of the back
        gray = cv2.rotate(gray, cv2.ROTATE_180)
        band = mrzlines.locate(gray)
    view.mrz = read_mrz(gray, band) if band else None
    if view.mrz is not None:
        _take(view, view.lines, view.labels, view.qr is not None)
    return view


def _box_gray(photo: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The photo inside an outline's bounding box, in grey (empty where the box is outside the photo)."""
    x, y, w, h = cv2.boundingRect(quad.astype(np.int32))
    crop = photo[max(y, 0):max(y + h, 0), max(x, 0):max(x + w, 0)]
    return cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.size else np.zeros((0, 0), np.uint8)


def _says_more(view: SideView, other: SideView) -> bool:
    """Whether a view's content says more than another's: a found card over one not found, then content."""
    return ((NOT_FOUND not in view.warnings, view.content) >
            (NOT_FOUND not in other.warnings, other.content))


def _analysed(photo: np.ndarray, found: list[Outline]) -> SideView:
    # the colour and texture regions together are tried after the others, before the whole photo; the
    # others past the best three only where none of those is the card (a pale card on a white desk: its
    # tint's bands outline strips of it, the pieces' outline, fourth, all of it); the region without its
    # skin after those (its portrait's face and a tint of the card's own may be skin-coloured). The least
    # rectangles around regions come after the whole photo: a rectangle is no card seen askew, and one around
    # part of a card filling the frame (a scan) reads most of its labels; each is read where the outline kept
    # misses labels or holds it (_best_confirmed), or where nothing else is the card
    own = [o for o in found if not o.boxed]
    outlines = ([o for o in own if o.cue not in (EITHER, UNSKINNED)][:_OUTLINES_TRIED]
                + [o for o in own if o.cue == UNSKINNED] + [o for o in own if o.cue == EITHER]
                + [whole_photo(photo)] + [o for o in found if o.boxed][:_BOXES_TRIED])
    best = None
    for i, outline in enumerate(outlines):
        view = _read_side(photo, outline.quad)
        # a QR decoded on the warped card confirms its outline; one decoded only elsewhere in the photo
        # does not (the card's portrait is card-shaped too), nor does the whole photo warped as the card
        if view.confirmed or (view.qr_on_card and outline.cue != "whole"):
            return _best_confirmed(photo, outline, outlines[i + 1:], view)
        if best is None or view.content > best.content:
            best = view
    return _by_mrz(photo, best)


def _by_mrz(photo: np.ndarray, best: SideView) -> SideView:
    """Where no outline is confirmed, the card of a back found from its MRZ (issue 19: the MRZ lines are a
    cue as the outlines are; _mrz_in_photo), read and kept if its content confirms it; if not, the MRZ is
    kept with the best outline's view, which stays not found."""
    found = _mrz_in_photo(photo)
    if found is not None:
        mrz, quad = found
        view = _read_side(photo, quad)
        view.mrz = view.mrz or mrz
        if view.confirmed:
            return view
        best.mrz = best.mrz or mrz
    best.warnings.append(NOT_FOUND)
    return best


def _mrz_in_photo(photo: np.ndarray) -> tuple[MrzResult, np.ndarray] | None:
    """An MRZ anywhere in the photo, upright or upside down (mrzlines.in_photo), whose reading passes its
    check digits, and the outline of its card (_card_around, in the photo's pixels, each corner the card's
    own); None when none is read."""
    gray = _gray(photo)
    for turned in (False, True):
        look = cv2.rotate(gray, cv2.ROTATE_180) if turned else gray
        for band in mrzlines.in_photo(look):
            mrz = read_mrz(look, band)
            if mrz is not None:
                quad = _card_around(band)
                return mrz, np.float32([[gray.shape[1] - 1, gray.shape[0] - 1]]) - quad if turned else quad
    return None


def _card_around(band: mrzlines.Band) -> np.ndarray:
    """The outline of the card whose MRZ this is (top-left, top-right, bottom-right, bottom-left), a little
    larger than the card: the MRZ's 30 characters span about _MRZ_SPAN of a TD1 card's width, centred,
    and its last line lies about _MRZ_FOOT line pitches above the card's bottom edge."""
    angle = np.radians(np.mean([line[2] for line in band.lines]))
    along, down = np.float32([np.cos(angle), np.sin(angle)]), np.float32([-np.sin(angle), np.cos(angle)])
    lines = sorted(band.lines, key=lambda line: line[0][1])
    centre = np.float32(lines[1][0])
    pitch = float(np.linalg.norm(np.float32(lines[2][0]) - np.float32(lines[0][0]))) / 2
    card_width = max(line[1][0] for line in lines) / _MRZ_SPAN
    card_height = card_width * CARD_H / CARD_W
    bottom = centre + down * (pitch * (1 + _MRZ_FOOT) + _MRZ_SLACK * card_height)
    top = bottom - down * card_height * (1 + 2 * _MRZ_SLACK)
    half = along * card_width * (1 + 2 * _MRZ_SLACK) / 2
    return np.float32([top - half, top + half, bottom + half, bottom - half])


def _share_inside(quad: np.ndarray, outer: np.ndarray) -> float:
    """The share of an outline's area inside another's (both convex, as outlines are)."""
    own = _contour(quad)
    area = cv2.contourArea(own)
    if area <= 0:
        return 0.0
    common, _ = cv2.intersectConvexConvex(own, _contour(outer))
    return common / area


def _best_confirmed(photo: np.ndarray, outer, others: list, view: SideView) -> SideView:
    """The confirmed outline's view, or that of another outline whose content is better.

    Read are the outlines nested in it (nine tenths of their area or more inside, _INSIDE): the
    sheet of paper a card lies on (or the frame's edge) has the card's labels inside it too, read
    smaller and askew; the card's own outline reads them better. While the view misses labels its
    side prints, the other outlines are read as well: on a white page under a shadow, an outline
    swollen by the shadow is confirmed by a few labels read askew, and the card's own outline
    reads them all. An outline around the kept one must read two labels more to replace it: the
    card read smaller and askew within a page reads one more or one fewer by chance. One that cuts
    the card with no other over it is read widened; the view kept is then read past the sides its
    print runs off (_past_edges)."""
    kept = outer.quad
    # an outline along the photo's own edges (the print of a page all round, a photo in grey that no
    # colour parts from its table) holds the card: the outlines nested in it are read, a last resort's too
    framing = _area(outer.quad) >= _FRAMING * photo.shape[0] * photo.shape[1]
    # an outline confirmed by its title's words alone, no label of its side read (a strip of the card,
    # its tint lit at one end only): every outline is read, and one around it reading a label replaces it
    unlabelled = not view.labels and _missing_labels(view)
    # an outline that cuts the card (a label or the MRZ running to its side): up to _RECUTS others over
    # it and larger are read, and one confirmed that cuts nothing and reads as many labels replaces it
    cut, recuts = _cut(view), 0
    for other in others:
        around = (cut and recuts < _RECUTS and other.cue != "whole" and _area(other.quad) >= _area(kept)
                  and _share_inside(kept, other.quad) >= _OVER)
        # (until an outline reading labels replaced it: a last resort, the whole photo of a printed page, is
        # then read only as any other outline is)
        unlabelled = unlabelled and not view.labels
        if other.cue in _LAST_RESORT and not (unlabelled or around) and not (
                framing and _encloses(outer.quad, other.quad)):
            continue
        if _encloses(outer.quad, other.quad) or _missing_labels(view) or around:
            recuts += around
            inside = _read_side(photo, other.quad)
            if cut and inside.confirmed and not _cut(inside) and len(inside.labels) >= len(view.labels):
                view, kept, cut = inside, other.quad, False
                continue
            # an outline around the kept one (the card with the page it lies on) reads the card
            # smaller and askew, and the page's own words: one label more read there is chance
            # (`Số` read `sø` on the card's own outline), two are the card's
            # (a least rectangle, no outline of its own, holds what lies around the card however little larger:
            # a thumb past its corner; an outline of its own a fifth larger may be the card round a cut of it)
            bigger = _encloses(other.quad, kept, _AROUND_AREA if other.boxed else 1 / _NESTED)
            # nested in an outline along the photo's edges (a page filling the frame) and reading as much: the
            # card on the page (a card filling the frame has no outline inside it that reads as much as it)
            level = inside.content == view.content and not other.boxed
            more = inside.content > view.content or (framing and level and kept is outer.quad
                                                      and _encloses(kept, other.quad))
            # (and its print must run as level as on the kept one: an outline swollen past the card's corners
            # warps its rows askew, and reads labels the kept one missed under glare by chance)
            if inside.confirmed and more and (not bigger or (
                    len(inside.labels) >= len(view.labels) + (_MORE_LABELS if view.labels else 1)
                    and abs(labels.skew(inside.lines)) <= abs(labels.skew(view.lines)) + _ASKEW)):
                view, kept = inside, other.quad
    if cut:
        # no other outline over it reads the card whole (a pale card on a printed page: no outline but
        # the one drawn across it): the same outline widened at both ends, where a card's margin would be
        wider = _read_side(photo, _stretched(kept, (_WIDEN,) * 2 + (0, 0)))
        if wider.confirmed and not _cut(wider) and len(wider.labels) >= len(view.labels):
            view = wider
    return _past_edges(photo, view)


def _past_edges(photo: np.ndarray, view: SideView) -> SideView:
    """A confirmed view whose print runs off its right, top or bottom side (an outline around part of the
    card: a pale card under uneven light, its far end lit like the table) read again from its outline
    stretched past those sides, by _PAST_EDGE of the card at a time, while the print still runs off and the
    stretched outline reads as many labels, at most _STRETCHES times."""
    for _ in range(_STRETCHES):
        sides = _runs_off(view)
        if view.quad is None or not any(sides):
            break
        if view.upside_down:  # the view's right is the outline's left, its top the outline's bottom
            sides = (sides[1], sides[0], sides[3], sides[2])
        stretched = _read_side(photo, _stretched(view.quad, tuple(_PAST_EDGE * side for side in sides)))
        if not (stretched.confirmed and len(stretched.labels) >= len(view.labels)
                and stretched.content >= view.content):
            break
        view = stretched
    return view


def _runs_off(view: SideView) -> tuple[bool, bool, bool, bool]:
    """Whether the print runs off each side of the view (left, right, top, bottom): words of three letters
    or digits or more, as tall as the side's print and read with some confidence, reaching the side on two
    lines or more (a card's margin keeps its print off its edges). The left side is _cut's: its labels
    starting there."""
    words = [w for line in view.lines for w in line if len(labels.squash(w.text)) >= _OFF_LETTERS]
    sure = [w.box[3] - w.box[1] for w in words if w.confidence >= _OFF_SURE]
    if not sure:
        return False, False, False, False
    # (a page's print beyond the card's edge, caught at the side of an outline a little too large, is smaller
    # than the card's and read unsure)
    tall = _OFF_TALL * float(np.median(sure))
    words = [w for w in words if w.box[3] - w.box[1] >= tall and w.confidence >= _OFF_READ]
    x_edge, y_edge = _CUT * CARD_W, _CUT * CARD_H

    def off(reaches) -> bool:
        return len({w.line for w in words if reaches(w.box)}) >= 2

    return (False, off(lambda b: b[2] >= CARD_W - x_edge), off(lambda b: b[1] <= y_edge),
            off(lambda b: b[3] >= CARD_H - y_edge))


def _stretched(quad: np.ndarray, shares: tuple[float, float, float, float]) -> np.ndarray:
    """An outline (top-left, top-right, bottom-right, bottom-left) stretched past its left and right ends
    by those shares of its width, along its top and bottom edges, then past its top and bottom by those
    shares of its height, along its sides."""
    left, right, top, bottom = shares
    tl, tr, br, bl = np.float32(quad)
    tl, tr, br, bl = tl + (tl - tr) * left, tr + (tr - tl) * right, br + (br - bl) * right, bl + (bl - br) * left
    return np.float32([tl + (tl - bl) * top, tr + (tr - br) * top, br + (br - tr) * bottom, bl + (bl - tl) * bottom])


def _cut(view: SideView) -> bool:
    """Whether the outline read cuts the card: its labels start at its left side (on a printed page under
    uneven light, an outline drawn across the card: the place of birth's `Khu phố 2` read `Phố 2` at
    0.99, an MRZ read without its first characters), or the MRZ's three lines all run to one side (a
    thumb over the ends of some joins them to it: not all three)."""
    edge = _CUT * CARD_W
    column = [label.box[0] for label in view.labels if label.box[0] < CARD_W / 3]
    # half the labels of the left column at least: one read with the noise of a corner beside it is not
    if column and 2 * sum(x <= edge for x in column) >= len(column):
        return True
    ends = [(cx - w / 2, cx + w / 2) for (cx, _), (w, _), _ in view.band.lines] if view.band else []
    return bool(ends) and (all(left <= edge for left, _ in ends) or all(right >= CARD_W - edge for _, right in ends))


def _contour(quad: np.ndarray) -> np.ndarray:
    """An outline's corners as OpenCV's contour shape."""
    return quad.reshape(-1, 1, 2).astype(np.float32)


def _area(quad: np.ndarray) -> float:
    return cv2.contourArea(_contour(quad))


def _encloses(outer: np.ndarray, inner: np.ndarray, larger: float = 1 / _NESTED) -> bool:
    """Whether an outline holds another nested in it: the outer one `larger` times the inner's area at
    least (by default the inner _NESTED of the outer's at most), _INSIDE of the inner or more inside it
    (see _best_confirmed)."""
    return larger * _area(inner) <= _area(outer) and _share_inside(inner, outer) >= _INSIDE


def read_mrz(gray: np.ndarray, band: mrzlines.Band | None = None) -> MrzResult | None:
    """The MRZ of a card back, found by its lines (mrzlines.py) unless given, read at up to three scales,
    then divided by its paper (light falling off across the band: Tesseract's one threshold loses the
    lit end, and reads `IDVNM30` of a sharp line)."""
    band = band or mrzlines.locate(gray)
    if band is None:
        return None
    crop = mrzlines.cut(gray, band)
    for look in (crop, flattened(crop)):
        for scale in _MRZ_SCALES:
            result = parse_td1(ocr.read_lines(cv2.resize(look, None, fx=scale, fy=scale,
                                                         interpolation=cv2.INTER_AREA), "mrz"))
            if result:
                return result
    return None


def value_boxes(view: SideView, doc_type: str, side: str) -> tuple[Box, ...]:
    """Where this side's values are printed, found from its labels, as padded boxes to read."""
    wanted = PRINTED.get((doc_type, side), ())
    # a label this side does not print (`Giới tính` read into a CMND's address) is no label here
    printed = labels.on_side(view.labels, wanted)
    length = _length(doc_type)
    number = labels.number_region(view.lines, (length,)) if "id_number" in wanted else None
    number = _past_fused_label(view.gray, number) if number is not None else None
    found = labels.regions(view.lines, printed, wanted)
    labelled = next((r for r in found if r.field == "id_number"), None)
    if labelled is not None and number is not None and (sum(c.isdigit() for c in labelled.text) < length // 2
                                                        or labels.DATE.search(labelled.text)):
        # a "label" with no digits beside or under it, or a date, while the number is printed elsewhere
        # is a word of another value or label (`Sơn` of an address, `sơ` for `sinh` before a birth
        # date, for `Số`): no label, nor a stop for the values around it
        printed = [label for label in printed if label.field != "id_number"]
        found = labels.regions(view.lines, printed, wanted)
        labelled = None
    issue = _issue_line(view.lines, wanted, {r.field for r in found})
    found += [issue] if issue else []
    if "id_number" in wanted and labelled is None:
        # before the fields' order is used: the number found opens it (a misread name label after it)
        part = None if number else labels.number_part(view.lines, length)
        found += [number or part] if number or part else _number_line(view.gray, printed, found, wanted)
    found += labels.infer_missing(view.lines, printed, found, wanted)
    if "date_of_expiry" in wanted and side == "front" and not any(r.field == "date_of_expiry" for r in found):
        spare = labels.spare_date(view.lines, found, "date_of_expiry")
        found += [spare] if spare else []
    if "date_of_issue" in wanted and not any(r.field == "date_of_issue" for r in found):
        spare = labels.spare_date(view.lines, found, "date_of_issue", latest=False)  # its label covered
        found += [spare] if spare else []
    words = [w for line in view.lines for w in line]
    found = _probed(view.gray, words, printed, found, wanted)
    label_of = {label.field: label for label in printed}
    cut_card = _cut(view)
    boxes = []
    for region in found:
        for i, (x0, y0, x1, y1) in enumerate(region.boxes):
            label = label_of.get(region.field)
            if i == 0 and label is not None and not region.inferred and region.kind in (*_WHITELISTED, "name", "sex"):
                start = _ink_start(view.gray, label, (x0, y0, x1, y1))
                # a name's first word missed by the words pass (`ĐỖ` of `ĐỖ KIM OANH`) is a word wide at
                # least: less is the label's colon or a stroke's blur, and would change how the name reads
                x0 = start if region.kind != "name" or x0 - start >= label.box[3] - label.box[1] else x0
                if region.kind == "sex":  # `Nữ` read over its last letter only: not back over a word read
                    x0 = max([x0] + [w.box[2] + 1 for w in words if start <= w.box[2] < region.boxes[0][0]
                                     and w.box[1] < y1 and w.box[3] > y0 and w.box[0] > label.box[2]])
            h = y1 - y0
            if region.kind == "name":  # a blurred first letter's stem is fainter than its word's box
                x0 = max(x0 - round(_LEAD * h), label.box[2] + 2 if label is not None and label.box[2] < x0 else 0)
            if region.field in labels.MULTILINE or region.kind in _FOLLOWED or _date_cut_short(region):
                # a value's last word the words pass lost (`Tỉnh` at an address's line end, `VY` of
                # `TRẦN THU VY`, a number's last digit blurred into its neighbour): its print followed
                # right, a word or two at most, never across a wider gap (a QR beside it); on the
                # stretched look where glare washed part of the line out (`TRUN` for `TRUNG`)
                seen = stretched if washed(view.gray[y0:y1, x0:min(CARD_W, x1 + _WORDS_MORE * h)]) else None
                x1 = _ink_end(view.gray, printed, (x1, y0 + h // 4, y1 - h // 4), h, _WORD_GAP, _WORDS_MORE * h,
                              seen or flattened)
            # a name's marks may rise into the gap where the line above ends, over other columns
            # than its own: the name's crop is not cut there, its reader clears that line's ink
            top, bottom = _margins(words, (x0, y0, x1, y1), region.kind == "name")
            top, bottom = _clear_of_unread(view.gray, (x0, y0, x1, y1), top, bottom, region.kind == "name")
            top = _over_marks(view.gray, words, (x0, y0, x1, y1), top) if region.kind == "name" else top
            # what the words pass read there: a second reading (fields._seen), not kept for a name
            line_words = labels.words_in(view.lines, region.boxes[i:i + 1])
            words_read = "" if region.kind == "name" else region.text if len(region.boxes) == 1 else " ".join(
                w.text for w in line_words)
            # on an outline that cuts the card, a value read from its very side went on past it
            cut = (region.cut or (region.field in labels.MULTILINE and _covered_gap(view.gray, line_words))
                   or (cut_card and region.boxes[i][0] <= _CUT * CARD_W))
            boxes.append(Box(region.field, max(0, x0 - 2), top, min(CARD_W, x1 + 2), bottom, region.kind,
                             region.inferred, words_read, cut))
    return tuple(boxes)


_DATE_LENGTH = 8  # digits of a date printed whole (dd mm yyyy)


def _date_cut_short(region: labels.Region) -> bool:
    """Whether a date's words read end before its year does (`01-01-19`: the last digits read into the word
    of the line above, a name's `Q` reaching down to them): its print is followed right like a name's."""
    return region.kind == "date" and 4 <= sum(c.isdigit() for c in region.text) < _DATE_LENGTH


def _past_fused_label(gray: np.ndarray, number: labels.Region) -> labels.Region:
    """The number's word with its label read into it (`s089072755762`: `Số:` and the number as one
    word) cut at the widest gap of blank columns among its first characters: the label's letter was
    read as a thirteenth digit."""
    lead = next((i for i, c in enumerate(number.text) if c.isdigit()), 0)
    height, width = gray.shape[:2]  # a word's box may stand off the card's edge
    x0, x1 = (min(max(0, v), width) for v in (number.boxes[0][0], number.boxes[0][2]))
    y0, y1 = (min(max(0, v), height) for v in (number.boxes[0][1], number.boxes[0][3]))
    if not any(c.isalpha() for c in number.text[:lead]) or x1 - x0 < 2 or y1 - y0 < 2:
        return number  # no letter before the digits (`(001...`: a speck), no label read into it
    # the label's characters and the first digit, by their share of the word (a label's letters are
    # narrower than digits, a digit `1` has blank columns either side: no further)
    within = min(x1 - x0, round(1.2 * (x1 - x0) * (lead + 1) / len(number.text)))
    blank = ~(flattened(gray[y0:y1, x0:x1]) < _INK).any(axis=0)[:within]
    best, run, end = 0, 0, 0
    for i, empty in enumerate(blank):
        run = run + 1 if empty else 0
        if run > best:
            best, end = run, i + 1
    if best < _FUSED_GAP * (y1 - y0):
        return number
    return labels.Region(number.field, number.kind, ((x0 + end - 1, y0, x1, y1),), number.text, number.inferred)


def _number_line(gray: np.ndarray, found_labels: list, found: list, wanted: tuple) -> list:
    """The ID number's line when neither its label nor its digits were read (glare over both): the
    lowest line of print above the field printed after it (its label and its value's top), found
    by its ink on the stretched look, read as words (the number's own label has no digits), inferred."""
    after = wanted.index("id_number") + 1
    label = next((lb for lb in found_labels if after < len(wanted) and lb.field == wanted[after]), None)
    if label is None:
        return []
    h = label.box[3] - label.box[1]
    tops = [b[1] for r in found if r.field == label.field for b in r.boxes[:1]]
    x0, y1 = max(0, label.box[0] - h), min([label.box[1]] + tops)
    y0 = max(0, y1 - 3 * h)
    if y1 - y0 < h:
        return []
    band = stretched(gray[y0:y1, x0:CARD_W]) < 128
    rows = band.mean(axis=1) > _INK_ROW
    bottom = len(rows)
    while bottom > 0:
        while bottom > 0 and not rows[bottom - 1]:
            bottom -= 1
        top = bottom
        while top > 0 and rows[top - 1]:
            top -= 1
        if bottom - top >= 0.5 * h:
            break
        bottom = top
    if bottom <= 0:
        return []
    cols = np.flatnonzero(band[top:bottom].any(axis=0))
    pad = round(_ASCENT * h)
    box = (x0 + int(cols[0]), y0 + max(0, top - pad), x0 + int(cols[-1]) + 1, y0 + min(y1 - y0, bottom + pad))
    return [labels.Region("id_number", "text", (box,), "", True)]


def _probed(gray: np.ndarray, words, printed: list, found: list, wanted: tuple) -> list:
    """Value lines the whole-side pass did not see, found by their ink (issue 19: its page layout
    drops a line now and then, the second line of an address or the date under its label):
    under a label whose value was not found, and under the last line of an address that may wrap,
    a line of ink where no word was read, above the next label, is read as the value's line."""
    by_field = {region.field: region for region in found}
    out = list(found)
    sure = [w.box[3] - w.box[1] for w in words if w.confidence >= 0.6]
    typical = int(np.median(sure)) if sure else 1  # a blurred label's box can be half a line high
    for label in printed:
        if label.field not in wanted:
            continue
        h = max(typical, label.box[3] - label.box[1])
        region = by_field.get(label.field)
        if region is None and label.field in _READ_BESIDE:
            beside = _ink_beside(gray, printed, label, h)
            if beside is not None:
                out.append(labels.Region(label.field, labels.KINDS[label.field], (beside,), "", False))
                continue
        if region is None:
            # a value under its label may start left of the label's first word read, and (blurred
            # boxes are tall, lines tight) above the bottom of the label's box: from its middle down
            x0, x1, y = label.box[0] - 2 * h, label.box[2] + 3 * h, (label.box[1] + label.box[3]) // 2
        elif label.field in labels.MULTILINE and len(region.boxes) == 1:
            x0, x1, y = label.box[0] - h, region.boxes[0][2], region.boxes[0][3]
        else:
            continue
        line = _ink_line(gray, words, printed, (x0, y, x1, y + round(_PROBE * h)), h)
        if line is None:
            continue
        box = (line[0], line[1], line[2], line[3])
        # a line found by its ink alone may be a neighbour's or the card's print: trusted less
        if region is None:
            region = labels.Region(label.field, labels.KINDS[label.field], (box,), "", True)
        else:
            region = labels.Region(region.field, region.kind, region.boxes + (box,), region.text, True)
        out = [r for r in out if r.field != label.field] + [region]
    return out + _unlabelled_name(gray, words, printed, out, wanted, typical)


def _ink_beside(gray: np.ndarray, printed: list, label, h: int):
    """A sex or a nationality beside its label that the words pass read as no word (`N(ƒ` for `Nữ`, a
    `Việt Nam` washed out by glare): the ink right of the label's end, from its first dark column to a gap,
    as a box, on the stretched look where none is as dark on the flattened one (glare over it); None where
    there is none."""
    x, top, bottom = label.box[2] + round(_ASCENT * h / 2), label.box[1], label.box[3]
    rows = (x, top + h // 4, bottom - h // 4)
    # (a label's box from the words pass may stand off the card's edge: only the card is looked at)
    top, bottom = max(0, top), min(gray.shape[0], bottom)
    if x < 0 or bottom - top < 2:
        return None
    for look in (flattened, stretched):
        end = _ink_end(gray, printed, rows, h, _INK_GAP, _BESIDE * h, look)
        if end - x >= max(2, h // 2):
            cols = np.flatnonzero((look(gray[top:bottom, x:end]) < _INK).any(axis=0))
            if cols.size:
                return x + int(cols[0]), top, end, bottom
    return None


def _unlabelled_name(gray: np.ndarray, words, printed: list, found: list, wanted: tuple, h: int) -> list:
    """A name whose label and value the whole-side pass both missed (a blurred CMND's name read as
    one speck the width of the line, `_.`): the line of ink between the value before it and the
    field after it, found as _probed finds a value line under its label. Trusted less (inferred)."""
    by_field = {region.field: region for region in found}
    label_of = {label.field: label for label in printed}
    name = next((f for f in wanted if labels.KINDS[f] == "name"), None)
    if name is None or name in by_field or name in label_of:
        return []
    at = wanted.index(name)
    before = next((by_field[f] for f in reversed(wanted[:at]) if f in by_field), None)
    after = next((f for f in wanted[at + 1:] if f in label_of), None)
    if before is None or after is None:
        return []
    top, bottom = max(b[3] for b in before.boxes), label_of[after].box[1]
    x0, x1 = label_of[after].box[0] - h, max(b[2] for b in before.boxes) + 3 * h
    seen = [w for w in words if not labels.speck(w)]  # a speck read over the whole line ends nothing
    line = _ink_line(gray, seen, printed, (x0, top, x1, bottom), h)
    return [] if line is None else [labels.Region(name, "name", (tuple(line),), "", True)]


def _ink_line(gray: np.ndarray, words, printed: list, band: tuple, h: int):
    """The first line of dark print in a band of the card where no word was read and no label
    starts, as a box, or None: rows holding ink, a run of them at least half a line high."""
    x0, y0, x1, y1 = (max(0, band[0]), max(0, band[1]), min(CARD_W, band[2]), min(CARD_H, band[3]))
    if x1 - x0 < 2 * h or y1 - y0 < h:
        return None
    def in_label(box) -> bool:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return any(lb.box[0] <= cx <= lb.box[2] and lb.box[1] <= cy <= lb.box[3] for lb in printed)

    # words that end the probe: not the label's own (the probe starts level with it), nor a row of
    # accents read apart from the unread letters under them
    ending = [w.box for w in words if not in_label(w.box) and w.box[3] - w.box[1] >= labels.MARKS * h]

    def above(boxes, bottom: int) -> int:  # the probe ends above the words or labels printed in it
        for wx0, wy0, wx1, wy1 in boxes:
            if (wx1 > x0 and wx0 < x1 and (wy0 + wy1) / 2 > y0 and wy0 < bottom
                    and min(wy1, bottom) - max(wy0, y0) > 0.3 * h):
                bottom = min(bottom, wy0)
        return bottom

    pad = round(_ASCENT * h)  # a word's box is its letters' core: its marks and descenders stand out
    below_labels = above([lb.box for lb in printed if lb.box[1] >= y0], y1)
    hidden = [lb.box for lb in printed]  # a label's own print is not its value
    y1 = above(ending, below_labels)
    if y1 - y0 < 0.6 * h:
        # the next line's words start right of a short line squeezed above them (`An Giang` under
        # an address's first line, beside the residence's first words): their ink is left out instead
        y1, hidden = below_labels, hidden + ending
        if y1 - y0 < 0.6 * h:
            return None
    ink = _dark(gray[y0:y1, x0:x1])
    for lx0, ly0, lx1, ly1 in hidden:
        # the marks of a line above or below the band are not grown into it: under blur a box is a
        # line and a half high, and its margin would hide a short line squeezed between two
        rise = pad if y0 <= (ly0 + ly1) / 2 <= y1 else 0
        ink[max(0, ly0 - rise - y0):max(0, ly1 + rise - y0), max(0, lx0 - pad - x0):max(0, lx1 + pad - x0)] = False
    share = _row_shares(ink, h)
    rows = share > _INK_ROW
    run, start = [], None
    for i, dark in enumerate(list(rows) + [False]):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            if i - start >= 0.5 * h:
                run = [start, i]
                break
            start = None
    if not run:
        return None
    # the run is the letters' core: their capitals, marks and descenders are fainter rows around it
    reach = round(_ASCENT * h)
    while run[0] > 0 and run[0] > run[1] - 2 * h and share[run[0] - 1] > _INK_ROW / 4 and reach:
        run[0] -= 1
        reach -= 1
    reach = round(_ASCENT * h)
    while run[1] < len(share) and share[run[1]] > _INK_ROW / 4 and reach:
        run[1] += 1
        reach -= 1
    cols = np.flatnonzero(ink[run[0]:run[1]].any(axis=0))
    if cols.size == 0 or cols[-1] - cols[0] < h:
        return None
    top, bottom = y0 + run[0], y0 + run[1]
    return x0 + int(cols[0]), top, _ink_end(gray, printed, (x0 + int(cols[-1]) + 1, top, bottom), h), bottom


def _covered_gap(gray: np.ndarray, words: list) -> bool:
    """Whether a line of an address has a hole in it under something that is neither paper nor print (a
    thumb over its middle: `Số 64 Bạch Đằng, Phường [Thủ Đức, Quận] Tân Bình`): a gap between two of its
    words wider than `_HOLE` word heights whose pixels are darker than the paper around the words and
    hold almost no ink. Words read on either side then join into a plausible address that is not the
    card's."""
    for a, b in zip(words, words[1:]):
        h = max(1, min(a.box[3] - a.box[1], b.box[3] - b.box[1]))
        if b.box[0] - a.box[2] <= _HOLE * h:
            continue
        top, bottom = max(0, max(a.box[1], b.box[1])), max(0, min(a.box[3], b.box[3]))
        hole = gray[top:bottom, max(0, a.box[2]):max(0, b.box[0])]
        around = np.concatenate([gray[top:bottom, max(0, a.box[0]):max(0, a.box[2])].ravel(),
                                 gray[top:bottom, max(0, b.box[0]):max(0, b.box[2])].ravel()])
        if hole.size < h * h or not around.size:
            continue
        paper = float(np.percentile(around, 90))  # the words' own paper, their strokes left out
        if float(np.median(hole)) < paper - _COVER and float((hole < paper / 2).mean()) < _INKLESS:
            return True
    return False


def _dark(crop: np.ndarray) -> np.ndarray:
    """Print in a crop: ink at least half as dark as the print around it (blurred print is paler than a
    fixed threshold), and darker than the paper's own light (the stretched look scales no blank
    paper's noise up)."""
    return (stretched(crop) < 128) & (flattened(crop) < _PALE)


def _row_shares(ink: np.ndarray, h: int) -> np.ndarray:
    """Each row's share of ink in its densest stretch of `_STRETCH` line heights: a short line under a
    long band (`Tỉnh Đắk Lắk` alone under an address's first line) is as dark where it is printed as a
    long one, though its share of the whole band is a fifth."""
    width = max(1, min(ink.shape[1], round(_STRETCH * h)))
    summed = np.cumsum(np.pad(ink, ((0, 0), (1, 0))).astype(np.int32), axis=1)
    return (summed[:, width:] - summed[:, :-width]).max(axis=1) / width


def _ink_end(gray: np.ndarray, printed: list, start: tuple, h: int, gap_of: float = _INK_GAP,
             reach: int = CARD_W, look=flattened) -> int:
    """Where a line of ink ends: followed to the right along its rows until a gap wider than
    `gap_of` line heights, `reach` pixels, the card's edge or a label on its row (a value found in a
    narrow probe under its label runs past the label's end)."""
    x, top, bottom = start
    stops = [lb.box[0] for lb in printed if lb.box[0] >= x and lb.box[1] < bottom and lb.box[3] > top]
    limit = min(stops + [CARD_W, x + reach])
    top, bottom = max(0, top), min(gray.shape[0], bottom)  # a word's box may stand off the card's edge
    if limit - x < 1 or bottom - top < 1 or x < 0:
        return x
    return x + _reach((look(gray[top:bottom, x:limit]) < _INK).any(axis=0), gap_of * h)[0]


def _reach(dark, gap: float) -> tuple[int, bool]:
    """How far print runs along a row (or column) of ink from its start: the entries up to its last
    ink before a blank stretch longer than `gap` (0: no ink), and whether such a stretch ended it
    (else the row's end did). Lines are followed right, left and up with it."""
    end, blank = 0, 0
    for i, on in enumerate(dark):
        if on:
            end, blank = i + 1, 0
        else:
            blank += 1
            if blank > gap:
                return end, True
    return end, False


def _ink_start(gray: np.ndarray, label, box: tuple) -> int:
    """Where a value beside its label starts: followed left from its first word read through print
    no word was read on (the day and month of a blurred date, a washed-out first name), up to the
    label's end. A value below its label, or one with no print before it, keeps its start."""
    x0, y0, x1, y1 = box
    h = max(1, label.box[3] - label.box[1])
    beside = min(label.box[3], y1) - max(label.box[1], y0) >= 0.5 * min(h, y1 - y0)
    stop = label.box[2] + round(_ASCENT * h / 2)  # clear of the blur around the label's last letter
    if not beside or x0 - stop < 2:
        return x0
    # a word read at the card's edge has a box partly off it (a negative top): only the card is looked at
    crop = gray[max(0, y0):max(0, y1), max(0, stop):max(0, x1)]
    if crop.shape[0] < 2 or crop.shape[1] < 2 or stop < 0:
        return x0
    # ink at least half as dark as the value's own: blurred print is paler than a fixed threshold
    dark = (stretched(crop) < 128)[:, :x0 - stop].any(axis=0)
    reached, _ = _reach(dark[::-1], _WORD_GAP * h)  # followed left from the first word
    return stop + len(dark) - reached if reached else x0


def _dip(share: np.ndarray) -> int | None:
    """Rows of ink shares going out from a line's edge: where a line of print that starts further
    out (ink again after a dip) is left behind, the emptiest row before it; None without one."""
    low = np.flatnonzero(share < _INK_ROW)
    if not len(low):
        return None
    again = np.flatnonzero(share[low[0]:] > _INK_ROW)
    return None if not len(again) else int(low[0] + np.argmin(share[low[0]:low[0] + again[0]]))


def _clear_of_unread(gray: np.ndarray, box: tuple, top: int, bottom: int, above_cleared: bool) -> tuple[int, int]:
    """A value crop's margins kept off a line of print beside it that the words pass did not read (a
    blurred name right under the number: `_margins` knows only the lines read), cut at the emptiest
    row between them. The name's top is left alone: its reader clears the line above."""
    x0, y0, x1, y1 = box
    crop = gray[top:bottom, max(0, x0):max(0, x1)] if 0 <= top <= y0 <= y1 <= bottom else gray[:0]
    if crop.shape[0] < 2 or crop.shape[0] != bottom - top or crop.shape[1] < 2:
        return top, bottom  # a box past the card's edge, or margins inside the line: nothing to cut
    share = (flattened(crop) < _INK).mean(axis=1)
    below = _dip(share[y1 - top:])
    above = None if above_cleared else _dip(share[:max(0, y0 - top)][::-1])
    return (top if above is None else y0 - 1 - above), (bottom if below is None else y1 + below + 1)


def _over_marks(gray: np.ndarray, words, box: tuple, top: int) -> int:
    """A name's crop top raised past the marks over its letters to the blank row above them, when they
    rise above the margin: the words read may be its letters alone (`YEN` for `YẾN`), and two marks
    stacked over a capital rise higher than the margin. A crop edge through the marks would have its
    reader take them for the line above's strokes and paint them over. With no blank row within
    `_NAME_RISE` of the line's height (the line above touches them), or past a word read above, the
    top is kept."""
    height, width = gray.shape[:2]  # a word's box may stand off the card's edge
    x0, x1 = (min(max(0, v), width) for v in (box[0], box[2]))
    y0, y1 = (min(max(0, v), height) for v in (box[1], box[3]))
    above = [w.box[3] for w in words if w.box[2] > x0 and w.box[0] < x1 and w.box[3] <= y0
             and w.box[3] - w.box[1] >= _MARK * (y1 - y0)]  # (not an accent read apart)
    ceiling = max([0, y0 - round(_NAME_RISE * (y1 - y0))] + above)
    if ceiling >= top or x1 - x0 < 2 or y1 - ceiling < 2:
        return top
    ink = _dark(gray[ceiling:y1, x0:x1])[:y0 - ceiling]
    rows = ink.any(axis=1)
    if not 0 <= top - ceiling < len(rows) or not rows[top - ceiling]:
        return top  # the crop's edge cuts through no print: the marks are inside it
    # followed up from the letters: blank rows wider than between a mark and its letter end the marks
    reached, parted = _reach(rows[::-1], _MARK_GAP * (y1 - y0))
    if not parted:
        return top  # ink up to the reach: the line above touches the marks
    highest = len(rows) - reached  # the marks' top row
    end = highest
    while end < len(rows) and rows[end]:
        end += 1
    # marks stand over a few letters; ink over most of the name is a line above, unread
    spread = ink[highest:end].any(axis=0).mean() if highest < len(rows) else 1.0
    return min(top, ceiling + max(0, highest - 2)) if spread <= _MARKS_SPREAD else top


def _margins(words, box, above_cleared: bool = False) -> tuple[int, int]:
    """A value line's top and bottom with a margin for marks and descenders, but never past the middle
    of the gap between its letters' core and the words printed above or below it (a tight layout, a
    descender touching the next line's capitals, would leak them in).

    The core is the median top and bottom of the line's own words (those centred in the box): one
    word's accent or descender does not stand for the line. A "word" much shorter than the core and
    no wider than a letter (an accent read apart, `s` for the marks of `Ế`) is no line above or below. With
    `above_cleared`, the line above does not limit the top (the crop's reader erases its ink:
    looks.cleared_above), and the top reaches the accents read apart over the line's own words.
    """
    x0, y0, x1, y1 = box
    pad = round(_BOX_PAD * (y1 - y0))
    top, bottom = max(0, y0 - pad), min(CARD_H, y1 + pad)
    beside = [w.box for w in words if w.box[2] > x0 and w.box[0] < x1]
    own = [b for b in beside if y0 <= (b[1] + b[3]) / 2 <= y1]
    core_top = float(np.median([b[1] for b in own])) if own else y0
    core_bottom = float(np.median([b[3] for b in own])) if own else y1
    middle, core = (core_top + core_bottom) / 2, core_bottom - core_top
    for wx0, wy0, wx1, wy1 in beside:
        if wy1 - wy0 < _MARK * core and wx1 - wx0 < core:  # no taller than half a letter, nor wider than one
            over = any(wx1 > b[0] and wx0 < b[2] for b in own)
            if above_cleared and over and core_top - _MARK * core <= wy1 <= core_top + 2:
                top = min(top, max(0, wy0 - 2))  # an accent of the line's own, read apart
            continue
        centre = (wy0 + wy1) / 2
        if centre < core_top and wy1 < middle and not above_cleared:  # a line above: clear, or into its marks
            top = max(top, (wy1 + (y0 if wy1 <= y0 + 2 else round(core_top))) // 2)
        elif centre > core_bottom and wy0 > middle:  # a line below: clear, or level with its descenders
            bottom = min(bottom, (wy0 + (y1 if wy0 >= y1 - 2 else round(core_bottom)) + 1) // 2)
    return min(top, round(core_top)), max(bottom, round(core_bottom))  # never into the line's own letters


def _qr_candidates(payload: QrPayload) -> list[tuple[str, Candidate]]:
    values = {"id_number": payload.id_number, "old_id_number": payload.old_id_number,
              "full_name": payload.full_name, "date_of_birth": payload.date_of_birth, "sex": payload.sex,
              "place_of_residence": payload.place_of_residence, "date_of_issue": payload.date_of_issue}
    return [(k, Candidate(v, "qr", QR_CONFIDENCE)) for k, v in values.items() if v is not None]


def _mrz_candidates(result: MrzResult) -> list[tuple[str, Candidate]]:
    confidence = MRZ_CONFIDENCE.get(result.corrections, MRZ_CORRECTED)
    values = {"id_number": result.id_number, "date_of_birth": result.date_of_birth,
              "sex": result.sex, "date_of_expiry": result.date_of_expiry}
    return [(k, Candidate(v, "mrz", confidence)) for k, v in values.items() if k != "sex" or v]


def _printed_number(fields: dict[str, Candidate], candidates: list, mrz: MrzResult, warnings: list[str]):
    """A number the MRZ's repair chose gives way to the number printed on the card, read sure, when the
    MRZ's characters and check digits support that one better, or as well at one misread: two readings
    then agree on it. (A digit of the province code read as one the repair does not take for it, `079`
    read `077`, is "corrected" to another valid code the check digits happen to fit; bench/mrz_repair.py.)"""
    chosen = fields.get("id_number")
    if chosen is None or chosen.source != "mrz" or not mrz.corrections:
        return
    printed = [c for name, c in candidates if name == "id_number" and c.source == "ocr" and c.value != chosen.value
               and c.confidence >= _SURE_PRINT and len(c.value) == len(chosen.value)]
    misreads = [mrz.misreads(c.value) for c in printed]
    # fewer misreads than the repair's corrections, or one against one: a tie of two (a print read
    # wrong, sure, and a right repair alike) is left to the repair
    if printed and min(misreads) <= max(1, mrz.corrections - 1):
        best = misreads.index(min(misreads))
        fields["id_number"] = Candidate(printed[best].value, "mrz", MRZ_CONFIDENCE.get(misreads[best], MRZ_CORRECTED))
        warnings[:] = [w for w in warnings if w != "id_number: ocr reads a different value than mrz"]


def _check_name(fields: dict[str, Candidate], mrz: MrzResult | None, warnings: list[str]):
    """The MRZ's ASCII name confirms or contradicts the letters of an OCR'd name."""
    name = fields.get("full_name")
    if not mrz or not mrz.name or not name or name.source != "ocr":
        return  # an MRZ whose name line was not read says nothing of the name
    if fold(name.value) == mrz.name:
        fields["full_name"] = Candidate(name.value, "ocr", max(name.confidence, 0.85))
    else:
        warnings.append("full_name: ocr reads a different name than the mrz")
        fields["full_name"] = Candidate(name.value, "ocr", round(name.confidence * 0.5, 3))


def _load(data: bytes) -> np.ndarray:
    return downscale(to_bgr(open_image(data, fit=MAX_SIDE)))


def extract(front: bytes, back: bytes | None = None, today: date | None = None) -> dict:
    """Fields of an ID card from its photos, as the JSON of DESIGN.md §10 (raises ImageError)."""
    started = time.perf_counter()
    views = each(lambda photo: analyse(_load(photo)), [front] + ([back] if back is not None else []))
    # a side whose card was not found votes for nothing: the words of a page under it are not a card's
    scores = [view.scores if NOT_FOUND not in view.warnings else dict.fromkeys(view.scores, 0.0) for view in views]
    doc_type, swapped = classify(scores[0], scores[1] if len(views) > 1 else None)
    if swapped:
        views.reverse()
    sides = ("back",) if swapped and len(views) == 1 else ("front", "back")
    candidates, mrz, found_warnings = [], None, []
    for view, side in zip(views, sides):
        found_warnings += [f"{side}: {w}" for w in view.warnings]
        if view.qr:
            candidates += _qr_candidates(view.qr)
        elif (doc_type, side) in QR_SIDES:
            found_warnings.append("qr: seen but not readable" if seen_unreadable(view.gray) else "qr: not found")
        if side == "back" and doc_type in ("cccd_chip", "can_cuoc"):
            mrz = view.mrz
            candidates += _mrz_candidates(mrz) if mrz else []
    known = {name: c.value for name, c in merge(candidates)[0].items()}  # the QR's and MRZ's, as merged
    if doc_type != "unknown":
        for view, side in zip(views, sides):
            candidates += read_fields(view.gray, doc_type, value_boxes(view, doc_type, side), known,
                                      view.chroma).items()
    fields, warnings = merge(candidates)
    if mrz is not None:
        _printed_number(fields, candidates, mrz, warnings)
    warnings = found_warnings + warnings
    _check_name(fields, mrz, warnings)
    warnings += cross_check(fields, doc_type, today or datetime.now(BUSINESS_TZ).date())
    if doc_type in ("cccd_chip", "can_cuoc") and len(views) > 1 and mrz is None:
        warnings.append("mrz: not readable")
    out = as_json(fields)
    warnings += confirm(out, doc_type) + derive_expiry(out, doc_type)
    return {"document_type": doc_type, "fields": out, "warnings": warnings,
            "elapsed_ms": round((time.perf_counter() - started) * 1000)}
