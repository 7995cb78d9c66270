"""Find the MRZ on a card back by its shape: three long, evenly spaced lines of equal length.

A morphological text-line detector (black-hat to keep dark print, a horizontal gradient, a
closing wider than a character's gap) turns each printed line into a blob; the MRZ is the best
triple of long, thin, parallel blobs of similar length stacked at an even pitch (issue 19: no fixed
band). The band is deskewed and cut out for the reader, in whatever monospace face it was printed.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Band:
    """The MRZ on the card: its three lines as rotated rectangles, in card pixels."""

    lines: tuple[tuple[tuple[float, float], tuple[float, float], float], ...]  # ((cx, cy), (w, h), angle)

    @property
    def centre_y(self) -> float:
        """Vertical middle of the band, card pixels."""
        return sum(line[0][1] for line in self.lines) / len(self.lines)


def _blobs(gray: np.ndarray) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """Line-shaped blobs as rotated rectangles with width >= height and angle in degrees: each the
    print of one line, its pieces joined where glare or a thumb broke it (_joined)."""
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
    pieces = [p for p in pieces if 0.015 * h <= p[1][1] <= 0.12 * h and abs(p[2]) <= _MAX_TILT]
    return [line for line in _joined(pieces) if line[1][0] >= _MIN_LENGTH * gray.shape[1]]


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
    if best is None:
        return None
    return Band(tuple(((cx / scale, cy / scale), (w / scale, hh / scale), a) for (cx, cy), (w, hh), a in best))


def _best_triple(small: np.ndarray) -> list | None:
    """The three line blobs likeliest the MRZ, or None."""
    blobs = sorted(_blobs(small), key=lambda b: b[0][1])
    best, best_cost = None, float("inf")
    for i in range(len(blobs) - 2):
        group = blobs[i:i + 3]
        cost = _triple_cost(group)
        if cost < best_cost:
            best, best_cost = group, cost
    return best


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
