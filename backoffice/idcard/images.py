"""Safe loading of uploaded photos (JPEG, PNG, WebP), shared by extraction and the intake API.

Every failure is an `ImageError` with a stable code: `missing_file`, `empty`, `too_large`,
`not_an_image`, `truncated`, `too_many_pixels`. Nothing decodes more than MAX_PIXELS, and
Pillow's decompression-bomb warning is raised as an error rather than printed.
"""

import io
import math
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps

try:  # wheels for x86_64; elsewhere every photo takes the pixel path of `reencode`
    import turbojpeg
except ImportError:  # pragma: no cover - depends on the machine
    turbojpeg = None

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ImageError(Exception):
    """An upload that cannot be used as a photo; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict:
        """The JSON error body `{"error": {"code", "message"}}`."""
        return {"error": {"code": self.code, "message": self.message}}


def sniff(data: bytes) -> str | None:
    """The format named by the file's magic bytes (JPEG, PNG, WEBP), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def read_file(path: str | Path) -> bytes:
    """The bytes of an image file, refusing missing and oversized files before reading them."""
    path = Path(path)
    if not path.is_file():
        raise ImageError("missing_file", f"Không tìm thấy tệp ảnh: {path.name}")
    if path.stat().st_size > MAX_BYTES:
        raise ImageError("too_large", f"Tệp ảnh lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
    return path.read_bytes()


@contextmanager
def _decoding():
    """Pillow's decompression-bomb warning and its decoding failures, raised as ImageError."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageError("too_many_pixels", "Ảnh quá lớn; tối đa 40 megapixel.") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageError("truncated", "Tệp ảnh bị hỏng hoặc không đầy đủ. Hãy gửi lại ảnh.") from exc


def _opened(data: bytes) -> Image.Image:
    """The photo opened (header read, nothing decoded) after the cheap checks: empty, size, magic bytes, pixels."""
    if not data:
        raise ImageError("empty", "Tệp ảnh rỗng. Hãy chụp và gửi lại ảnh.")
    if len(data) > MAX_BYTES:
        raise ImageError("too_large", f"Tệp ảnh lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
    kind = sniff(data)
    if kind is None:
        raise ImageError("not_an_image", "Tệp không phải ảnh JPEG, PNG hoặc WebP.")
    with _decoding():
        image = Image.open(io.BytesIO(data), formats=[kind])
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageError("too_many_pixels", f"Ảnh quá lớn ({width}x{height}); tối đa 40 megapixel.")
    return image


def open_image(data: bytes, fit: int | None = None) -> Image.Image:
    """Decode a photo fully (upright per its EXIF orientation) or raise ImageError.

    With `fit`, a JPEG whose longer side is twice `fit` or more is decoded at a half, a quarter or an eighth of
    its size (libjpeg's DCT scaling), never below `fit`: a 12 MP phone photo decodes in a quarter of the time
    and memory, and the caller shrinks it the rest of the way."""
    image = _opened(data)
    if fit and image.format == "JPEG" and max(image.size) >= 2 * fit:
        scale = fit / max(image.size)
        image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    with _decoding():
        image.load()
    ImageOps.exif_transpose(image, in_place=True)  # no copy: a full-size copy costs as much as a third of a decode
    return image


def to_bgr(image: Image.Image) -> np.ndarray:
    """An OpenCV BGR array of a decoded image."""
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def reencode(data: bytes) -> bytes:
    """Re-encode a photo in its own format, dropping EXIF, GPS and every other marker and trailing byte.

    An upright colour or greyscale JPEG is rewritten losslessly from its DCT coefficients (libjpeg-turbo), which
    entropy-decodes the whole file and refuses it on the first corrupt or missing byte, at the cost of a decode
    alone. Any other photo, or a JPEG the strict rewrite refuses, is decoded to pixels and encoded again.
    """
    image = _opened(data)
    if turbojpeg is not None and image.format == "JPEG" and image.mode in ("RGB", "L") and \
            image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        try:
            return turbojpeg.transform(data, copynone=True)
        except RuntimeError:
            pass  # libjpeg-turbo stops at the first warning; the pixel path below decides as it always has
    image = open_image(data)
    kind = sniff(data)
    out = io.BytesIO()
    if kind == "JPEG":
        (image if image.mode in ("RGB", "L") else image.convert("RGB")).save(out, "JPEG", quality=90)
    else:
        image.save(out, kind)
    return out.getvalue()
