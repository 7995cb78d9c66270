"""Tell apart spellings of a name syllable that differ only in their marks, by drawing each one.

Tesseract's fast `vie` model reads an uppercase syllable's letters well but can hesitate between
marks that look alike at 30 px (THÙY and THỦY: a grave accent or a hook above). Both are valid
name syllables, so no list can choose. The typeface a card type prints its names in is known, so
each spelling is drawn, laid over the word where its letters fit the photo best (one placement for
all spellings, found on the letters alone), and the spelling whose drawing explains the photo's
pixels best wins. How clearly it wins is measured against how much the drawings differ.
"""

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .looks import COLOURED, redness
from .normalise import DOT_BELOW

# the typefaces names are printed in, per document type (Debian's fonts-dejavu and fonts-noto-core)
NAME_FACES = {
    "cmnd": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "cccd_chip": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "cccd_barcode": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "can_cuoc": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
}
_DRAWN = 136  # px: drawings are made large and shrunk to the photo's scale, as print is sampled
_SCALES = (0.92, 0.96, 1.0, 1.04, 1.08)  # around the scale the word's box suggests
_BLURS = (0.0, 0.8, 1.6, 2.4)  # sigma (photo px): the drawing is softened like the photo
_MARGIN = 8  # px around the word's box searched for the placement
_SLACK = 2  # px a spelling's marks may sit off where its drawing puts them
_SHIFTS = tuple((dy, dx) for dy in range(-_SLACK, _SLACK + 1) for dx in range(-_SLACK, _SLACK + 1))
_GROW = np.ones((2 * _SLACK + 3, 2 * _SLACK + 3), np.uint8)
# The judge abstains when the drawn letters fit the photo worse than this at their best placement:
# the card is evidently not printed in the typeface drawn, and marks judged in a wrong typeface
# mislead. A wrong typeface fits best softened (the blur smears what its letters do not share with
# the print), so a fit reached at a softness of SOFT or more must be higher. Calibrated on tuning
# crops with the right typeface and three wrong ones (docs/benchmarks.md).
MIN_FIT = 0.90
MIN_FIT_SOFT = 0.955
SOFT = 1.2  # sigma (photo px)


@dataclass(frozen=True)
class Verdict:
    """The spelling that explains the word's pixels best and how clearly (about 1: exactly; 0: no
    better than its rival, or its own marks are not in the photo)."""

    spelling: str
    clarity: float
    fit: float = 1.0  # how well the drawn letters fit the photo where they were placed (see judge)
    softness: float = 0.0  # the blur (sigma, photo px) at which they fit best


@lru_cache(maxsize=8)
def _font(face: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(face, _DRAWN)


@lru_cache(maxsize=32)  # ~0.2 MB each: a worker reading names all day keeps only the recent ones
def _drawing(text: str, face: str) -> tuple[np.ndarray, int, int]:
    """Ink (255) on paper (0) of a spelling at the drawing size, and the rows of its letters' bodies.

    Every spelling is drawn from the same origin on a canvas of the same height, so drawings of
    the same letters differ only where their marks do (and where kerning moves a letter).
    """
    font = _font(face)
    width = int(font.getlength(text)) + _DRAWN // 2
    canvas = Image.new("L", (width, 3 * _DRAWN), 0)
    baseline = 2 * _DRAWN
    ImageDraw.Draw(canvas).text((_DRAWN // 4, baseline), text, font=font, fill=255, anchor="ls")
    cap_top = baseline + font.getbbox("H", anchor="ls")[1]
    return np.asarray(canvas), cap_top, baseline


def _frame(drawings: list[np.ndarray]) -> tuple[int, int, int, int]:
    """The rows and columns holding ink in any of the drawings (top, bottom, left, right)."""
    ink = np.maximum.reduce(drawings) > 0.05
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def _scaled(drawing: np.ndarray, scale: float, blur: float) -> np.ndarray:
    size = (max(1, round(drawing.shape[1] * scale)), max(1, round(drawing.shape[0] * scale)))
    small = cv2.resize(drawing, size, interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small, (0, 0), blur) if blur else small


def _placement(area: np.ndarray, frame: np.ndarray, rows: tuple[int, int]) -> tuple[float, int, int] | None:
    """Where the letter bodies (`rows` of a drawn frame, ink 1) fit the area best: (score, left, top of frame)."""
    template = 1 - frame[rows[0]:rows[1]]  # paper light, ink dark, like the photo
    if template.shape[0] >= area.shape[0] or template.shape[1] >= area.shape[1] or template.std() == 0:
        return None
    _, score, _, (left, top) = cv2.minMaxLoc(cv2.matchTemplate(area, template, cv2.TM_CCOEFF_NORMED))
    return score, left, top - rows[0]


def judge(region: np.ndarray, box: tuple[int, int, int, int], spellings: list[str], face: str) -> Verdict | None:
    """Which spelling of one word is printed in `region` (grayscale), the word's box given in it.

    Every spelling is drawn from the same origin in one frame and shrunk alike, so the ink they
    share is the same pixels and kerning stays in each drawing. The scale, softness and placement
    are those at which the shared ink of the letter bodies (between cap height and baseline, where
    no tone mark is) fits the photo best; there every drawing is laid and compared with the photo
    on the same pixels. None when the word cannot be placed, or when the letters placed fit the
    photo poorly (below MIN_FIT, MIN_FIT_SOFT when softened): the typeface is evidently not the card's.
    """
    if len(spellings) < 2 or box[2] - box[0] < 4:
        return None
    try:
        drawn = [_drawing(s, face) for s in spellings]
    except OSError:  # the typeface is not installed
        return None
    width = max(d.shape[1] for d, _, _ in drawn)  # kerning may make one spelling wider
    drawings = [np.pad(d, ((0, 0), (0, width - d.shape[1]))).astype(np.float32) / 255 for d, _, _ in drawn]
    _, cap_top, baseline = drawn[0]
    y0, y1, x0, x1 = _frame(drawings)
    x_from, x_to = max(0, box[0] - _MARGIN), min(region.shape[1], box[2] + _MARGIN)
    pad = region.shape[0] // 2  # room for a frame placed partly above or below the region
    area = cv2.copyMakeBorder(region[:, x_from:x_to].astype(np.float32), pad, pad, 0, 0, cv2.BORDER_REPLICATE)
    best = None
    for scale in ((box[2] - box[0]) / (x1 - x0) * s for s in _SCALES):
        rows = round((cap_top - y0) * scale), round((baseline - y0) * scale)
        for blur in _BLURS:
            frames = [_scaled(d[y0:y1, x0:x1], scale, blur) for d in drawings]
            placed = _placement(area, np.minimum.reduce(frames), rows)
            if placed is not None and (best is None or placed[0] > best[0]):
                best = (placed[0], frames, placed[1], placed[2], blur)
    if best is None:
        return None
    fit, frames, left, top, softness = best
    if fit < (MIN_FIT_SOFT if softness >= SOFT else MIN_FIT):
        return None
    height, breadth = frames[0].shape
    if top < 0 or top + height > area.shape[0] or left + breadth > area.shape[1]:
        return None
    models = []
    for frame in frames:
        model = np.zeros_like(area)
        model[top:top + height, left:left + breadth] = frame
        models.append(model)
    return replace(_compare(area, models, spellings), fit=fit, softness=softness)


def _fit(seen: np.ndarray, model: np.ndarray) -> tuple[float, float, float]:
    """Paper level, ink contrast and the squared residual of the photo as paper + contrast * model."""
    design = np.stack([np.ones_like(seen), model], axis=1)
    (paper, contrast), *_ = np.linalg.lstsq(design, seen, rcond=None)
    return float(paper), float(contrast), float(np.sum((seen - paper - contrast * model) ** 2))


def _compare(area: np.ndarray, models: list[np.ndarray], spellings: list[str]) -> Verdict:
    """The spelling whose placed drawing, its marks free to move by a pixel or two, explains the area best.

    The ink every drawing shares (the letters) stays where the placement put it; what is a
    spelling's own (its marks) may sit up to _SLACK px off, as a mark's position relative to its
    letter varies between typefaces, renderers and printers. The verdict's clarity is the lesser
    of how much better the winner explains the photo than the runner-up (as a share of how much
    their drawings differ) and, when the winner has marks of its own, how much of them the photo
    shows: two spellings that both miss what is printed leave the verdict unclear.
    """
    window = cv2.dilate((np.maximum.reduce(models) > 0.02).astype(np.uint8), _GROW) > 0
    common = np.minimum.reduce(models)
    seen, shared = area[window], common[window]
    fits = []
    for model in models:
        own = model - common
        best = None
        for dy, dx in _SHIFTS if own.any() else ((0, 0),):
            moved = np.clip(common + np.roll(own, (dy, dx), axis=(0, 1)), 0, 1)[window]
            _, contrast, residual = _fit(seen, moved)
            if best is None or residual < best[0]:
                best = (residual, contrast, moved)
        fits.append(best)
    order = sorted(range(len(models)), key=lambda i: fits[i][0])
    (residual, contrast, winner), (rival_residual, _, rival) = fits[order[0]], fits[order[1]]
    difference = float(np.sum((winner - rival) ** 2)) * contrast ** 2
    clarity = (rival_residual - residual) / difference if difference > 0 else 0.0
    marks = winner - shared
    paper, ink, _ = _fit(seen, shared)
    if marks.any() and ink:
        shown = float(np.dot(seen - paper - ink * shared, marks)) / (ink * float(np.dot(marks, marks)))
        clarity = min(clarity, shown)
    return Verdict(spellings[order[0]], max(0.0, clarity))


# the marks printed above a letter, decomposed (NFD): grave, acute, circumflex, tilde, breve, hook above
_ABOVE = frozenset("\u0300\u0301\u0302\u0303\u0306\u0309")
_HATS = frozenset("\u0302\u0306")  # circumflex, breve: a tone mark is printed above them (Ế, Ằ)
_REACH = 0.55  # word heights above its box within which a mark above it is printed
_NEAR = 0.3  # word heights: a mark's lower end lies this close above the letters it marks
_MARK_AREA = 0.006  # of the word's height squared: a blob smaller than this is a speck of the card's print
_MARK_HEIGHT = (0.08, 0.4)  # word heights: lower is a stroke of the pattern; taller, a letter
_OVER = 0.25  # word heights around its box a mark's blob may reach sideways (a mark's middle is over its box)
_FRINGE = np.ones((5, 5), np.uint8)  # red ink's edge taken with it (2 px around)
_MARK_GAP = 0.15  # of the letters' height: a tone's lower end lies at most this far above its circumflex's top
_OFF_CENTRE = 0.2  # of a mark's width: its top this far off its middle is a tone's, not a circumflex's apex
_JOINED_HEIGHT = 0.7  # of a mark's width: a mark taller than this over a circumflex's letter holds a tone too
_LINE = 3  # blobs over a word from which they are a line of print above it (a label), not marks


def unread_marks(gray: np.ndarray, box: tuple[int, int, int, int], syllable: str,
                 chroma: np.ndarray | None = None) -> bool:
    """Whether ink apart from the letters lies just above a word read with no mark above it: a tone mark
    the recogniser did not see (`HAI` read for a clearly printed `HẢI`), whatever the typeface.

    Only where the spelling has no mark above (a mark read is not questioned here) and where what lies
    above the word is not a line of print (a label set close above a name: its letters, its descenders
    and the dots under its vowels are as many blobs along the word). Red ink (the card's number printed
    close above a name) is no mark where `chroma`, the card's Cr, is given."""
    above = [c for c in unicodedata.normalize("NFD", syllable) if c in _ABOVE]
    if above and set(above) <= _HATS:
        return _unread_tone(gray, box, chroma)
    if above:
        return False
    x0, y0, x1, y1 = box
    h = y1 - y0
    found = _blobs(gray, box, chroma) if y0 >= _NEAR * h else None
    if found is None:
        return False
    blobs, _, top, left_edge = found
    body_top = y0 - top
    over, seen = _over(blobs, left_edge, (x0, x1), body_top, h)
    return any(bottom >= body_top - _NEAR * h for _, _, bottom, _ in seen) and over < _LINE


def _over(blobs, left_edge: int, span: tuple[int, int], letters_top: int, tall: int) -> tuple[int, list]:
    """How many blobs lie over a word's letters (not specks, not beside the word, not letters of it), and
    those of them shaped like a mark (the window's top not cutting them): their middle, top, bottom and
    component index. `letters_top` is in the window's rows; `tall`, the letters' height."""
    over, marks_seen = 0, []
    for index, (left, upper, w, height, area) in enumerate(blobs, 1):
        middle = left_edge + left + w / 2
        lowest = upper + height
        if area < _MARK_AREA * tall * tall or not span[0] < middle < span[1] or lowest > letters_top + 0.05 * tall:
            continue  # a speck, beside the word, or a letter of it
        over += 1
        if upper > 0 and _MARK_HEIGHT[0] * tall <= height <= _MARK_HEIGHT[1] * tall and w <= tall:
            marks_seen.append((middle, upper, lowest, index))
    return over, marks_seen


def _blobs(gray: np.ndarray, box: tuple[int, int, int, int], chroma: np.ndarray | None):
    """The blobs of dark print over a word and around it (`_REACH` of its height above, `_OVER` either
    side; red ink set aside where the card's Cr is given) as OpenCV's component stats, with the window's
    top and left in card pixels; None where the word is too small or its print too faint to tell."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    if h < 6 or x1 - x0 < h / 2:
        return None
    top = max(0, y0 - round(_REACH * h))
    left_edge, right_edge = max(0, x0 - round(_OVER * h)), min(gray.shape[1], x1 + round(_OVER * h))
    found = _components(gray, chroma, (left_edge, top, right_edge, y1), (max(0, x0), y0, min(gray.shape[1], x1), y1))
    return None if found is None else (*found, top, left_edge)


def _components(gray: np.ndarray, chroma: np.ndarray | None, window: tuple[int, int, int, int],
                body: tuple[int, int, int, int]):
    """The connected blobs of dark print in a window of the card (x0, y0, x1, y1), dark meaning darker than
    halfway from its paper to the ink of the word's `body`, red ink set aside where the card's Cr is given:
    OpenCV's component stats and label image; None where there is too little contrast to tell a mark from
    the card's print."""
    area = gray[window[1]:window[3], window[0]:window[2]]
    letters = gray[body[1]:body[3], body[0]:body[2]]
    if area.size == 0 or letters.size == 0:
        return None
    paper, ink = float(np.percentile(area, 90)), float(np.percentile(letters, 10))
    if paper - ink < 40:
        return None
    tint = None if chroma is None else chroma[window[1]:window[3], window[0]:window[2]]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        _black(area, (paper + ink) / 2, tint).astype(np.uint8), connectivity=8)
    return stats[1:count], labels


def _black(window: np.ndarray, threshold: float, tint: np.ndarray | None) -> np.ndarray:
    """The window's pixels darker than the threshold, without red ink where the card's Cr (`tint`) is given:
    its fringe goes too (a blurred digit's pale edge, less red, is left a scrap the size of a mark), but not
    a black mark touching it (black print is darker than the red ink)."""
    dark = window < threshold
    if tint is not None:
        red = dark & (redness(tint, ~dark) >= COLOURED / 2)
        if red.any():
            near = cv2.dilate(red.astype(np.uint8), _FRINGE) > 0
            dark &= ~red & ~(near & (window >= np.median(window[red])))
    return dark


def _unread_tone(gray: np.ndarray, box: tuple[int, int, int, int], chroma: np.ndarray | None) -> bool:
    """Whether a tone mark lies over the circumflex or breve of a syllable read with that alone (`YÊN` read
    for a printed `YẾN`): two marks apart from each other and from the letters, one over the other, over
    it, or one that is a circumflex with its tone blurred into it (`_tone_joined`). Tesseract's box may
    hold the circumflex or not, so the letters' top is taken from the ink of the letters themselves (what
    reaches down near the box's bottom). A tone that joins its circumflex in one even chevron (some serif
    faces) is not told from a circumflex alone: the syllable is left as read."""
    found = _blobs(gray, box, chroma)
    if found is None:
        return False
    blobs, labels, top, left_edge = found
    x0, _, x1, y1 = box
    h = y1 - box[1]
    bottom = y1 - top
    letters = [upper for left, upper, w, height, area in blobs
               if upper + height >= bottom - 0.3 * h and height >= 0.4 * h]
    if not letters:
        return False
    letters_top = min(letters)
    tall = bottom - letters_top  # the letters' own height
    over, marks_seen = _over(blobs, left_edge, (x0, x1), letters_top, tall)
    if over >= _LINE or not 1 <= len(marks_seen) <= 2:
        return False
    if len(marks_seen) == 1:
        return _tone_joined(labels == marks_seen[0][3], letters_top, tall)
    (hat_x, hat_top, hat_bottom, _), (tone_x, _, tone_bottom, _) = sorted(marks_seen, key=lambda m: -m[2])
    # the circumflex just over the letters, the tone on it or beside it (not a line's dot or comma well
    # above it), over the same letter
    return bool(letters_top - hat_bottom <= _NEAR * tall and hat_top - _MARK_GAP * tall <= tone_bottom < hat_bottom
                and abs(tone_x - hat_x) <= 0.5 * tall)


def _tone_joined(blob: np.ndarray, letters_top: int, tall: int) -> bool:
    """Whether one blob over a circumflex's letter is the circumflex with its tone joined to it (blurred
    together, `Ế` in a tight face): its top off to one side of its middle (an acute, a grave, a hook), or
    its height past _JOINED_HEIGHT of its width (a tilde stacked on it). A circumflex alone is a chevron,
    its top in its middle, three times as wide as it is tall or flatter."""
    rows, cols = np.nonzero(blob)
    width, height = cols.max() - cols.min() + 1, rows.max() - rows.min() + 1
    if letters_top - rows.max() > _NEAR * tall:
        return False  # not just over the letters: no circumflex of theirs
    crown = cols[rows <= rows.min() + max(1, round(0.15 * height))]  # its topmost rows
    off = abs(float(crown.mean()) - (cols.min() + cols.max()) / 2) / width
    return bool(off > _OFF_CENTRE or height > _JOINED_HEIGHT * width)


# of the letters' height under their baseline: where a dot below starts (at most) and ends (at most), and the
# zone under the word in which any other ink (a line of print set close below: its marks, its letters' tops)
# leaves the dot untold
_DOT_TOP, _DOT_BOTTOM, _DOT_ZONE = 0.25, 0.45, 0.75
_DOT_SIZE = 0.3  # of the letters' height: a dot below is no taller nor wider than this


def unread_dot(gray: np.ndarray, box: tuple[int, int, int, int], syllable: str,
               chroma: np.ndarray | None = None) -> bool:
    """Whether a dot lies under a word read with no dot below it (`PHƯƠNG` read for a printed `PHƯỢNG`,
    by every look), whatever the typeface: one small round blob of ink apart from the letters, just under
    their baseline and between the word's ends, with no other ink under the word there (a line of print
    set close below, its marks and the tops of its letters, leaves it untold: False)."""
    if DOT_BELOW in unicodedata.normalize("NFD", syllable):
        return False
    x0, y0, x1, y1 = box
    h = y1 - y0
    if h < 6 or x1 - x0 < h / 2 or x0 < 0 or y0 < 0:
        return False
    bottom, right = min(gray.shape[0], y1 + round(_DOT_ZONE * h)), min(gray.shape[1], x1)
    found = _components(gray, chroma, (x0, y0, right, bottom), (x0, y0, right, y1)) if bottom - y0 >= h else None
    if found is None:
        return False
    blobs, _ = found
    letters = [(top, height) for _, top, _, height, _ in blobs if height >= 0.4 * h]
    if not letters:
        return False
    baseline = float(np.median([top + height for top, height in letters]))
    tall = baseline - min(top for top, _ in letters)
    if tall < 6 or baseline + _DOT_ZONE * tall > bottom - y0:
        return False  # (the card ends under the word: what lies there is not seen)
    dots, others = 0, 0
    for _, top, width, height, area in blobs:
        if top <= baseline or top >= baseline + _DOT_ZONE * tall or area < _MARK_AREA * tall * tall:
            continue  # a letter (or a dot joined to it: read or not, untold), ink further down, or a speck
        if (top <= baseline + _DOT_TOP * tall and top + height <= baseline + _DOT_BOTTOM * tall
                and max(width, height) <= _DOT_SIZE * tall and max(width, height) <= 2.5 * min(width, height)):
            dots += 1
        else:
            others += 1  # the next line's print, or a stroke of the card's pattern
    return dots == 1 and others == 0
