"""Find the card in a photo and warp it to the canonical landscape rectangle."""

import cv2
import numpy as np

from .layout import CARD_H, CARD_W

MAX_SIDE = 1600
_DETECT_WIDTH = 640
_MIN_AREA = 0.12  # of the picture; smaller outlines are table texture, not the card


def downscale(bgr: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    """Shrink a large photo so its longer side is at most max_side (phones shoot 12 MP and more)."""
    scale = max_side / max(bgr.shape[:2])
    if scale >= 1:
        return bgr
    return cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left, the long edge on top."""
    sums, diffs = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    ordered = np.array([quad[sums.argmin()], quad[diffs.argmin()], quad[sums.argmax()], quad[diffs.argmax()]])
    if np.linalg.norm(ordered[1] - ordered[0]) < np.linalg.norm(ordered[3] - ordered[0]):
        ordered = np.roll(ordered, 1, axis=0)  # a card standing on its side: top edge is the left one
    return ordered.astype(np.float32)


def find_card(bgr: np.ndarray) -> np.ndarray | None:
    """The four corners of the card in the photo, or None when its outline cannot be seen."""
    scale = _DETECT_WIDTH / bgr.shape[1]
    small = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(gray, 30, 90), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if not _MIN_AREA < area < 0.95:
        return None
    hull = cv2.convexHull(outline)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(quad) != 4:
        quad = cv2.boxPoints(cv2.minAreaRect(hull))
    return _order(quad.astype(np.float32) / scale)


def rectify(bgr: np.ndarray) -> np.ndarray:
    """The card warped to CARD_W x CARD_H; a photo without a visible outline is taken as a scan."""
    quad = find_card(bgr)
    if quad is None:
        height, width = bgr.shape[:2]
        quad = _order(np.float32([[0, 0], [width, 0], [width, height], [0, height]]))
    target = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(bgr, matrix, (CARD_W, CARD_H), flags=cv2.INTER_LINEAR)
