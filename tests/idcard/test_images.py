import io

import pytest
from PIL import Image

from backoffice.idcard.images import ImageError, open_image, reencode, sniff

from .files import encoded, huge_png


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_supported_formats_open(fmt):
    data = encoded(fmt)
    assert sniff(data) == fmt
    assert open_image(data).size == (64, 40)


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    (b"GIF89a" + b"\x00" * 100, "not_an_image"),
    (b"%PDF-1.7 hello", "not_an_image"),
])
def test_rejected_inputs(data, code):
    with pytest.raises(ImageError) as caught:
        open_image(data)
    assert caught.value.code == code and caught.value.message


def test_truncated_jpeg():
    data = encoded("JPEG", size=(400, 300))
    with pytest.raises(ImageError) as caught:
        open_image(data[: len(data) // 2])
    assert caught.value.code == "truncated"


def test_decompression_bomb_is_refused_before_decoding():
    bomb = huge_png(12_000, 12_000)
    assert len(bomb) < 20_000
    with pytest.raises(ImageError) as caught:
        open_image(bomb)
    assert caught.value.code == "too_many_pixels"


def test_reencode_drops_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    data = encoded("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()
    clean = reencode(data)
    assert sniff(clean) == "JPEG" and not Image.open(io.BytesIO(clean)).getexif()


def test_error_json_shape():
    assert ImageError("empty", "x").as_dict() == {"error": {"code": "empty", "message": "x"}}
