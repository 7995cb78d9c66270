"""Extraction pipeline: load, rectify, orient, classify, then QR, MRZ and OCR, merged."""

import time
from dataclasses import dataclass
from datetime import date, datetime

import cv2
import numpy as np

from backoffice.business_time import BUSINESS_TZ

from . import ocr
from .classify import best_score, classify, side_scores
from .fields import Candidate, read_fields
from .images import open_image, to_bgr
from .layout import CARD_W, MRZ_BAND, TOP_BAND
from .merge import as_json, cross_check, merge
from .mrz import MrzResult, parse_td1
from .normalise import fold
from .qr import QrPayload, decode, parse_payload
from .rectify import downscale, rectify

QR_CONFIDENCE = 0.99
MRZ_CONFIDENCE = {0: 0.99, 1: 0.97}  # by corrections; more corrections still passed every check
MRZ_CORRECTED = 0.95
_TITLE_SCALE = 0.6
_MRZ_SCALES = (0.6, 0.8)
_SURE_TITLE = 12  # a side whose best marker score reaches this needs no 180° retry


@dataclass
class SideView:
    """One photo after rectification: the upright card, its QR payload and side scores."""

    gray: np.ndarray
    qr: QrPayload | None
    scores: dict


def _gray(card: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)


def _crop(gray: np.ndarray, region: tuple[int, int, int, int], scale: float) -> np.ndarray:
    x0, y0, x1, y1 = region
    part = gray[y0:y1, x0:x1]
    return cv2.resize(part, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale != 1 else part


def _find_qr(card: np.ndarray, photo: np.ndarray):
    """The QR code and whether the card is upside down (QR printed top right), or (None, None)."""
    found = decode(card)
    if found:
        return found.text, found.centre[0] < CARD_W / 2
    # small or soft codes: an upscaled crop of either top-right or (if upside down) bottom-left corner
    for corner, flipped in (((900, 0, 1200, 300), False), ((0, 456, 300, 756), True)):
        x0, y0, x1, y1 = corner
        found = decode(cv2.resize(card[y0:y1, x0:x1], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
        if found:
            return found.text, flipped
    found = decode(photo)
    return (found.text, None) if found else (None, None)


def _title_scores(gray: np.ndarray, has_qr: bool) -> dict:
    text = " ".join(ocr.read_lines(_crop(gray, TOP_BAND, _TITLE_SCALE), "block"))
    return side_scores(text, has_qr)


def analyse(photo: np.ndarray) -> SideView:
    """Rectify a photo, decode its QR code and turn it upright using the QR or the title words."""
    card = rectify(photo)
    qr_text, flipped = _find_qr(card, photo)
    payload = parse_payload(qr_text) if qr_text else None
    gray = _gray(card)
    if flipped:
        gray = cv2.rotate(gray, cv2.ROTATE_180)
    scores = _title_scores(gray, payload is not None)
    if flipped is None and best_score(scores) < _SURE_TITLE:
        turned = cv2.rotate(gray, cv2.ROTATE_180)
        turned_scores = _title_scores(turned, payload is not None)
        if best_score(turned_scores) > best_score(scores):
            gray, scores = turned, turned_scores
    return SideView(gray, payload, scores)


def read_mrz(gray: np.ndarray) -> MrzResult | None:
    """The MRZ of a card back, trying a second scale before giving up."""
    for scale in _MRZ_SCALES:
        result = parse_td1(ocr.read_lines(_crop(gray, MRZ_BAND, scale), "mrz"))
        if result:
            return result
    return None


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


def _check_name(fields: dict[str, Candidate], mrz: MrzResult | None, warnings: list[str]):
    """The MRZ's ASCII name confirms or contradicts the letters of an OCR'd name."""
    name = fields.get("full_name")
    if not mrz or not name or name.source != "ocr":
        return
    if fold(name.value) == mrz.name:
        fields["full_name"] = Candidate(name.value, "ocr", max(name.confidence, 0.85))
    else:
        warnings.append("full_name: ocr reads a different name than the mrz")
        fields["full_name"] = Candidate(name.value, "ocr", round(name.confidence * 0.5, 3))


def _load(data: bytes) -> np.ndarray:
    return downscale(to_bgr(open_image(data)))


def extract(front: bytes, back: bytes | None = None, today: date | None = None) -> dict:
    """Fields of an ID card from its photos, as the JSON of DESIGN.md §10 (raises ImageError)."""
    started = time.perf_counter()
    views = [analyse(_load(front))] + ([analyse(_load(back))] if back is not None else [])
    doc_type, swapped = classify(views[0].scores, views[1].scores if len(views) > 1 else None)
    if swapped:
        views.reverse()
    sides = ("back",) if swapped and len(views) == 1 else ("front", "back")
    candidates, mrz = [], None
    for view, side in zip(views, sides):
        if view.qr:
            candidates += _qr_candidates(view.qr)
        if side == "back" and doc_type in ("cccd_chip", "can_cuoc"):
            mrz = read_mrz(view.gray)
            candidates += _mrz_candidates(mrz) if mrz else []
        if doc_type != "unknown":
            candidates += read_fields(view.gray, doc_type, side).items()
    fields, warnings = merge(candidates)
    _check_name(fields, mrz, warnings)
    warnings += cross_check(fields, doc_type, today or datetime.now(BUSINESS_TZ).date())
    if doc_type in ("cccd_chip", "can_cuoc") and len(views) > 1 and mrz is None:
        warnings.append("mrz: not readable")
    return {"document_type": doc_type, "fields": as_json(fields), "warnings": warnings,
            "elapsed_ms": round((time.perf_counter() - started) * 1000)}
