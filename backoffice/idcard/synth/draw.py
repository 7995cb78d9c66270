"""Drawing primitives for synthetic cards: fonts, backgrounds, emblems, photos, codes."""

import math
import random
from functools import lru_cache

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont

from ..layout import CARD_H, CARD_W, Box

FONT_FILES = {
    "sans": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "sans-bold": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "serif-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "ocrb": "/usr/share/fonts/opentype/ocr-b/OCRB.otf",
}
INK = (20, 20, 30)
RED = (200, 30, 40)


@lru_cache(maxsize=None)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    """A font from the Debian font packages (see FONT_FILES)."""
    return ImageFont.truetype(FONT_FILES[face], size)


def background(rng: random.Random, tint: tuple[int, int, int]) -> Image.Image:
    """A pale card background with a guilloche pattern, as printed security backgrounds are."""
    ys, xs = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    phase = rng.uniform(0, 6.28)
    wave = 0.5 + 0.5 * np.sin(xs / 37.0 + 6 * np.sin(ys / 91.0 + phase)) * np.cos(ys / 23.0)
    base = np.array(tint, np.float32)
    pixels = 255 - (255 - base) * (0.55 + 0.45 * wave[..., None])
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def text(draw: ImageDraw.ImageDraw, xy, value: str, face: str, size: int, fill=INK, anchor="la"):
    """Draw one line of text."""
    draw.text(xy, value, font=font(face, size), fill=fill, anchor=anchor)


def centred(draw: ImageDraw.ImageDraw, cx: int, y: int, value: str, face: str, size: int, fill=INK):
    """Draw one line of text centred on x = cx."""
    text(draw, (cx, y), value, face, size, fill, anchor="ma")


def fitted_size(value: str, face: str, size: int, width: int) -> int:
    """The largest size up to `size` at which value fits in width."""
    while size > 12 and font(face, size).getlength(value) > width:
        size -= 1
    return size


def value(draw: ImageDraw.ImageDraw, box: Box, content: str, face: str, size: int, fill=INK):
    """Print a field value left-aligned in its layout box, shrinking it if it is too long."""
    size = fitted_size(content, face, size, box.x1 - box.x0 - 12)
    text(draw, (box.x0 + 6, (box.y0 + box.y1) // 2), content, face, size, fill, anchor="lm")


def wrap(content: str, face: str, size: int, width: int) -> tuple[str, str]:
    """Split an address into two lines, the first as full as the width allows."""
    words = content.split(" ")
    for cut in range(len(words), 0, -1):
        first = " ".join(words[:cut])
        if font(face, size).getlength(first) <= width:
            return first, " ".join(words[cut:])
    return content, ""


def emblem(draw: ImageDraw.ImageDraw, x: int, y: int, size: int):
    """The national emblem, simplified: a red disc with a yellow star."""
    draw.ellipse((x, y, x + size, y + size), fill=(210, 40, 40), outline=(230, 190, 40), width=6)
    cx, cy, r = x + size / 2, y + size / 2, size * 0.3
    star = [(cx + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
             cy - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=(245, 210, 50))


def portrait(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random):
    """A portrait placeholder: a head and shoulders on a light background."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=(225, 230, 235), outline=(120, 120, 130), width=2)
    shade = rng.randint(60, 110)
    cx, w = (x0 + x1) // 2, x1 - x0
    draw.ellipse((cx - w * 0.22, y0 + 40, cx + w * 0.22, y0 + 40 + w * 0.55),
                 fill=(shade + 120, shade + 90, shade + 70))
    draw.chord((cx - w * 0.45, y1 - w * 0.4, cx + w * 0.45, y1 + w * 0.4), 180, 360, fill=(shade, shade, shade + 20))


def qr_code(card: Image.Image, payload: str, box: tuple[int, int, int]):
    """Paste a QR code of the payload at (x, y) with the given side length."""
    x, y, side = box
    code = segno.make(payload, error="m", micro=False)
    dark = np.pad(np.array(code.matrix, dtype=bool), 2)
    image = Image.fromarray(np.where(dark, 0, 255).astype(np.uint8), "L").convert("RGB")
    card.paste(image.resize((side, side), Image.NEAREST), (x, y))


def chip(draw: ImageDraw.ImageDraw, x: int, y: int):
    """The contact plate of an electronic chip."""
    draw.rounded_rectangle((x, y, x + 150, y + 115), radius=18, fill=(214, 180, 90), outline=(150, 120, 50), width=3)
    for dx in (50, 100):
        draw.line((x + dx, y, x + dx, y + 115), fill=(150, 120, 50), width=3)
    draw.line((x, y + 57, x + 150, y + 57), fill=(150, 120, 50), width=3)


def fingerprint(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], label: str):
    """A fingerprint box with its caption."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, outline=(90, 90, 100), width=2)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2 + 10
    for r in range(8, min(x1 - x0, y1 - y0) // 2 - 20, 9):
        draw.ellipse((cx - r * 0.8, cy - r, cx + r * 0.8, cy + r), outline=(70, 70, 80), width=2)
    centred(draw, cx, y0 + 6, label, "sans", 18)


def signature(draw: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random):
    """A scribbled signature."""
    points = [(x + i * 14, y + 20 * math.sin(i * 0.9 + rng.random()) + rng.randint(-6, 6)) for i in range(18)]
    draw.line(points, fill=(30, 40, 120), width=3, joint="curve")


def stripes(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random):
    """A decorative linear barcode (not meant to decode)."""
    x0, y0, x1, y1 = box
    x = x0
    while x < x1:
        width = rng.choice((2, 3, 5))
        draw.rectangle((x, y0, x + width - 1, y1), fill=INK)
        x += width + rng.choice((2, 3, 4))


def mrz(draw: ImageDraw.ImageDraw, lines: list[str], top: int):
    """The three MRZ lines in OCR-B, at the ICAO pitch scaled to the card."""
    size = 10
    while font("ocrb", size + 1).getlength("0" * 30) <= 1070:
        size += 1
    for i, line in enumerate(lines):
        text(draw, (62, top + i * 72), line, "ocrb", size)
