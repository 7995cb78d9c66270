"""Find the card in a photo and warp it to the canonical landscape rectangle.

Several cues each propose outlines; none is trusted alone (issue 19):

- a background model: the colours along the photo's border are the table (wood, cloth, paper,
  a keyboard); the card is the large region that differs from all of them;
- edges: closed outlines of Canny edges (a card on a plain, darker table);
- texture: the region plainer than the border (a pale card on a printed page of the same colour);
- either: the region unlike the table's colours or plainer than it, together (a pale card on a
  printed page, blurred: its tinted part differs in colour, its white part only in texture);
- the whole photo, for scans and cards that fill the frame.

Each outline's sides are refitted to the boundary points along their middle (rounded corners and
a finger over a corner do not bend them). Outlines are ranked by shape here; the pipeline then
keeps the one whose content (printed labels, QR, MRZ) confirms it, and the whole photo is only
used when its content does.
"""

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .layout import CARD_H, CARD_W

MAX_SIDE = 1600
_DETECT_WIDTH = 640
_MIN_AREA = 0.05  # of the picture (a card across 28% of its width); smaller outlines are table texture
_MAX_AREA = 0.97  # larger ones run along the photo's own edges
_BORDER = 0.03  # share of each side sampled as the table
_TABLE_COLOURS = 5
_ASPECT = (1.15, 2.2)  # long / short side of an ID-1 card (1.586) seen at up to ~30 degrees
_WHOLE = "whole"
# the cue of the region unlike the table with skin taken out: read after the other cues' first outlines (a
# card's own skin tones, its portrait's face, its tint, may cut other outlines out of it), and where another
# cue's outline is confirmed, read if nested in it, to replace it if it reads more
UNSKINNED = "unskinned"
EITHER = "either"  # the cue of the region unlike the table's colours or plainer than it (tried last)
_LEAST_HUE, _LEAST_LIGHTNESS = 6.0, 22.0  # Lab units: smaller differences are the table's own
_MEDIAN = 7  # at half the detection width
_SEGMENTS = 16  # stretches of the border (four a side) over which a table colour must run
_PRESENT = 0.05  # share of a stretch's pixels from which a colour is on it
_STRAIGHT = 0.01  # of the perimeter: the polygon tolerance that keeps a card's edges as long straight runs
_RUN, _RUN_ANGLE = 0.05, 8.0  # a straight run: this share of the perimeter at least; runs of one edge: degrees
_BETTER = 0.03  # of the perimeter supported: the edge-line quad replaces the polygon's when better by this
_SEED = 19  # any fixed value: k-means must not depend on what the process read before
_ATTEMPTS = 4  # k-means runs from different starts, the tightest kept: less hangs on one draw
_PIECE = 0.002  # of the picture: a piece of the tint mask this large is the card's print, not a speck
_BEHIND = 0.5  # the joined pieces' shape score is scaled by this: tried after whole regions' outlines
_GRAIN = 15  # px at the detection width: the window over which edges are counted as texture
_OVER_PRINT = 41  # px at the detection width: the plain region is closed over print this wide
_PLAINER = 0.5  # of the border's plainer stretches' edge density: below it, a region is plainer than the table
_SKIN_CR, _SKIN_CB = (133, 173), (77, 127)  # the YCrCb box of skin tones (Chai and Ngan, 1999)
_SKIN_AREA = 0.005  # of the picture: less skin than this over the card is no thumb
_AROUND = 5  # stretches a colour must be on to be the table's (the card touching a corner covers fewer)


@dataclass(frozen=True)
class Outline:
    """A proposed card outline: corners in photo pixels (TL, TR, BR, BL), the cue, a shape score."""

    quad: np.ndarray
    cue: str
    score: float
    boxed: bool = False  # the least rectangle around a region, not its own outline (read after every other)


def downscale(bgr: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    """Shrink a large photo so its longer side is at most max_side (phones shoot 12 MP and more)."""
    scale = max_side / max(bgr.shape[:2])
    if scale >= 1:
        return bgr
    return cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left, the long edge on top."""
    centre = quad.mean(axis=0)
    angles = np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0])
    ring = quad[np.argsort(angles)]  # clockwise in image coordinates, starting anywhere
    start = int(np.argmin(ring.sum(axis=1)))
    ordered = np.roll(ring, -start, axis=0)
    if np.linalg.norm(ordered[1] - ordered[0]) < np.linalg.norm(ordered[3] - ordered[0]):
        ordered = np.roll(ordered, 1, axis=0)  # a card standing on its side: top edge is the left one
    return ordered.astype(np.float32)


def _polygon4(contour: np.ndarray) -> np.ndarray | None:
    """Four corners approximating a contour's convex hull (growing tolerance), or None."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for tolerance in (0.02, 0.03, 0.045, 0.06, 0.08):
        quad = cv2.approxPolyDP(hull, tolerance * perimeter, True).reshape(-1, 2)
        if len(quad) == 4:
            return quad.astype(np.float32)
        if len(quad) < 4:
            break
    return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)


def _intersect(a, b) -> np.ndarray | None:
    (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = a, b
    det = vx1 * (-vy2) - (-vx2) * vy1
    if abs(det) < 1e-6:
        return None
    t = ((x2 - x1) * (-vy2) - (-vx2) * (y2 - y1)) / det
    return np.array([x1 + t * vx1, y1 + t * vy1], np.float32)


def _refit(quad: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Each side refitted (Huber) to the boundary points near its middle 70%, corners re-intersected."""
    lines = []
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        side = q - p
        length = float(np.linalg.norm(side))
        if length < 1:
            return quad
        along = (points - p) @ side / length ** 2
        normal = np.array([-side[1], side[0]]) / length
        off = np.abs((points - p) @ normal)
        near = points[(along > 0.15) & (along < 0.85) & (off < max(3.0, 0.03 * length))]
        if len(near) < 8:
            return quad
        lines.append(cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel())
    corners = [_intersect(lines[i - 1], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return quad
    refit = np.array(corners, np.float32)
    return refit if np.abs(refit - quad).max() < 0.15 * max(np.ptp(quad, axis=0)) else quad


def _support(quad: np.ndarray, points: np.ndarray) -> float:
    """The share of the quad's perimeter that boundary points lie along (within a few pixels): a side
    drawn through a thumb or the table is not supported where it leaves the card's edge."""
    covered = total = 0.0
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        length = float(np.linalg.norm(q - p))
        if length < 1:
            return 0.0
        along = (points - p) @ (q - p) / length ** 2
        off = np.abs((points - p) @ np.array([-(q - p)[1], (q - p)[0]]) / length)
        near = along[(along >= 0) & (along <= 1) & (off < max(3.0, 0.01 * length))]
        bins = np.unique(np.clip((near * 50).astype(int), 0, 49))
        covered += length * len(bins) / 50
        total += length
    return covered / total


def _by_edges(contour: np.ndarray, notched: bool = False) -> np.ndarray | None:
    """The quad of the outline's four longest straight runs, each line fitted to its points and
    intersected with its neighbours: a thumb over a corner (or a rounded corner) bends the outline
    there, but the card's edges stay straight on both sides of it, so the hidden corner is where
    the two edge lines meet. A `notched` outline (the thumb taken out of it) has the thumb's edge
    inside the card's: of runs along one another on one side, the outermost is the side (_sides).
    None when four such runs are not there."""
    points = contour.reshape(-1, 2).astype(np.float32)
    perimeter = cv2.arcLength(contour, True)
    poly = cv2.approxPolyDP(contour, _STRAIGHT * perimeter, True).reshape(-1, 2).astype(np.float32)
    if len(poly) < 4:
        return None
    segments = sorted(((poly[i], poly[(i + 1) % len(poly)]) for i in range(len(poly))),
                      key=lambda s: -float(np.linalg.norm(s[1] - s[0])))
    runs: list[list] = []  # [unit direction, a point, total length]
    tolerance = 2 * _STRAIGHT * perimeter
    for p, q in segments:
        length = float(np.linalg.norm(q - p))
        if length < _RUN * perimeter:
            break
        direction = (q - p) / length
        for run in runs:
            normal = np.array([-run[0][1], run[0][0]])
            if (abs(float(direction @ run[0])) > math.cos(math.radians(_RUN_ANGLE))
                    and max(abs(float((p - run[1]) @ normal)), abs(float((q - run[1]) @ normal))) < tolerance):
                run[2] += length  # the same edge, broken by a notch of the outline
                break
        else:
            runs.append([direction, (p + q) / 2, length])
    centre = points.mean(axis=0)
    runs = sorted(runs, key=lambda r: -r[2])
    runs = _sides(runs, centre) if notched else runs[:4]
    if len(runs) < 4:
        return None
    runs.sort(key=lambda r: math.atan2(r[1][1] - centre[1], r[1][0] - centre[0]))
    lines = []
    for direction, middle, _ in runs:
        normal = np.array([-direction[1], direction[0]])
        near = points[np.abs((points - middle) @ normal) < max(3.0, 0.5 * tolerance)]
        if len(near) < 8:
            return None
        lines.append(cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel())
    corners = [_intersect(lines[i - 1], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    quad = np.array(corners, np.float32)
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return None
    span = float(np.ptp(points, axis=0).max())
    return quad if np.abs(quad - centre).max() < 1.5 * span else None


def _sides(runs: list[list], centre: np.ndarray) -> list[list]:
    """The four longest runs that are four sides of a notched outline: of runs along one another on the
    same side of the centre, the outermost is that side (the card's own edge; inside it, the edge of a
    thumb taken out over a corner is no side however long). Not so where the thumb is in the region:
    its far edge, outside the card's, would be taken for it."""
    sides: list[list] = []
    for run in runs:
        normal = np.array([-run[0][1], run[0][0]])
        out = float((run[1] - centre) @ normal)
        along = next((i for i, side in enumerate(sides) if abs(float(run[0] @ side[0])) > math.cos(math.radians(
            _RUN_ANGLE)) and out * float((side[1] - centre) @ normal) > 0), None)
        if along is None:
            sides.append(run)
        elif abs(out) > abs(float((sides[along][1] - centre) @ normal)):
            sides[along] = run
    return sides[:4]


def _shape_score(quad: np.ndarray, contour_area: float, picture_area: float) -> float:
    """How card-like an outline is: 0 when not at all, up to about 1."""
    area = cv2.contourArea(quad)
    if area <= 0 or not cv2.isContourConvex(quad.reshape(-1, 1, 2).astype(np.float32)):
        return 0.0
    share = area / picture_area
    if not _MIN_AREA < share < _MAX_AREA:
        return 0.0
    sides = [np.linalg.norm(quad[i] - quad[(i + 1) % 4]) for i in range(4)]
    aspect = (sides[0] + sides[2]) / max(1.0, sides[1] + sides[3])
    if not _ASPECT[0] < aspect < _ASPECT[1]:
        return 0.0
    solidity = min(1.0, contour_area / area)
    return solidity * (1 - abs(np.log(aspect / 1.586))) * (0.5 + 0.5 * min(1.0, share / 0.3))


def _unlike(values: np.ndarray, border: np.ndarray, segments: np.ndarray | None, least: float) -> np.ndarray:
    """Distance of each value to the nearest of the table's main colours, in units of the table's
    own spread (a textured table needs a wider margin), True where beyond it.

    The table's colours are the border's that run around it: a colour found on only a few stretches
    of the border is the card itself where it touches the frame (a corner, under perspective), not
    the table, and would make the card's own colour look like the table's. Only hue is judged so
    (`segments` given): light falling off across the photo spreads the table's lightness along it.
    """
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    cv2.setRNGSeed(_SEED)  # k-means++ draws from OpenCV's global generator: the same photo, the same outline
    _, labels, centres = cv2.kmeans(border, _TABLE_COLOURS, None, criteria, _ATTEMPTS, cv2.KMEANS_PP_CENTERS)
    labels = labels.ravel()
    around = []
    for k in range(len(centres) if segments is not None else 0):
        mine = segments[labels == k]
        present = np.bincount(mine, minlength=_SEGMENTS) >= _PRESENT * np.bincount(segments, minlength=_SEGMENTS)
        around.append(int(present.sum()))
    keep = [k for k in range(len(centres)) if segments is None or around[k] >= _AROUND] or [int(np.argmax(around))]
    centres, table = centres[keep], border[np.isin(labels, keep)]

    def nearest(points: np.ndarray) -> np.ndarray:
        return np.sqrt(((points[:, None, :] - centres[None]) ** 2).sum(axis=2).min(axis=1))

    return nearest(values) > max(least, 1.5 * float(np.percentile(nearest(table), 95)))


def _border(lab: np.ndarray, band: int) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of a band along the picture's four sides, and which stretch of the border each is
    on (each side cut into _SEGMENTS // 4 stretches)."""
    h, w = lab.shape[:2]
    per = _SEGMENTS // 4
    across = np.arange(w) * per // w
    down = np.arange(h) * per // h
    parts = [(lab[:band], np.tile(across, band)), (lab[-band:], np.tile(across, band) + per),
             (lab[:, :band], np.repeat(down, band) + 2 * per), (lab[:, -band:], np.repeat(down, band) + 3 * per)]
    return (np.concatenate([p.reshape(-1, 3) for p, _ in parts]),
            np.concatenate([s for _, s in parts]).astype(np.int64))


def _table_mask(small: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pixels unlike every colour of the photo's border (the table), as a clean 0/255 mask, and
    those unlike its hues alone.

    Hue and lightness are modelled apart: a pale tinted card on a white printed page differs only in
    hue, a white card on a dark keyboard mostly in lightness, and grey print spreads only lightness.
    The model works at half the detection size: colours need no detail.
    """
    half = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    # a median wider than a printed letter erases text on a page under the card, not the card's tint
    lab = cv2.cvtColor(cv2.medianBlur(half, _MEDIAN), cv2.COLOR_BGR2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    border, segments = _border(lab, max(2, int(_BORDER * min(h, w))))
    pixels = lab.reshape(-1, 3)
    hue = _unlike(pixels[:, 1:], np.ascontiguousarray(border[:, 1:]), segments, _LEAST_HUE)
    unlike = hue | _unlike(pixels[:, :1], np.ascontiguousarray(border[:, :1]), None, _LEAST_LIGHTNESS)
    return _cleaned(unlike, (h, w), small.shape), _cleaned(hue, (h, w), small.shape)


def _cleaned(unlike: np.ndarray, size: tuple[int, int], shape: tuple) -> np.ndarray:
    """A model's verdicts as a 0/255 mask at the detection size, closed over a guilloche and opened."""
    mask = cv2.resize(unlike.reshape(size).astype(np.uint8) * 255, (shape[1], shape[0]),
                      interpolation=cv2.INTER_NEAREST)
    # wide enough to bridge the near-white stripes of a guilloche that match a white page
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((25, 25), np.uint8))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))


def _skin(small: np.ndarray) -> np.ndarray:
    """Skin-coloured pixels (the chrominance box of Chai and Ngan, 1999), opened: a thumb or a hand."""
    ycrcb = cv2.cvtColor(cv2.medianBlur(small, 5), cv2.COLOR_BGR2YCrCb)
    skin = cv2.inRange(ycrcb, (0, _SKIN_CR[0], _SKIN_CB[0]), (255, _SKIN_CR[1], _SKIN_CB[1]))
    return cv2.morphologyEx(skin, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))


def _unskinned(small: np.ndarray, unlike: np.ndarray, scale: float) -> list[Outline]:
    """The outlines of the region unlike the table with the skin in it taken out: a thumb over a corner,
    unlike the table too, pulls that corner of the card's outline out to its tip; without it the
    corner is a notch, and the card's two edges either side meet where it is hidden (_by_edges).
    None where little skin lies in that region (most photos: the same outlines again)."""
    skin = cv2.dilate(_skin(small), np.ones((5, 5), np.uint8)) & unlike
    if cv2.countNonZero(skin) < _SKIN_AREA * skin.size:
        return []
    bare = cv2.morphologyEx(unlike & ~skin, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))
    return _outlines(bare, UNSKINNED, scale, True, notched=True)


def _edge_mask(small: np.ndarray) -> np.ndarray:
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    return cv2.dilate(cv2.Canny(gray, 30, 90), np.ones((3, 3), np.uint8))


def _texture_mask(small: np.ndarray) -> np.ndarray:
    """Where the photo is plainer than its border, as a clean 0/255 mask: a pale card on a printed
    page whose colour the light has made the card's own differs from it by its texture only (the
    page's lines of print run all round it; the card is plain between its few lines). Empty on a
    plain table: nothing is plainer than it."""
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (3, 3), 0)
    density = cv2.blur(cv2.Canny(gray, 30, 90).astype(np.float32) / 255, (_GRAIN, _GRAIN))
    h, w = density.shape
    band = max(2, int(_BORDER * min(h, w)))
    border = np.concatenate([density[:band].ravel(), density[-band:].ravel(),
                             density[:, :band].ravel(), density[:, -band:].ravel()])
    plain = (density < _PLAINER * float(np.percentile(border, 10))).astype(np.uint8) * 255
    # closed over the card's own lines of print (its header's are dense: a narrower close leaves it out)
    plain = cv2.morphologyEx(plain, cv2.MORPH_CLOSE, np.ones((_OVER_PRINT, _OVER_PRINT), np.uint8))
    return cv2.morphologyEx(plain, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))


def _outlines(mask: np.ndarray, cue: str, scale: float, fill: bool, notched: bool = False) -> list[Outline]:
    """Card-shaped outlines among a mask's largest external contours."""
    picture = mask.shape[0] * mask.shape[1]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    found = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        area = cv2.contourArea(cv2.convexHull(contour) if fill else contour)
        if area < _MIN_AREA * picture:
            break
        points = contour.reshape(-1, 2).astype(np.float32)
        quad = _refit(_order(_polygon4(contour)), points)
        score = _shape_score(quad, area, picture)
        edged = _by_edges(contour, notched)
        if edged is not None:
            edged = _order(edged)
            edged_score = _shape_score(edged, area, picture)
            # the edge lines' quad when it is card-shaped and runs along more of the outline
            if edged_score > 0 and (score == 0 or _support(edged, points) > _support(quad, points) + _BETTER):
                quad, score = edged, edged_score
        if score > 0:
            found.append(Outline(_order(quad / scale), cue, score))
        # the least rectangle around the region as well, read after every other outline: where the card's
        # pale corner or edge matches the page, the region loses part of it, and neither its polygon nor its
        # edge lines are the card's (edges crossing 30% of a card's width outside it). Not around a notched
        # region: the thumb taken out of it leaves a corner that its edge lines give, a rectangle does not
        if fill and not notched:
            boxed = _order(cv2.boxPoints(cv2.minAreaRect(cv2.convexHull(contour))).astype(np.float32))
            boxed_score = _shape_score(boxed, area, picture)
            if boxed_score > 0 and (score == 0 or not _same(boxed, quad)):
                found.append(Outline(_order(boxed / scale), cue, boxed_score * _BEHIND, boxed=True))
    return found


def _joined(mask: np.ndarray, scale: float) -> list[Outline]:
    """The outline around all the tint's pieces, ranked behind every other cue's.

    A pale card on a white printed page under a shadow differs from the page only where its
    pattern is tinted: its emblem, its portrait, strokes of its guilloche, each a piece of the mask
    too small to be the card. Together they span it. Tried only after the outlines of whole
    regions (its score halved); the content still has to confirm it."""
    picture = mask.shape[0] * mask.shape[1]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pieces = [c for c in contours if cv2.contourArea(c) >= _PIECE * picture]
    if len(pieces) < 2:
        return []
    hull = np.zeros_like(mask)
    cv2.fillConvexPoly(hull, cv2.convexHull(np.concatenate(pieces)), 255)
    return [replace(o, score=o.score * _BEHIND) for o in _outlines(hull, "pieces", scale, True)]


def whole_photo(bgr: np.ndarray) -> Outline:
    """The whole photo as an outline: a scan, or a card filling the frame (kept only if its content confirms)."""
    height, width = bgr.shape[:2]
    return Outline(_order(np.float32([[0, 0], [width, 0], [width, height], [0, height]])), _WHOLE, 0.0)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return float(np.abs(a - b).max()) < 0.04 * float(np.ptp(a, axis=0).max())


def find_outlines(bgr: np.ndarray) -> list[Outline]:
    """Proposed card outlines, the most card-like first; empty when nothing looks like a card."""
    scale = _DETECT_WIDTH / bgr.shape[1]
    small = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    unlike, tint = _table_mask(small)
    plain = _texture_mask(small)
    # the tint alone as well: a shadow on a white page beside a pale tinted card is unlike the page
    # in lightness only, and joins the card in the full model's mask
    found = (_outlines(unlike, "background", scale, True) + _outlines(tint, "tint", scale, True)
             + _outlines(_edge_mask(small), "edges", scale, False) + _joined(tint, scale)
             + [replace(o, score=o.score * _BEHIND)  # tried after the colours' outlines, as the pieces'
                for o in _outlines(plain, "texture", scale, True)])
    found.sort(key=lambda o: -o.score)
    distinct: list[Outline] = []
    for outline in found:
        if not any(_same(outline.quad, kept.quad) for kept in distinct):
            distinct.append(outline)
    # without the skin: only where it outlines what no other cue does (a thumb past a corner), after them
    distinct += [o for o in _unskinned(small, unlike, scale) if not any(_same(o.quad, kept.quad) for kept in distinct)]
    if not plain.any():  # nothing plainer than the table (most tables): the union is the colours' region
        return distinct
    # the two regions together last, and only where they outline what neither does alone: where it is
    # much the same as another cue's outline, that one is kept (the union takes in a little of the page)
    either = [replace(o, score=o.score * _BEHIND) for o in _outlines(plain | unlike, EITHER, scale, True)
              if not any(_same(o.quad, kept.quad) for kept in distinct)]
    return distinct + either


def find_card(bgr: np.ndarray) -> np.ndarray | None:
    """The four corners of the most card-like outline in the photo, or None when none is seen."""
    outlines = find_outlines(bgr)
    return outlines[0].quad if outlines else None


def warp(bgr: np.ndarray, quad: np.ndarray, margin: float = 0.0) -> np.ndarray:
    """The region inside quad warped to CARD_W x CARD_H, with `margin` of the card's size of the photo
    around it on each side (the picture then that much larger)."""
    left, top = margin * CARD_W, margin * CARD_H
    target = np.float32([[left, top], [left + CARD_W, top], [left + CARD_W, top + CARD_H], [left, top + CARD_H]])
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    size = (round(CARD_W + 2 * left), round(CARD_H + 2 * top))
    return cv2.warpPerspective(bgr, matrix, size, flags=cv2.INTER_LINEAR)


def rectify(bgr: np.ndarray) -> np.ndarray:
    """The most card-like outline warped to CARD_W x CARD_H, else the whole photo (the pipeline
    checks the content and warns; this helper does not)."""
    outlines = find_outlines(bgr)
    return warp(bgr, outlines[0].quad if outlines else whole_photo(bgr).quad)
