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


@dataclass(frozen=True)
class Band:
    """The MRZ on the card: its three lines as rotated rectangles, in card pixels."""

    lines: tuple[tuple[tuple[float, float], tuple[float, float], float], ...]  # ((cx, cy), (w, h), angle)

    @property
    def centre_y(self) -> float:
        """Vertical middle of the band, card pixels."""
        return sum(line[0][1] for line in self.lines) / len(self.lines)


def _blobs(gray: np.ndarray) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """Line-shaped blobs as rotated rectangles with width >= height and angle in degrees."""
    h = gray.shape[0]
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 7)))
    gradient = np.abs(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    gradient = cv2.normalize(gradient, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    joined = cv2.morphologyEx(gradient, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 3)))
    _, binary = cv2.threshold(joined, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for contour in contours:
        (cx, cy), (w, hh), angle = cv2.minAreaRect(contour)
        if hh > w:
            w, hh, angle = hh, w, angle - 90
        angle = (angle + 90) % 180 - 90
        if w >= _MIN_LENGTH * gray.shape[1] and 0.015 * h <= hh <= 0.12 * h and abs(angle) <= _MAX_TILT:
            found.append(((cx, cy), (w, hh), angle))
    return found


def _triple_cost(lines) -> float:
    """How unlike an MRZ a set of lines is: unequal lengths, heights, pitch, tilt, left edges."""
    lengths = [line[1][0] for line in lines]
    heights = [line[1][1] for line in lines]
    ys = [line[0][1] for line in lines]
    pitches = np.diff(ys)
    if min(pitches) < 1.1 * max(heights) or max(pitches) > 3.5 * max(heights):
        return float("inf")
    if np.ptp(lengths) > _SAME_LENGTH * max(lengths):
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
    width = max(line[1][0] for line in band.lines)
    ys = [line[0][1] for line in band.lines]
    # the rotation keeps the centre: lines sit at their distances from it along the band's normal
    top = centre[1] + (min(ys) - centre[1]) - height / 2 - pad * height
    bottom = centre[1] + (max(ys) - centre[1]) + height / 2 + pad * height
    left, right = centre[0] - width / 2 - pad * height, centre[0] + width / 2 + pad * height
    y0, y1 = max(0, int(top)), min(gray.shape[0], int(bottom))
    x0, x1 = max(0, int(left)), min(gray.shape[1], int(right))
    return upright[y0:y1, x0:x1]
