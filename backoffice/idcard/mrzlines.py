"""Find the MRZ on a card back by its shape: three long, evenly spaced lines of equal length.

A morphological text-line detector (black-hat to keep dark print, a horizontal gradient, a
closing wider than a character's gap) turns each printed line into a blob; the MRZ is the best
triple of long, thin, parallel blobs of similar length stacked at an even pitch (issue 19: no fixed
band). The band is deskewed and cut out for the reader, in whatever monospace face it was printed.
"""

from dataclasses import dataclass
from itertools import combinations

import cv2
import numpy as np

from .looks import flattened

_WIDTH = 800  # the detector works at this card width
_MIN_LENGTH = 0.45  # of the card width: an MRZ line of 30 characters spans most of it
_MAX_TILT = 12.0  # degrees
_SAME_LENGTH = 0.12  # the three lines' lengths differ by at most this share (a finger may cut one)
# pieces of one line broken by glare or a thumb (_same_line): tilts within _JOIN_TILT degrees, heights
# within _JOIN_HEIGHT of each other, centres within _JOIN_ROW heights across the line, _GAP heights apart
_JOIN_TILT, _JOIN_HEIGHT, _JOIN_ROW, _GAP = 3.0, 0.6, 0.35, 4.0
_COVERED = 0.3  # of the longest line: others may be this much shorter where something covers one end
_EVEN = 0.25  # of the larger pitch: the two pitches between the lines differ by at most this
_PITCHES = 22.0  # line pitches an MRZ line spans at most (30 characters: 9.6-16 on 300 cards of two renderers)
_LEVEL = 1.5  # line heights: the ends the three lines share then lie this close
# a whole photo (in_photo): looked at this wide, its MRZ lines this share of its width at least (a card
# across 40% of it), as tall as this share of its height, and this many bands read at most
_PHOTO_WIDTH, _PHOTO_LENGTH, _PHOTO_HEIGHTS, _IN_PHOTO = 1600, 0.15, (0.006, 0.06), 4


@dataclass(frozen=True)
class Band:
    """The MRZ on the card: its three lines as rotated rectangles, in card pixels."""

    lines: tuple[tuple[tuple[float, float], tuple[float, float], float], ...]  # ((cx, cy), (w, h), angle)

    @property
    def centre_y(self) -> float:
        """Vertical middle of the band, card pixels."""
        return sum(line[0][1] for line in self.lines) / len(self.lines)


def _blobs(gray: np.ndarray, least: float = _MIN_LENGTH, heights: tuple[float, float] = (0.015, 0.12)
           ) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """Line-shaped blobs as rotated rectangles with width >= height and angle in degrees: each the
    print of one line, its pieces joined where glare or a thumb broke it (_joined); `least` of the
    image's width long, as tall as `heights` of its height."""
    h = gray.shape[0]
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 7)))
    gradient = np.abs(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    gradient = cv2.normalize(gradient, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    joined = cv2.morphologyEx(gradient, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 3)))
    _, binary = cv2.threshold(joined, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pieces = [_lying(cv2.minAreaRect(contour)) for contour in contours]
    pieces = [p for p in pieces if heights[0] * h <= p[1][1] <= heights[1] * h and abs(p[2]) <= _MAX_TILT]
    return [line for line in _joined(pieces) if line[1][0] >= least * gray.shape[1]]


def _lying(rect):
    """A rotated rectangle as wide as it is long at least, its angle within ±90 degrees of level."""
    (cx, cy), (w, hh), angle = rect
    if hh > w:
        w, hh, angle = hh, w, angle - 90
    return (cx, cy), (w, hh), (angle + 90) % 180 - 90


def _same_line(a, b) -> bool:
    """Whether two pieces are one printed line broken (b to the right of a): as tilted, on one row,
    of like height, the gap between them at most _GAP of their height (a few faded characters)."""
    (ax, ay), (aw, ah), angle = a
    (bx, by), (bw, bh), other = b
    if abs(angle - other) > _JOIN_TILT or min(ah, bh) < _JOIN_HEIGHT * max(ah, bh):
        return False
    dx, dy = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    along, across = (bx - ax) * dx + (by - ay) * dy, -(bx - ax) * dy + (by - ay) * dx
    return abs(across) <= _JOIN_ROW * max(ah, bh) and 0 < along and along - (aw + bw) / 2 <= _GAP * max(ah, bh)


def _joined(pieces: list) -> list:
    """The pieces with each run of pieces on one line (_same_line, left to right) made one blob."""
    runs: list[list] = []
    for piece in sorted(pieces, key=lambda p: p[0][0] - p[1][0] / 2):
        run = next((r for r in runs if _same_line(r[-1], piece)), None)
        if run is None:
            runs.append([piece])
        else:
            run.append(piece)
    return [run[0] if len(run) == 1 else _lying(cv2.minAreaRect(np.concatenate([cv2.boxPoints(p) for p in run])))
            for run in runs]


def _like_lengths(lines) -> bool:
    """Whether lines are as long as an MRZ's: all within _SAME_LENGTH of each other, or, where glare or a
    thumb lies over one end of some, shorter by up to _COVERED with their other ends level (lines of
    prose that long end where their words do)."""
    lengths = [line[1][0] for line in lines]
    if max(lengths) - min(lengths) <= _SAME_LENGTH * max(lengths):
        return True
    if min(lengths) < (1 - _COVERED) * max(lengths):
        return False
    height = max(line[1][1] for line in lines)
    return any(np.ptp([line[0][0] + side * line[1][0] / 2 for line in lines]) <= _LEVEL * height
               for side in (-1, 1))


def _triple_cost(lines) -> float:
    """How unlike an MRZ a set of lines is: unequal lengths, heights, pitch, tilt, left edges."""
    lengths = [line[1][0] for line in lines]
    heights = [line[1][1] for line in lines]
    ys = [line[0][1] for line in lines]
    pitches = np.diff(ys)
    if min(pitches) < 1.1 * max(heights) or max(pitches) > 3.5 * max(heights):
        return float("inf")
    if np.ptp(pitches) > _EVEN * max(pitches):
        return float("inf")  # an MRZ's lines are evenly spaced: a value's lines under its label are not
    if max(lengths) > _PITCHES * np.mean(pitches):
        return float("inf")  # 30 characters of a monospace face span about 15 pitches: print set closer is prose
    if not _like_lengths(lines):
        return float("inf")  # 30 characters each: lines of prose end where their words do
    cost = np.ptp(lengths) / max(lengths) + np.ptp(heights) / max(heights)
    cost += (np.ptp(pitches) / max(pitches) if len(pitches) > 1 else 0.3)
    cost += np.ptp([line[2] for line in lines]) / 10
    return float(cost) - 0.002 * min(lengths)  # longer lines are likelier the MRZ


def locate(gray: np.ndarray) -> Band | None:
    """The MRZ lines of a card side (grayscale), or None when no triple of lines fits (two long
    header lines are not an MRZ).

    Where none fits, the side is looked at again divided by its paper: light falling off across
    the card leaves the thin `<` of the lit end too faint for the one threshold, and its lines come
    out of unequal length."""
    scale = _WIDTH / gray.shape[1]
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    best = _best_triple(small)
    if best is None:
        best = _best_triple(flattened(small))
    return _band(best, scale) if best is not None else None


def _band(lines: list, scale: float) -> Band:
    """Three line blobs found at `scale` as a band in the image's own pixels."""
    return Band(tuple(((cx / scale, cy / scale), (w / scale, hh / scale), a) for (cx, cy), (w, hh), a in lines))


def _best_triple(small: np.ndarray) -> list | None:
    """The three line blobs stacked next to one another likeliest the MRZ, or None."""
    blobs = sorted(_blobs(small), key=lambda b: b[0][1])
    costed = [(cost, i) for i in range(len(blobs) - 2) if (cost := _triple_cost(blobs[i:i + 3])) < float("inf")]
    if not costed:
        return None
    first = min(costed)[1]
    return blobs[first:first + 3]


def _alone(blobs: list) -> list[list]:
    """Each three like lines of the photo stacked at an even pitch (any lines between them in the photo,
    as the lines of a page beside a tilted card) and with no fourth line like them a pitch above or below
    (a page's print runs on): the likeliest MRZ first."""
    blobs = sorted(blobs, key=lambda b: b[0][1])
    costed = []
    for triple in combinations(blobs, 3):
        if np.ptp([line[2] for line in triple]) > _JOIN_TILT or not _over_one_another(triple):
            continue
        cost = _triple_cost(triple)
        if cost < float("inf") and not any(_continues(triple, other) for other in blobs if other not in triple):
            costed.append((cost, list(triple)))
    return [triple for _, triple in sorted(costed, key=lambda c: c[0])]


def _over_one_another(lines) -> bool:
    """Whether lines lie one over another: each one's middle within the others' span along the line."""
    return all(abs(a[0][0] - b[0][0]) <= min(a[1][0], b[1][0]) / 2 for a, b in combinations(lines, 2))


def _continues(triple, other) -> bool:
    """Whether a line goes on the triple's stack a pitch above or below it, as long and as tilted."""
    pitch = (triple[2][0][1] - triple[0][0][1]) / 2
    length = np.mean([line[1][0] for line in triple])
    if abs(other[2] - triple[1][2]) > _JOIN_TILT or other[1][0] < (1 - _COVERED) * length:
        return False
    return any(abs(other[0][1] - (end[0][1] + step)) <= _JOIN_ROW * pitch and _over_one_another((end, other))
               for end, step in ((triple[0], -pitch), (triple[2], pitch)))


def in_photo(gray: np.ndarray, most: int = _IN_PHOTO) -> list[Band]:
    """MRZ bands anywhere in a whole photo, the likeliest first (at most `most`): where no outline of
    the card was confirmed, the MRZ is looked for without it. Its lines then span a card's share of
    the photo (down to _PHOTO_LENGTH of its width), and the photo is looked at as large as a card
    side is (_PHOTO_WIDTH), so that a card across half of it has its print at the size the detector
    knows. Lines of a printed page under the card are stacked as evenly: the caller keeps only a band
    whose reading passes the MRZ's check digits."""
    scale = min(1.0, _PHOTO_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    bands = []
    for look in (small, flattened(small)):
        blobs = _blobs(look, _PHOTO_LENGTH, _PHOTO_HEIGHTS)
        for triple in _alone(blobs):
            band = _band(triple, scale)
            if band not in bands:
                bands.append(band)
    return bands[:most]


def cut(gray: np.ndarray, band: Band, pad: float = 0.7) -> np.ndarray:
    """The band deskewed and cropped, with `pad` line heights of margin around it."""
    angle = float(np.mean([line[2] for line in band.lines]))
    centre = (float(np.mean([line[0][0] for line in band.lines])), band.centre_y)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    upright = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)
    height = max(line[1][1] for line in band.lines)
    ys = [line[0][1] for line in band.lines]
    # the rotation keeps the centre: lines sit at their distances from it along the band's normal, and
    # the crop spans them all (lines cut short at one end by glare or a thumb are not centred on the others)
    top = centre[1] + (min(ys) - centre[1]) - height / 2 - pad * height
    bottom = centre[1] + (max(ys) - centre[1]) + height / 2 + pad * height
    left = min(line[0][0] - line[1][0] / 2 for line in band.lines) - pad * height
    right = max(line[0][0] + line[1][0] / 2 for line in band.lines) + pad * height
    y0, y1 = max(0, int(top)), min(gray.shape[0], int(bottom))
    x0, x1 = max(0, int(left)), min(gray.shape[1], int(right))
    return upright[y0:y1, x0:x1]
