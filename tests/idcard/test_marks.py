import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from backoffice.idcard.marks import NAME_FACES, judge

FACE = NAME_FACES["cmnd"]


def _printed(word: str, blur: float = 0.0) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A word printed at card size on a grey, uneven paper, and its ink box."""
    card = Image.new("L", (260, 80), 200)
    ImageDraw.Draw(card).text((20, 48), word, font=ImageFont.truetype(FACE, 34), fill=30, anchor="ls")
    pixels = np.asarray(card, np.float32) + np.linspace(-12, 12, 260)[None, :]
    if blur:
        pixels = cv2.GaussianBlur(pixels, (0, 0), blur)
    ink = np.argwhere(pixels < 120)
    (y0, x0), (y1, x1) = ink.min(axis=0), ink.max(axis=0) + 1
    return pixels.clip(0, 255).astype(np.uint8), (int(x0), int(y0), int(x1), int(y1))


def test_the_printed_mark_wins_whichever_spelling_comes_first():
    pairs = (("THÙY", "THỦY"), ("THỦY", "THÙY"), ("THỊ", "THI"), ("THI", "THỊ"), ("HƯNG", "HÙNG"),
             ("HẰNG", "HÀNG"))
    for word, rival in pairs:
        for blur in (0.0, 1.0):
            region, box = _printed(word, blur)
            for spellings in ([word, rival], [rival, word]):
                verdict = judge(region, box, spellings, FACE)
                assert verdict.spelling == word and verdict.clarity >= 0.5, (word, blur, spellings, verdict)


def test_a_mark_that_cannot_be_seen_leaves_the_verdict_unclear():
    for blur in (0.0, 1.0, 2.0):
        region, box = _printed("THUY", blur)  # neither the grave nor the hook of the spellings judged
        assert judge(region, box, ["THÙY", "THỦY"], FACE).clarity < 0.3


def test_a_missing_typeface_or_an_empty_box_gives_no_verdict():
    region, box = _printed("THÙY")
    assert judge(region, box, ["THÙY", "THỦY"], "/nonexistent/font.ttf") is None
    assert judge(region, (10, 10, 12, 40), ["THÙY", "THỦY"], FACE) is None
