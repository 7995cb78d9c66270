"""A second, independent ID-card renderer for honest measurement (issue 19).

It shares no layout constant, typeface choice or photo model with `backoffice.idcard` or its
generator `backoffice.idcard.synth`: it draws each side from the published design of the cards
(the label texts and the order they come in, values beside or below their labels, the bilingual
header lines) with its own geometry, flowing the lines down the card at sizes and spacings drawn
per card, and photographs the card on textured backgrounds. Only the identities (random people
whose fields obey the rules real cards follow) come from `synth.identity`, because they are the
truth, not the look. The extractor never imports this module.

Tune only on seeds below 1000; report on seeds 1000 and above (docs/benchmarks.md).

    make_heldout(doc_type, condition, seed) -> Sample (identity, condition, front JPEG, back JPEG)
"""

import math
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import cv2
import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont

from backoffice.idcard.synth import (  # containers of the truth, not the look
    Sample,
    expected_fields,
)
from backoffice.idcard.synth.identity import Identity, random_identity

__all__ = ("BACKGROUNDS", "CONDITIONS", "EXTRA", "EXTRAS", "FAMILIES", "FRAMES", "MRZ_FACES", "TUNING_SEEDS",
           "HeldoutSample", "Sample", "expected_fields", "make_heldout", "place", "render_side", "td1")

TUNING_SEEDS = range(1000)  # tune on these only; report on 1000 and above
CONDITIONS = ("placed", "perspective", "blur", "jpeg40", "light", "glare", "finger", "combined")
_F = "/usr/share/fonts/truetype/"
# four families with Vietnamese glyphs (Liberation lacks them here), none in the project generator's
# pairing of faces to card types
FAMILIES = {
    "dejavu-sans": (_F + "dejavu/DejaVuSans.ttf", _F + "dejavu/DejaVuSans-Bold.ttf"),
    "dejavu-serif-condensed": (_F + "dejavu/DejaVuSerifCondensed.ttf", _F + "dejavu/DejaVuSerifCondensed-Bold.ttf"),
    "noto-serif": (_F + "noto/NotoSerif-Regular.ttf", _F + "noto/NotoSerif-Bold.ttf"),
    "noto-sans": (_F + "noto/NotoSans-Regular.ttf", _F + "noto/NotoSans-Bold.ttf"),
}
# the three monospace faces of issue 19 (Noto Sans Mono from Debian's fonts-noto-mono, a test package)
MRZ_FACES = ("/usr/share/fonts/opentype/ocr-b/OCRB.otf", _F + "dejavu/DejaVuSansMono.ttf",
             _F + "noto/NotoSansMono-Regular.ttf")
BACKGROUNDS = ("wood", "cloth", "paper", "keyboard")
# probes of photos it was not tuned on (bench/idcard.py --extra): applied to every photo after its condition
EXTRAS = ("motion", "noise", "dim", "warm", "pattern", "sideways", "askew", "gray", "white", "tight", "lens",
          "depth")
EXTRA: list[str] = []
# the photo's size (width, height): the first in 7 photos of 10, the second in the others
FRAMES = [(1600, 1200), (1400, 1050)]
W, H = 1100, 694  # ID-1 at about 13 px/mm: not the extractor's canonical size
INK, RED, BLUE = (25, 25, 35), (190, 25, 35), (30, 50, 140)


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


# ---------------------------------------------------------------------------------------------
# the MRZ and QR encodings, written here from ICAO 9303 and the card's payload, not imported

def _check(text: str) -> str:
    values = [int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in text]
    return str(sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10)


def _ascii(text: str) -> str:
    import unicodedata
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def td1(ident: Identity) -> list[str]:
    """The three 30-character lines of the card's machine-readable zone."""
    number = ident.id_number
    first = f"IDVNM{number[3:]}{_check(number[3:])}{number}<<{_check(number)}"
    born = ident.date_of_birth.strftime("%y%m%d")
    until = ident.date_of_expiry.strftime("%y%m%d") if ident.date_of_expiry else "991231"
    second = f"{born}{_check(born)}{'M' if ident.sex == 'Nam' else 'F'}{until}{_check(until)}VNM"
    second = second.ljust(29, "<")
    second += _check(first[5:] + second[0:7] + second[8:15] + second[18:29])
    words = _ascii(ident.full_name).upper().split()
    third = (words[0] + "<<" + "<".join(words[1:]))[:30].ljust(30, "<")
    return [first, second, third]


def _payload(ident: Identity) -> str:
    return "|".join([ident.id_number, ident.old_id_number or "", ident.full_name.title(),
                     ident.date_of_birth.strftime("%d%m%Y"), ident.sex, ident.place_of_residence,
                     ident.date_of_issue.strftime("%d%m%Y")])


# ---------------------------------------------------------------------------------------------
# the card

class _Pen:
    """Draws lines of text flowing down the card, each line's position jittered."""

    def __init__(self, card: Image.Image, rng: random.Random, family: str):
        self.card, self.draw, self.rng = card, ImageDraw.Draw(card), rng
        self.regular, self.bold = FAMILIES[family]
        self.label_size = rng.randint(19, 24)
        self.value_size = self.label_size + rng.randint(4, 9)
        self.gap = rng.uniform(1.25, 1.6)  # line pitch, in value font sizes

    def text(self, x: float, y: float, content: str, size: int, bold=False, fill=INK, anchor="la") -> float:
        """Draw one line; the x where it ends."""
        face = _font(self.bold if bold else self.regular, size)
        self.draw.text((x, y), content, font=face, fill=fill, anchor=anchor)
        return x + face.getlength(content) if anchor == "la" else x

    def fit(self, content: str, size: int, width: float, bold=False) -> int:
        """The largest size up to `size` at which content fits in width."""
        path = self.bold if bold else self.regular
        while size > 14 and _font(path, size).getlength(content) > width:
            size -= 1
        return size

    def wrap(self, content: str, size: int, width: float, bold=False) -> list[str]:
        """Split a long value into lines that fit the width (two at most, the rest shrunk in)."""
        face = _font(self.bold if bold else self.regular, size)
        words, lines = content.split(" "), []
        while words:
            cut = len(words)
            while cut > 1 and face.getlength(" ".join(words[:cut])) > width:
                cut -= 1
            lines.append(" ".join(words[:cut]))
            words = words[cut:]
        return lines if len(lines) <= 2 else [lines[0], " ".join(lines[1:])]

    def jitter(self, amount: float = 0.015) -> float:
        """A line's own offset, up to `amount` of the card height."""
        return self.rng.uniform(-amount, amount) * H


def _guilloche(rng: random.Random, tint) -> Image.Image:
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    a, b = rng.uniform(20, 50), rng.uniform(60, 140)
    wave = 0.5 + 0.5 * np.cos(np.hypot(xs - rng.uniform(0, W), ys - rng.uniform(0, H)) / a) * np.sin(xs / b)
    pixels = 255 - (255 - np.array(tint, np.float32)) * (0.5 + 0.5 * wave[..., None])
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def _emblem(draw, x, y, size):
    draw.ellipse((x, y, x + size, y + size), fill=(205, 35, 35), outline=(225, 185, 45), width=5)
    cx, cy, r = x + size / 2, y + size / 2, size * 0.32
    draw.polygon([(cx + (r if i % 2 == 0 else r * 0.38) * math.sin(i * math.pi / 5),
                   cy - (r if i % 2 == 0 else r * 0.38) * math.cos(i * math.pi / 5)) for i in range(10)],
                 fill=(250, 215, 60))


def _portrait(draw, box, rng):
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=(rng.randint(200, 240),) * 3)
    w = x1 - x0
    tone = rng.randint(120, 200)
    draw.ellipse((x0 + w * 0.28, y0 + w * 0.15, x1 - w * 0.28, y0 + w * 0.75), fill=(tone, tone - 30, tone - 50))
    draw.pieslice((x0 + w * 0.05, y1 - w * 0.5, x1 - w * 0.05, y1 + w * 0.5), 180, 360, fill=(40, 40, 60))


def _qr(card: Image.Image, text: str, x, y, side):
    matrix = np.pad(np.array(segno.make(text, error="m", micro=False).matrix, dtype=bool), 2)
    image = Image.fromarray(np.where(matrix, 0, 255).astype(np.uint8), "L").convert("RGB")
    card.paste(image.resize((side, side), Image.NEAREST), (int(x), int(y)))


def _dmy(day: date | None, sep="/") -> str:
    return day.strftime(f"%d{sep}%m{sep}%Y") if day else "Không thời hạn"


def _header(pen: _Pen, cx: float, title: str, english: str | None, bilingual: bool, top: float) -> float:
    """The national header, with its English sub-lines on bilingual cards; the y below it."""
    lines = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 21, True, INK)]
    if bilingual:
        lines.append(("SOCIALIST REPUBLIC OF VIET NAM", 16, False, INK))
    lines.append(("Độc lập - Tự do - Hạnh phúc", 19, True, INK))
    if bilingual:
        lines.append(("Independence - Freedom - Happiness", 16, False, INK))
    lines.append((title, pen.rng.randint(34, 40), True, RED))
    if english:
        lines.append((english, 20, False, INK))
    y = top
    for content, size, bold, fill in lines:
        pen.text(cx, y + pen.jitter(0.005), content, size, bold, fill, anchor="ma")
        y += size * 1.3
    return y


def _field(pen: _Pen, x: float, y: float, label: str, value: str, *, below: bool, right: float = W - 30,
           bold=False, fill=INK, lines_max=2) -> float:
    """A label and its value beside it or on the line(s) below; the y of the next line."""
    y += pen.jitter()
    size = pen.value_size + (6 if bold else 0)
    label_end = pen.text(x, y, label, pen.label_size)
    pitch = size * pen.gap
    if below:
        parts = pen.wrap(value, size, right - x, bold)[:lines_max]
        vy = y + pen.label_size * 1.25
    else:
        start = label_end + pen.rng.randint(10, 24)
        first = pen.wrap(value, size, right - start, bold)
        if len(first) > 1 and lines_max > 1:  # the rest continues on the line below, from the label's x
            rest = pen.wrap(value[len(first[0]):].strip(), size, right - x, bold)
            parts = [first[0], " ".join(rest)]
        else:
            parts = [value]
        vy = y + (pen.label_size - size) * 0.8
    for i, part in enumerate(parts):
        px = x if below or i else label_end + pen.rng.randint(10, 24)
        width = right - px
        pen.text(px, vy + i * pitch, part, pen.fit(part, size, width, bold), bold, fill)
    return max(y + pen.label_size * pen.gap, vy + len(parts) * pitch) + pen.rng.uniform(0, 0.02) * H


def _chip_front(card, pen: _Pen, ident: Identity, rng):
    chip = ident.doc_type == "cccd_chip"
    _emblem(pen.draw, 30, 28, 130)
    cx = W * (0.5 if chip else 0.55) + rng.uniform(-20, 20)
    bottom = _header(pen, cx, "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card" if chip else None, chip, 18)
    if chip:
        side = rng.randint(170, 200)
        _qr(card, _payload(ident), W - side - 24, 24 + rng.randint(0, 10), side)
    _portrait(pen.draw, (30, 200, 250, 480), rng)
    x = 280 + rng.uniform(-15, 15)
    y = max(bottom + 8, H * 0.27) + pen.rng.uniform(0, 0.04) * H  # the block moves down, never into the title
    en = (lambda vi, eng: f"{vi} / {eng}:") if chip else (lambda vi, eng: f"{vi}:")
    y = _field(pen, x, y, en("Số", "No."), ident.id_number, below=False, bold=True,
               fill=INK if chip else RED)
    y = _field(pen, x, y, en("Họ và tên", "Full name"), ident.full_name, below=chip, bold=True)
    y = _field(pen, x, y, en("Ngày sinh", "Date of birth") if chip else "Ngày, tháng, năm sinh:",
               _dmy(ident.date_of_birth), below=False)
    # sex and nationality share a line
    y += pen.jitter()
    end = pen.text(x, y, en("Giới tính", "Sex"), pen.label_size)
    pen.text(end + 12, y - 2, ident.sex, pen.value_size)
    nx = x + W * rng.uniform(0.30, 0.36)
    end = pen.text(nx, y, en("Quốc tịch", "Nationality"), pen.label_size)
    pen.text(end + 12, y - 2, ident.nationality, pen.value_size)
    y += pen.value_size * pen.gap
    y = _field(pen, x, y, en("Quê quán", "Place of origin"), ident.place_of_origin, below=rng.random() < 0.7)
    _field(pen, x, y, en("Nơi thường trú", "Place of residence"), ident.place_of_residence,
           below=rng.random() < 0.5)
    ey = 500 + rng.uniform(-10, 30)
    label = "Có giá trị đến:" if not chip else rng.choice(("Có giá trị đến:", "Có giá trị đến / Date of expiry:"))
    pen.text(30, ey, label, pen.fit(label, pen.label_size - 2, 235))
    below = ey + pen.label_size * 1.3
    if chip and label == "Có giá trị đến:":
        pen.text(30, below, "Date of expiry", pen.label_size - 3)
        below += pen.label_size * 1.2
    pen.text(30, below, _dmy(ident.date_of_expiry), pen.fit(_dmy(ident.date_of_expiry), pen.value_size, 230))


def _chip_back(card, pen: _Pen, ident: Identity, rng):
    chip = ident.doc_type == "cccd_chip"
    y = 24 + pen.jitter(0.02)
    pen.text(30, y, "Đặc điểm nhân dạng / Personal identification:" if chip else "Đặc điểm nhân dạng:", pen.label_size)
    pen.text(30, y + 34, rng.choice(("Nốt ruồi C:1cm trên sau cánh mũi phải", "Sẹo chấm C:2cm dưới đuôi mắt trái")),
             pen.label_size + 2)
    y += 90 + pen.jitter()
    issued = _dmy(ident.date_of_issue)
    if chip:
        pen.text(30, y, "Ngày, tháng, năm / Date, month, year:", pen.label_size)
        pen.text(30, y + pen.label_size * 1.3, issued, pen.value_size)
    else:
        end = pen.text(30, y, "Ngày, tháng, năm:", pen.label_size)
        pen.text(end + 12, y - 3, issued, pen.value_size)
    y += 90
    pen.text(30, y, "CỤC TRƯỞNG CỤC CẢNH SÁT", pen.label_size, True)
    pen.text(30, y + 28, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI" if chip else "ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ",
             pen.label_size, True)
    pen.draw.line([(80 + i * 12, y + 90 + 15 * math.sin(i)) for i in range(16)], fill=BLUE, width=3)
    for i, caption in enumerate(("Ngón trỏ trái", "Ngón trỏ phải")):
        x0 = 640 + i * 225
        pen.draw.rectangle((x0, 150, x0 + 200, 400), outline=(80, 80, 90), width=2)
        for r in range(10, 90, 9):
            pen.draw.ellipse((x0 + 100 - r * 0.8, 285 - r, x0 + 100 + r * 0.8, 285 + r), outline=(90, 90, 100), width=2)
        pen.text(x0 + 100, 158, caption, 17, anchor="ma")
    if chip:
        pen.draw.rounded_rectangle((700, 25, 830, 125), radius=14, fill=(210, 175, 85), outline=(140, 110, 50), width=3)
        _mrz(pen, td1(ident), rng)
    else:
        x = 660
        while x < 1050:
            w = rng.choice((2, 3, 5))
            pen.draw.rectangle((x, 30, x + w, 120), fill=INK)
            x += w + rng.choice((2, 4))


def _mrz(pen: _Pen, lines: list[str], rng):
    face = rng.choice(MRZ_FACES)
    width = W * rng.uniform(0.82, 0.9)
    size = 12
    while _font(face, size + 1).getlength("0" * 30) <= width:
        size += 1
    x = (W - width) / 2 + rng.uniform(-15, 15)
    top = H - 3 * size * 1.45 - rng.uniform(18, 40)
    for i, line in enumerate(lines):
        pen.draw.text((x, top + i * size * 1.45), line, font=_font(face, size), fill=INK)


def _can_cuoc_front(card, pen: _Pen, ident: Identity, rng):
    _emblem(pen.draw, 30, 28, 120)
    bottom = _header(pen, W * 0.5, "CĂN CƯỚC", "IDENTITY CARD", True, 16)
    pen.draw.rounded_rectangle((W - 170, 40, W - 40, 140), radius=14, fill=(210, 175, 85))
    _portrait(pen.draw, (30, 210, 250, 490), rng)
    x, y = 280 + rng.uniform(-10, 10), max(bottom + 6, H * 0.33) + pen.rng.uniform(0, 0.04) * H
    pen.label_size = min(pen.label_size, 20)
    y = _field(pen, x, y, "Số định danh cá nhân / Personal identification number:", ident.id_number,
               below=True, bold=True)
    y = _field(pen, x, y, "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name:",
               ident.full_name, below=True, bold=True)
    y = _field(pen, x, y, "Ngày, tháng, năm sinh / Date of birth:", _dmy(ident.date_of_birth), below=rng.random() < 0.5)
    y += pen.jitter()
    end = pen.text(x, y, "Giới tính / Sex:", pen.label_size)
    pen.text(end + 12, y - 3, ident.sex, pen.value_size)
    nx = x + W * 0.3
    end = pen.text(nx, y, "Quốc tịch / Nationality:", pen.label_size)
    pen.text(end + 12, y - 3, ident.nationality, pen.value_size)


def _can_cuoc_back(card, pen: _Pen, ident: Identity, rng):
    side = rng.randint(160, 190)
    _qr(card, _payload(ident), W - side - 24, 24, side)
    right = W - side - 50
    pen.label_size = min(pen.label_size, 21)
    y = 24 + pen.jitter(0.02)
    y = _field(pen, 30, y, "Nơi cư trú / Place of residence:", ident.place_of_residence, below=True, right=right)
    y = _field(pen, 30, y, "Nơi đăng ký khai sinh / Place of birth:", ident.place_of_origin, below=True, right=right)
    y += pen.jitter()
    pen.text(30, y, "Ngày, tháng, năm cấp / Date of issue:", pen.label_size)
    pen.text(30, y + pen.label_size * 1.3, _dmy(ident.date_of_issue), pen.value_size)
    ex = 30 + W * rng.uniform(0.36, 0.4)
    label = "Ngày, tháng, năm hết hạn / Date of expiry:"
    pen.text(ex, y, label, pen.fit(label, pen.label_size, right - ex))
    pen.text(ex, y + pen.label_size * 1.3, _dmy(ident.date_of_expiry), pen.value_size)
    pen.text(30, y + 90, "BỘ CÔNG AN / MINISTRY OF PUBLIC SECURITY", pen.label_size, True)
    _mrz(pen, td1(ident), rng)


def _cmnd_front(card, pen: _Pen, ident: Identity, rng):
    _emblem(pen.draw, 35, 40, 160)
    cx = W * 0.6
    y = 20
    for content, size in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 23), ("Độc lập - Tự do - Hạnh phúc", 21)):
        pen.text(cx, y, content, size, True, anchor="ma")
        y += size * 1.35
    pen.text(cx, y + 4, "GIẤY CHỨNG MINH NHÂN DÂN", rng.randint(32, 36), True, RED, anchor="ma")
    y += 58 + pen.jitter(0.02)
    end = pen.text(cx - 170, y, "SỐ", 28, True, RED)
    pen.text(end + 16, y - 8, ident.id_number, 40, True, RED)
    _portrait(pen.draw, (30, 250, 230, 510), rng)
    x, y = 260, y + 70 + pen.jitter(0.02)
    pen.label_size = rng.randint(22, 25)
    y = _field(pen, x, y, "Họ tên", ident.full_name, below=False, bold=True, lines_max=1)
    y = _field(pen, x, y, "Sinh ngày", _dmy(ident.date_of_birth, "-"), below=False)
    y = _field(pen, x, y, "Nguyên quán", ident.place_of_origin, below=False)
    _field(pen, x, y, "Nơi ĐKHK thường trú", ident.place_of_residence, below=False)


def _cmnd_back(card, pen: _Pen, ident: Identity, rng):
    y = 30 + pen.jitter(0.02)
    pen.text(30, y, "DÂN TỘC: Kinh", 24)
    pen.text(520, y, "TÔN GIÁO: Không", 24)
    pen.text(30, y + 60, "DẤU VẾT RIÊNG VÀ DỊ HÌNH", 24)
    pen.text(30, y + 100, "Nốt ruồi C.1cm trên đầu lông mày phải", 22)
    for i, caption in enumerate(("NGÓN TRỎ TRÁI", "NGÓN TRỎ PHẢI")):
        x0 = 30 + i * 270
        pen.draw.rectangle((x0, 200, x0 + 250, 520), outline=(80, 80, 90), width=2)
        pen.text(x0 + 125, 208, caption, 18, anchor="ma")
    issued = ident.date_of_issue
    dy = 230 + pen.jitter(0.04)
    pen.text(600, dy, f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}", pen.value_size - 2)
    pen.text(640, dy + 60, "GIÁM ĐỐC CA TỈNH", 22, True)
    pen.draw.line([(660 + i * 12, dy + 140 + 14 * math.sin(i * 1.3)) for i in range(16)], fill=BLUE, width=3)


_SIDES = {("cccd_chip", "front"): _chip_front, ("cccd_chip", "back"): _chip_back,
          ("cccd_barcode", "front"): _chip_front, ("cccd_barcode", "back"): _chip_back,
          ("can_cuoc", "front"): _can_cuoc_front, ("can_cuoc", "back"): _can_cuoc_back,
          ("cmnd", "front"): _cmnd_front, ("cmnd", "back"): _cmnd_back}
_TINTS = {"cccd_chip": (185, 220, 215), "cccd_barcode": (190, 210, 235), "can_cuoc": (230, 210, 220),
          "cmnd": (175, 205, 235)}


def _fine_lines(card: Image.Image, rng: random.Random, tint) -> None:
    """A security print of fine wavy lines under the text, as real cards have (a probe: the renderer's own
    background is smooth waves)."""
    draw = ImageDraw.Draw(card)
    ink = tuple(max(0, c - rng.randint(25, 45)) for c in tint)
    for _ in range(rng.randint(30, 50)):
        y0, amplitude, period = rng.uniform(-40, H + 40), rng.uniform(8, 40), rng.uniform(80, 260)
        phase, slope = rng.uniform(0, 2 * math.pi), rng.uniform(-0.3, 0.3)
        points = [(x, y0 + slope * x + amplitude * math.sin(x / period * 2 * math.pi + phase))
                  for x in range(0, W + 4, 4)]
        draw.line(points, fill=ink, width=1)


def render_side(ident: Identity, side: str, rng: random.Random, family: str | None = None) -> Image.Image:
    """One side of the card, W x H, with its four corners rounded on a transparent background (RGBA)."""
    card = _guilloche(rng, _TINTS[ident.doc_type])
    if "pattern" in EXTRA:
        _fine_lines(card, random.Random(f"{ident.id_number}/{side}"), _TINTS[ident.doc_type])
    pen = _Pen(card, rng, family or rng.choice(sorted(FAMILIES)))
    _SIDES[(ident.doc_type, side)](card, pen, ident, rng)
    alpha = Image.new("L", (W, H), 0)
    ImageDraw.Draw(alpha).rounded_rectangle((0, 0, W - 1, H - 1), radius=int(H * 0.05), fill=255)
    card.putalpha(alpha)
    return card


# ---------------------------------------------------------------------------------------------
# the photo

def _background(kind: str, size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A textured surface (BGR float): wood, cloth, paper with print, or a keyboard."""
    h, w = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    noise = np.random.default_rng(rng.randrange(2**32))
    if kind == "wood":
        grain = np.sin(ys / rng.uniform(6, 14) + 4 * np.sin(xs / rng.uniform(80, 300))) * 0.5 + 0.5
        base = np.array([rng.randint(50, 90), rng.randint(90, 130), rng.randint(140, 190)], np.float32)
        image = base * (0.75 + 0.35 * grain[..., None])
    elif kind == "cloth":
        weave = (np.sin(xs / 2.2) * np.sin(ys / 2.2)) * 0.5 + 0.5
        base = np.array([rng.randint(60, 200) for _ in range(3)], np.float32)
        image = base * (0.8 + 0.3 * weave[..., None])
    elif kind == "paper":  # another printed page under the card: light, with lines of text
        image = np.full((h, w, 3), rng.randint(215, 245), np.float32)
        canvas = Image.fromarray(image.astype(np.uint8))
        draw = ImageDraw.Draw(canvas)
        face = _font(FAMILIES["noto-serif"][0], rng.randint(18, 26))
        for row in range(10, h, rng.randint(30, 42)):
            draw.text((rng.randint(5, 40), row), "Công văn số 123/UBND về việc cấp giấy xác nhận cư trú " * 3,
                      font=face, fill=(60, 60, 60))
        image = np.asarray(canvas, np.float32)
    else:  # keyboard: dark keys in rows with pale letters
        image = np.full((h, w, 3), 35, np.float32)
        canvas = Image.fromarray(image.astype(np.uint8))
        draw = ImageDraw.Draw(canvas)
        key = rng.randint(70, 100)
        face = _font(FAMILIES["dejavu-sans"][1], key // 3)
        for row, y in enumerate(range(-20, h, key + 10)):
            for x in range(-(row * 23) % key - key, w, key + 10):
                draw.rounded_rectangle((x, y, x + key, y + key), radius=8, fill=(55, 55, 60), outline=(20, 20, 20))
                draw.text((x + 10, y + 8), rng.choice("QWERTYUIOPASDFGHJKLZXCVBNM"), font=face, fill=(200, 200, 200))
        image = np.asarray(canvas, np.float32)
    return image + noise.normal(0, 3, image.shape)


def _camera(w: int, h: int, frame: tuple[int, int], rng: random.Random, tilt: float) -> np.ndarray:
    """Where the card's corners fall in the frame: a card plane tilted up to `tilt` degrees seen by a
    pinhole camera, turned in the image plane, scaled to cover 40-95% of the frame's width (issue 19)."""
    fw, fh = frame
    ax, ay = (math.radians(rng.uniform(-tilt, tilt)) for _ in range(2))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]]) @ (rx @ ry).T
    distance, focal = 2.2 * w, 2.2 * w
    projected = corners[:, :2] * focal / (distance + corners[:, 2:3])
    turn = math.radians(rng.uniform(-12, 12))
    if "askew" in EXTRA:  # a probe: the card turned 20-40 degrees either way (the same cards otherwise)
        turn += math.copysign(math.radians(random.Random(turn).uniform(20, 40)), turn)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    projected = projected @ rotation.T
    span = projected.max(axis=0) - projected.min(axis=0)
    share = rng.uniform(0.4, 0.95)
    if "tight" in EXTRA:  # a probe: the card filling 96-100% of the frame (a close shot, a crop; the same cards)
        share = 0.96 + (share - 0.4) / 0.55 * 0.04
    scale = min(share * fw / span[0], (0.99 if "tight" in EXTRA else 0.96) * fh / span[1])
    projected = projected * scale
    span = projected.max(axis=0) - projected.min(axis=0)
    room = np.array([fw, fh]) - span
    offset = np.array([rng.uniform(0.1, 0.9) * room[0], rng.uniform(0.1, 0.9) * room[1]]) - projected.min(axis=0)
    return (projected + offset).astype(np.float32)


def _glare(image: np.ndarray, centre, radius: float, strength: float) -> np.ndarray:
    ys, xs = np.mgrid[0:image.shape[0], 0:image.shape[1]].astype(np.float32)
    spot = np.exp(-((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / (2 * radius ** 2))
    return image + (255 - image) * (strength * spot)[..., None]


def place(card: Image.Image, rng: random.Random, tilt: float = 6, background: str | None = None):
    """The card lying on a textured surface: the picture (BGR float), the frame size, where the card's
    corners are in it (TL, TR, BR, BL) and the card-to-picture perspective matrix."""
    frame = FRAMES[0] if rng.random() < 0.7 else FRAMES[1]
    surface = _background(background or rng.choice(BACKGROUNDS), (frame[1], frame[0]), rng)
    if "white" in EXTRA:  # a probe: a plain white desk or a scanner's lid, as pale as the card (the same cards)
        own = random.Random(float(surface[0, 0, 0]))
        surface = np.full_like(surface, own.uniform(215, 250)) + np.random.default_rng(own.randrange(2**32)).normal(
            0, 2, surface.shape)
    rgba = np.asarray(card, np.float32)
    bgr, alpha = rgba[..., 2::-1], rgba[..., 3] / 255
    quad = _camera(W, H, frame, rng, tilt)
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [W, 0], [W, H], [0, H]]), quad)
    warped = cv2.warpPerspective(np.ascontiguousarray(bgr), matrix, frame, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(alpha, matrix, frame, flags=cv2.INTER_AREA)[..., None]
    return warped * mask + surface * (1 - mask), frame, quad, matrix


def photograph(card: Image.Image, condition: str, rng: random.Random, qr_box=None) -> tuple[bytes, float]:
    """JPEG bytes of the card lying on a textured surface, taken under a condition, and the share of
    the frame's width the card spans."""
    combined = condition == "combined"
    image, frame, quad, matrix = place(card, rng, 25 if condition in ("perspective", "combined") else 6)
    if condition in ("light", "combined"):  # light falling off and a soft shadow across
        ys, xs = np.mgrid[0:frame[1], 0:frame[0]].astype(np.float32)
        cx, cy = rng.uniform(0, frame[0]), rng.uniform(0, frame[1])
        gain = 1.1 - rng.uniform(0.4, 0.6) * np.hypot(xs - cx, ys - cy) / max(frame)
        edge = rng.uniform(0.2, 0.8) * frame[0]
        shadow = 1 - 0.35 * (1 / (1 + np.exp(-(xs + 0.4 * ys - edge) / 40)))
        image = image * (gain * shadow)[..., None]
    if condition in ("glare", "combined") and qr_box is not None:  # a bright spot over part of the QR
        x0, y0, x1, y1 = qr_box
        point = cv2.perspectiveTransform(np.float32([[[rng.uniform(x0, x1), rng.uniform(y0, y1)]]]), matrix)[0, 0]
        image = _glare(image, point, rng.uniform(0.05, 0.09) * frame[0], rng.uniform(0.85, 1.0))
    if condition in ("glare",) and qr_box is None:
        point = cv2.perspectiveTransform(np.float32([[[rng.uniform(0, W), rng.uniform(0, H)]]]), matrix)[0, 0]
        image = _glare(image, point, rng.uniform(0.04, 0.07) * frame[0], rng.uniform(0.6, 0.9))
    if condition in ("finger", "combined"):  # a thumb over one corner
        corner = quad[rng.randrange(4)]
        inward = (quad.mean(axis=0) - corner) / np.linalg.norm(quad.mean(axis=0) - corner)
        centre = corner + inward * rng.uniform(10, 40)
        canvas = np.ascontiguousarray(image)
        axes = (int(rng.uniform(0.05, 0.08) * frame[0]), int(rng.uniform(0.09, 0.13) * frame[0]))
        angle = math.degrees(math.atan2(inward[1], inward[0])) + 90
        tone = (rng.randint(110, 150), rng.randint(140, 175), rng.randint(190, 225))
        cv2.ellipse(canvas, (int(centre[0]), int(centre[1])), axes, angle, 0, 360, tone, -1)
        image = canvas
    if condition in ("blur", "combined"):
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(1.0, 1.6) if not combined else rng.uniform(0.8, 1.2))
    image = _extra(image, random.Random(float(image[0, 0, 0])), EXTRA)
    image = image + np.random.default_rng(rng.randrange(2**32)).normal(0, 3.5, image.shape)
    quality = 40 if condition in ("jpeg40", "combined") else rng.randint(80, 95)
    ok, data = cv2.imencode(".jpg", image.clip(0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes(), float(np.ptp(quad[:, 0])) / frame[0]


def _extra(image: np.ndarray, rng: random.Random, kinds: list[str]) -> np.ndarray:
    """What another camera may add (a probe; its own random stream, so the cards stay the same): a shake
    (motion blur 5-9 px along a random direction), sensor noise (sigma 7-10, in colour), a dim exposure
    (half the light, lifted by a gamma), a warm cast (tungsten light), the photo a quarter turn off
    (`sideways`) or in one channel (`gray`: a black-and-white photo, a photocopy's scan), a wide lens's
    barrel distortion (`lens`: the edges bow, the corners stay), a shallow depth of field (`depth`: blur
    growing across the photo). `askew`, `white` and `tight` are applied where the card is placed: turned
    20-40 degrees more, on a plain white desk, or filling 96-100% of the frame."""
    for kind in kinds:
        if kind == "motion":
            length, angle = rng.randint(5, 9), rng.uniform(0, 180)
            kernel = np.zeros((length, length), np.float32)
            kernel[length // 2, :] = 1
            turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
            kernel = cv2.warpAffine(kernel, turn, (length, length))
            image = cv2.filter2D(image, -1, kernel / kernel.sum())
        elif kind == "noise":
            image = image + np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(7, 10), image.shape)
        elif kind == "dim":
            image = 255 * (np.clip(image, 0, 255) / 255 * rng.uniform(0.45, 0.6)) ** 0.8
        elif kind == "warm":
            image = image * np.array([rng.uniform(0.7, 0.8), rng.uniform(0.9, 0.95), 1.05], np.float32)
        elif kind == "sideways":  # a phone held upright, its photo a quarter turn either way and no EXIF
            image = np.ascontiguousarray(np.rot90(image, rng.choice((1, 3))))
        elif kind == "gray":  # a black-and-white photo or a photocopy's scan: one channel, no colour at all
            image = cv2.cvtColor(np.clip(image, 0, 255).astype(np.float32), cv2.COLOR_BGR2GRAY)
        elif kind == "lens":  # a wide phone lens's barrel distortion: straight edges bow outwards
            h, w = image.shape[:2]
            ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
            half = float(np.hypot(w, h) / 2)
            dx, dy = (xs - w / 2) / half, (ys - h / 2) / half
            bow = rng.uniform(0.06, 0.14)
            grow = (1 + bow * (dx * dx + dy * dy)) / (1 + bow)  # the corners stay: no border is drawn in
            image = cv2.remap(np.ascontiguousarray(image, np.float32), w / 2 + dx * grow * half,
                              h / 2 + dy * grow * half, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        elif kind == "depth":  # a shallow depth of field: sharp on one side, blurred (sigma 1.5-2.5) on the other
            h, w = image.shape[:2]
            ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
            angle = rng.uniform(0, 2 * math.pi)
            along = (xs - w / 2) * math.cos(angle) + (ys - h / 2) * math.sin(angle)
            weight = np.clip(along / (0.5 * np.hypot(w, h)) + 0.5, 0, 1)
            blurred = cv2.GaussianBlur(image, (0, 0), rng.uniform(1.5, 2.5))
            image = image * (1 - weight if image.ndim == 2 else (1 - weight)[..., None]) + \
                blurred * (weight if image.ndim == 2 else weight[..., None])
    return image


def _qr_box(ident: Identity, side: str, card: Image.Image):
    """The QR's rectangle on the rendered side (found in the pixels: the renderer draws no table)."""
    if (ident.doc_type, side) not in (("cccd_chip", "front"), ("can_cuoc", "back")):
        return None
    gray = np.asarray(card.convert("L"))
    right = gray[:, W // 2:] < 40
    ys, xs = np.nonzero(right[: H // 2])
    return (W // 2 + xs.min(), ys.min(), W // 2 + xs.max(), ys.max()) if len(xs) else None


@dataclass(frozen=True)
class HeldoutSample(Sample):
    """A held-out card, with the share of the frame's width its front spans (40-95%)."""

    share: float = 0.0


def make_heldout(doc_type: str, condition: str, seed: int) -> HeldoutSample:
    """A held-out card of a type, photographed under a condition, reproducibly from a seed."""
    rng = random.Random(f"heldout/{doc_type}/{condition}/{seed}")
    ident = random_identity(rng, doc_type)
    family = rng.choice(sorted(FAMILIES))
    photos, shares = [], []
    for side in ("front", "back"):
        card = render_side(ident, side, rng, family)
        photo, share = photograph(card, condition, rng, _qr_box(ident, side, card))
        photos.append(photo)
        shares.append(share)
    return HeldoutSample(ident, condition, *photos, share=shares[0])
