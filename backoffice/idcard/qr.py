"""QR code of chip cards: decode with zxing-cpp and parse the pipe-separated payload."""

from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
import zxingcpp

from .idnumber import ID9, ID12
from .normalise import clean_name, nfc, parse_date, parse_sex

MIN_FIELDS = 7


@dataclass(frozen=True)
class QrCode:
    """A decoded QR code: its text and the centre of the symbol in image pixels."""

    text: str
    centre: tuple[float, float]


def decode(image: np.ndarray) -> QrCode | None:
    """The first valid QR code in a grayscale or BGR image, or None."""
    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        if barcode.valid and barcode.text:
            corners = barcode.position
            points = (corners.top_left, corners.top_right, corners.bottom_right, corners.bottom_left)
            return QrCode(barcode.text, (sum(p.x for p in points) / 4, sum(p.y for p in points) / 4))
    return None


_SHARPENED = ((1.5, 3.0), (2.0, 3.0))  # unsharp masks tried on a soft code: (sigma in px, amount)


def decode_soft(gray: np.ndarray) -> QrCode | None:
    """A QR code blurred (out of focus, a shallow depth of field), in an enlarged grey crop: the crop
    sharpened by unsharp masks (the crop plus `amount` times its difference from a blurred copy) until
    one decodes; None when none does. A code's error correction rejects a wrong reading."""
    for sigma, amount in _SHARPENED:
        found = decode(cv2.addWeighted(gray, 1 + amount, cv2.GaussianBlur(gray, (0, 0), sigma), -amount, 0))
        if found:
            return found
    return None


_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
_THRESHOLDS = (0.35, 0.55)  # of the way from the darkest to the brightest pixel


def decode_hard(gray: np.ndarray) -> QrCode | None:
    """A QR code under glare or uneven light: the picture with its contrast evened out locally
    (CLAHE), then that picture binarised at two thresholds; None when all fail."""
    even = _CLAHE.apply(gray)
    found = decode(even)
    if found:
        return found
    low, high = np.percentile(even, (2, 98))
    for share in _THRESHOLDS:
        binary = np.where(even > low + share * (high - low), 255, 0).astype(np.uint8)
        found = decode(binary)
        if found:
            return found
    return None


def seen_unreadable(gray: np.ndarray) -> bool:
    """Whether a QR symbol is seen in the picture but cannot be decoded (glare, crease, blur)."""
    return any(not barcode.valid for barcode in zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormat.QRCode, return_errors=True))


@dataclass(frozen=True)
class QrPayload:
    """The fields of a CCCD / căn cước QR payload."""

    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: date
    sex: str
    place_of_residence: str
    date_of_issue: date | None


def build_payload(id_number, old_id_number, full_name, born: date, sex, address, issued: date) -> str:
    """The payload text printed in the QR code (used by the synthetic generator)."""
    parts = [id_number, old_id_number or "", full_name, born.strftime("%d%m%Y"), sex, address,
             issued.strftime("%d%m%Y")]
    return "|".join(parts)


def parse_payload(text: str) -> QrPayload | None:
    """Parse `ID12|CMND9 or empty|Name|DDMMYYYY|Nam/Nữ|address|DDMMYYYY[|...]`, None if malformed."""
    parts = [nfc(p) for p in (text or "").split("|")]
    if len(parts) < MIN_FIELDS:
        return None
    id_number, old_id, name, born, sex, address, issued = parts[:MIN_FIELDS]
    born_date, sex_value = parse_date(born), parse_sex(sex)
    if not ID12.match(id_number) or (old_id and not ID9.match(old_id)) or not name:
        return None
    if born_date is None or sex_value is None:
        return None
    return QrPayload(id_number, old_id or None, clean_name(name), born_date, sex_value, address,
                     parse_date(issued))
