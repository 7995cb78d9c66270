"""Three looks at a field crop for Tesseract's fast models, whose misreads change from look to look.

The first look sharpens before shrinking: on 420 barcode CCCD and CMND cards it brought the wrong
OCR values from 11 to 7 (blurred CMND places of origin 87% -> 97% right) for ~0.01 CPU s a card.

On generated cards each look alone misreads 2-4% of names and addresses (uppercase diacritics:
NGUYỄN read as NGUYÊN, ĐẶNG as ĐĂNG) and 1-3% of the large red CMND digits; the value that most
looks agree on misreads about half as often (bench/idcard.py, docs/benchmarks.md).
"""

from collections import Counter

import cv2
import numpy as np

SHRINK = 0.7  # the models read the card's 28-42 px text better a little smaller
_PAPER_KERNEL = cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))  # wider than any stroke
_BOLD_KERNEL = np.ones((3, 3), np.uint8)
_REACH_KERNEL = cv2.getStructuringElement(cv2.MORPH_RECT, (61, 61))  # about two text lines: ink around a place
_REACH_SMOOTH = 15
_LEAST_INK = 25.0  # of 255: an area whose darkest ink is fainter than this is paper
_WASHED = 0.6  # of a line's darkest ink: a piece of it fainter than this was washed out
_CUT_INK = 0.3  # of a crop's darkest ink: a pixel this dark belongs to a stroke
_CUT_REACH = 0.5  # of a crop's height: a stroke from its top edge ending above this is the line above's
_FRINGE = 3  # px around such a stroke's box painted over too (its blurred edge, under the stroke threshold)
COLOURED = 20  # Cr (YCrCb's red difference) above the paper's from which ink is red
_COLOURED_SHARE = 0.5  # of a crop's ink that is red for its value to be printed in red
_FEWEST = 20  # pixels of ink, and of paper, below which a crop's colours say nothing
_UNSHARP_SIGMA, _UNSHARP_AMOUNT = 1.5, 0.8  # undoes about as much blur as a shaky phone adds


def shrunk(gray: np.ndarray) -> np.ndarray:
    """The crop at 70%."""
    return cv2.resize(gray, None, fx=SHRINK, fy=SHRINK, interpolation=cv2.INTER_AREA)


def sharpened(gray: np.ndarray, sigma: float = _UNSHARP_SIGMA, amount: float = _UNSHARP_AMOUNT) -> np.ndarray:
    """The picture sharpened by an unsharp mask: a blurred photo's soft strokes come back."""
    soft = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, soft, -amount, 0)


def crisper(gray: np.ndarray) -> np.ndarray:
    """The crop sharpened by an unsharp mask, then at 70%."""
    return shrunk(sharpened(gray))


def flattened(gray: np.ndarray) -> np.ndarray:
    """The crop divided by its paper (a closing removes the strokes): uneven light and tint even out."""
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, _PAPER_KERNEL)
    return cv2.divide(gray, paper, scale=255)


def stretched(gray: np.ndarray) -> np.ndarray:
    """The picture divided by its paper, then each place's ink scaled by the darkest ink around it:
    print washed out by a glare spot (or faded) comes back as dark as the print elsewhere. Where
    there is no ink around (blank paper), nothing is scaled up: noise stays noise."""
    ink = 255 - flattened(gray).astype(np.float32)
    peak = cv2.GaussianBlur(cv2.dilate(ink, _REACH_KERNEL), (0, 0), _REACH_SMOOTH)
    return (255 - np.clip(ink / np.maximum(peak, _LEAST_INK) * 255, 0, 255)).astype(np.uint8)


def washed(gray: np.ndarray) -> bool:
    """Whether part of a value line's print is much fainter than the rest of it (a glare spot or a
    shadow over part of the line): the line cut into pieces a line height wide, the darkest ink of
    each (paper divided out) is under `_WASHED` of the line's darkest somewhere. Pieces with no ink
    at all (gaps, the blank end of the box) do not count; a uniformly soft line (blur) is not washed."""
    h = gray.shape[0]
    if h < 4 or gray.shape[1] < 2 * h:
        return False
    ink = 255 - flattened(gray).astype(np.float32)
    column = np.percentile(ink, 95, axis=0)
    pieces = column[:column.size // h * h].reshape(-1, h).max(axis=1)
    if column.size % h >= h // 2:  # the line's end (a name's last letters) is a piece of its own
        pieces = np.append(pieces, column[column.size // h * h:].max())
    inked = pieces[pieces >= _LEAST_INK]
    return inked.size >= 2 and float(inked.min()) < _WASHED * float(inked.max())


def evened(gray: np.ndarray) -> np.ndarray:
    """A value crop as the looks should see it: stretched (`stretched`) where glare washed part of
    its print out (`washed`), else as it is."""
    return stretched(gray) if washed(gray) else gray


def redness(chroma: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """How far each pixel's Cr (YCrCb's red difference) stands above the paper's, the median Cr where
    `paper` is set: ink is red from `COLOURED` up."""
    return chroma.astype(np.float32) - float(np.median(chroma[paper]))


def own_ink(gray: np.ndarray, chroma: np.ndarray | None) -> np.ndarray:
    """A value crop printed in red (the CCCD's and the CMND's number) with the ink of another colour
    painted over with paper: the black marks of a name printed close above or below it, which a
    look reads as strokes of its digits (`0` read `9` under the tilde of `NGUYỄN`).

    `chroma` is the crop's Cr. Ink (Otsu's threshold) is red where its Cr stands `COLOURED` above the
    paper's; the value is red when most of its ink is. Painted over is ink that is not red and darker
    than the red ink's median, with a pixel around it that is not red either: black print. Red ink
    that glare washed out or JPEG left pale is lighter than that, never darker, so it stays. A crop
    without such ink, or whose value is not red, is returned as it is."""
    if chroma is None or chroma.shape != gray.shape or gray.size == 0:
        return gray
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = gray < threshold
    if np.count_nonzero(ink) < _FEWEST or np.count_nonzero(~ink) < _FEWEST:
        return gray
    above = redness(chroma, ~ink)
    red = ink & (above >= COLOURED)
    if np.count_nonzero(red) < _COLOURED_SHARE * np.count_nonzero(ink):
        return gray
    neutral = above < COLOURED / 2
    black = ink & neutral & (gray < np.median(gray[red]))
    if not black.any():
        return gray
    black = cv2.dilate(black.astype(np.uint8), _BOLD_KERNEL).astype(bool) & neutral
    out = gray.copy()
    out[black] = np.uint8(np.median(gray[~ink]))
    return out


def cleared_above(gray: np.ndarray) -> np.ndarray:
    """A value crop whose top edge cuts through the line printed above it, with that line's ink
    painted over with the paper of each column below it.

    That line's strokes cross the top edge and end in the crop's upper half (a line's own letters
    reach through its middle; its marks do not touch the edge). They are painted over, with their
    soft fringe (blur), down to where most of them end (that line's baseline): a mark of this
    line touching one of them stays, as do other strokes beside them."""
    h = gray.shape[0]
    if h < 4:
        return gray
    ink = 255 - flattened(gray).astype(np.float32)
    dark = (ink >= max(_LEAST_INK, _CUT_INK * float(np.percentile(ink, 99)))).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    cut = [i for i in range(1, count)
           if stats[i, cv2.CC_STAT_TOP] == 0 and stats[i, cv2.CC_STAT_HEIGHT] <= h * _CUT_REACH]
    if not cut:
        return gray
    base = int(np.median([stats[i, cv2.CC_STAT_HEIGHT] for i in cut])) + _FRINGE
    mask = np.zeros(gray.shape, bool)
    for i in cut:
        left, width = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_WIDTH]
        mask[:min(base, stats[i, cv2.CC_STAT_HEIGHT] + _FRINGE), max(0, left - _FRINGE):left + width + _FRINGE] = True
    mask &= ~(cv2.dilate(((labels > 0) & ~np.isin(labels, cut)).astype(np.uint8), _BOLD_KERNEL) > 0)
    paper = _column_paper(gray, mask)
    out = gray.copy()
    out[mask] = np.broadcast_to(paper, gray.shape)[mask].astype(np.uint8)
    return out


def _column_paper(gray: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Each column's 90th percentile of its pixels not `hidden` (the crop's own where all are), as
    numpy's nanpercentile (linear) computes it, at a fraction of its cost: the values sorted once,
    the hidden ones last."""
    values = np.where(hidden, np.inf, gray.astype(np.float64))
    ranked = np.sort(values, axis=0)
    shown = (~hidden).sum(axis=0)
    at = 0.9 * np.maximum(shown - 1, 0)
    low = np.floor(at).astype(int)
    high = np.minimum(low + 1, np.maximum(shown - 1, 0))
    columns = np.arange(gray.shape[1])
    with np.errstate(invalid="ignore"):  # a column all hidden: inf - inf, replaced below
        paper = ranked[low, columns] + (at - low) * (ranked[high, columns] - ranked[low, columns])
    return np.where(shown > 0, paper, float(np.percentile(gray, 90)))


def bolder(gray: np.ndarray) -> np.ndarray:
    """Dark strokes thickened by a pixel on each side (thin serif strokes and diacritics show more)."""
    return cv2.erode(gray, _BOLD_KERNEL)


LOOKS = (crisper, flattened, bolder)  # in order of preference when no value has a majority


def vote(values: list) -> tuple[object, int]:
    """The value most looks read (the earliest look's on a tie) and how many read it; None is no vote."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None, 0
    most = max(counts.values())
    return next(v for v in values if v is not None and counts[v] == most), most
