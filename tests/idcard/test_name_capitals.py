"""Issue 19, thirtieth pass: a name is read in capitals only.

Every Vietnamese card prints its holder's name in capitals. Read with the whole Vietnamese alphabet, a
high-contrast serif face's `A` (a hairline and a thick stroke) came back as `.\\` and `M L` as `WL`, and
no spelling could mend that. The name's crops are read with capitals only (`ocr.NAME_CHARS`).
"""

import unicodedata

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from backoffice.idcard import ocr
from backoffice.idcard.fields import _ENGINE

DISPLAY_SERIF = "/usr/share/fonts/truetype/noto/NotoSerifDisplay-Bold.ttf"  # a face no renderer here draws names in


def _printed(text: str, size: int = 30, path: str = DISPLAY_SERIF) -> np.ndarray:
    font = ImageFont.truetype(path, size)
    image = Image.new("L", (int(font.getlength(text)) + 40, size + 30), 235)
    ImageDraw.Draw(image).text((20, 12), text, font=font, fill=40)
    return np.asarray(image)


def test_the_names_alphabet_is_every_capital_with_every_tone():
    chars = set(ocr.NAME_CHARS)
    assert {"Đ", "Ă", "Â", "Ê", "Ô", "Ơ", "Ư", " "} <= chars
    assert {"Ỵ", "Ặ", "Ờ", "Ữ", "Ễ", "Ỉ"} <= chars  # each tone, on plain and hatted vowels
    assert not any(c.islower() or c.isdigit() for c in chars)
    assert all(unicodedata.is_normalized("NFC", c) for c in chars)
    assert _ENGINE["name"] == "name"  # the name's boxes are read with it


def test_a_name_in_a_high_contrast_serif_is_read_in_capitals():
    assert ocr.read(_printed("LÊ THANH HOÀNG"), "name", True).text == "LÊ THANH HOÀNG"


def test_digits_of_the_line_above_are_no_name():
    reading = ocr.read(_printed("0123"), "name", True)
    assert not any(c.isdigit() for c in reading.text)
    assert set(reading.text) <= set(ocr.NAME_CHARS)
