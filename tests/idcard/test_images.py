import io

import pytest
from PIL import ExifTags, Image

from backoffice.idcard.images import ImageError, open_image, reencode, sniff, turbojpeg

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


def _pixels(data):
    return Image.open(io.BytesIO(data)).convert("RGB").tobytes()


def _photo(size=(320, 240)):
    """A JPEG with detail in it (a flat colour would hide a lossy re-encode)."""
    image = Image.effect_mandelbrot(size, (-2, -1.2, 1, 1.2), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=_exif(Make="PhoneMaker"))
    return out.getvalue()


def _exif(**tags):
    exif = Image.Exif()
    for name, value in tags.items():
        exif[getattr(ExifTags.Base, name)] = value
    return exif.tobytes()


def test_an_upright_jpeg_is_rewritten_losslessly_without_metadata_or_trailing_bytes():
    data = _photo() + b"PK\x03\x04 a zip file riding after the picture"
    clean = reencode(data)
    assert _pixels(clean) == _pixels(data)  # the coefficients were copied, not decoded and encoded again
    assert not Image.open(io.BytesIO(clean)).getexif() and b"PhoneMaker" not in clean and b"PK\x03\x04" not in clean


def test_a_rotated_jpeg_is_turned_upright_through_pixels():
    image = Image.effect_mandelbrot((320, 240), (-2, -1.2, 1, 1.2), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", exif=_exif(Orientation=6))  # the phone was held sideways
    clean = reencode(out.getvalue())
    assert Image.open(io.BytesIO(clean)).size == (240, 320) and not Image.open(io.BytesIO(clean)).getexif()


def test_a_jpeg_the_strict_rewrite_refuses_still_gets_the_pixel_decoders_verdict():
    data = _photo()
    middle = len(data) // 2
    corrupt = data[:middle] + b"\xff\xd9" + data[middle:]  # an end marker mid-stream: decodable, with a warning
    with pytest.raises(RuntimeError):
        turbojpeg.transform(corrupt, copynone=True)
    clean = reencode(corrupt)  # accepted as before, through pixels: a re-encode, so the pixels differ
    assert sniff(clean) == "JPEG" and _pixels(clean) != _pixels(corrupt)
    with pytest.raises(ImageError) as caught:
        reencode(data[:middle])
    assert caught.value.code == "truncated"


@pytest.mark.parametrize("size, fit, decoded", [
    ((4032, 3024), 1600, (2016, 1512)),  # a 12 MP phone photo: decoded at half size, still above the fit
    ((3024, 4032), 1600, (1512, 2016)),  # the same held upright
    ((6400, 4800), 1600, (1600, 1200)),  # a quarter exactly
    ((3199, 2400), 1600, (3199, 2400)),  # under twice the fit: decoded whole
    ((4032, 3024), None, (4032, 3024)),  # no fit asked (the intake's re-encode): decoded whole
])
def test_a_large_jpeg_is_decoded_at_a_reduced_scale_never_below_the_fit(size, fit, decoded):
    image = Image.radial_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    opened = open_image(out.getvalue(), fit=fit)
    assert opened.size == decoded
    # the same picture, only smaller: the gradient's centre stays dark, its corner light
    assert opened.getpixel((decoded[0] // 2, decoded[1] // 2))[0] < 40
    assert opened.getpixel((0, 0))[0] > 160


def test_a_reduced_decode_still_turns_a_sideways_photo_upright():
    image = Image.new("RGB", (4000, 3000), (250, 250, 250))
    image.paste((0, 0, 0), (0, 0, 400, 300))  # a dark corner: top left as stored
    out = io.BytesIO()
    image.save(out, "JPEG", exif=_exif(Orientation=6))  # stored sideways: turn clockwise to view
    opened = open_image(out.getvalue(), fit=1600)
    assert opened.size == (1500, 2000)
    assert opened.getpixel((1490, 10))[0] < 60 and opened.getpixel((10, 10))[0] > 200  # now top right


def test_reduced_decode_of_a_png_is_whole():
    assert open_image(encoded("PNG", size=(4000, 3000)), fit=1600).size == (4000, 3000)
