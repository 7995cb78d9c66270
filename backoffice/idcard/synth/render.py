"""Render the front and back of each document type at the canonical card size."""

import random
from datetime import date

from PIL import Image, ImageDraw

from ..layout import Box
from ..mrz import build_td1
from ..qr import build_payload
from . import draw as d
from .boxes import LAYOUTS
from .identity import Identity

TINTS = {"cccd_chip": (170, 215, 225), "cccd_barcode": (175, 205, 235),
         "can_cuoc": (225, 200, 215), "cmnd": (160, 200, 235)}
NO_EXPIRY_TEXT = "Không thời hạn"


def _dmy(day: date | None, sep: str = "/") -> str:
    return day.strftime(f"%d{sep}%m{sep}%Y") if day else NO_EXPIRY_TEXT


def _values(ident: Identity) -> dict[str, str]:
    """Field values as each card prints them."""
    cmnd = ident.doc_type == "cmnd"
    issued = ident.date_of_issue
    return {
        "id_number": ident.id_number,
        "full_name": ident.full_name,
        "date_of_birth": _dmy(ident.date_of_birth, "-" if cmnd else "/"),
        "sex": ident.sex,
        "nationality": ident.nationality,
        "place_of_origin": ident.place_of_origin,
        "place_of_residence": ident.place_of_residence,
        "date_of_expiry": _dmy(ident.date_of_expiry),
        "date_of_issue": f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}" if cmnd else _dmy(issued),
    }


def _print_values(draw, boxes: tuple[Box, ...], ident: Identity, face: str):
    values = _values(ident)
    for field in dict.fromkeys(b.field for b in boxes):
        lines = [b for b in boxes if b.field == field]
        parts = [values[field]]
        if len(lines) == 2:
            parts = list(d.wrap(values[field], face, 28, lines[0].x1 - lines[0].x0 - 12))
        for box, content in zip(lines, parts):
            size = {"digits": 42, "name": 34}.get(box.kind, 28)
            weight = face + "-bold" if box.kind in ("digits", "name") else face
            red = box.kind == "digits" and ident.doc_type in ("cmnd", "cccd_barcode")
            d.value(draw, box, content, weight, size, d.RED if red else d.INK)


def _national_header(draw, cx: int, title: str, subtitle: str | None):
    d.centred(draw, cx, 22, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "sans-bold", 28)
    d.centred(draw, cx, 62, "Độc lập - Tự do - Hạnh phúc", "sans-bold", 26)
    d.centred(draw, cx, 102, title, "sans-bold", 42, d.RED)
    if subtitle:
        d.centred(draw, cx, 156, subtitle, "sans", 26)


def _labels(draw, items: tuple[tuple[int, int, str], ...], size: int = 22):
    for x, y, label in items:
        d.text(draw, (x, y), label, "sans", size)


_CCCD_FRONT_LABELS = {
    "cccd_chip": ((320, 236, "Số / No.:"), (320, 294, "Họ và tên / Full name:"),
                  (320, 392, "Ngày sinh / Date of birth:"), (320, 440, "Giới tính / Sex:"),
                  (680, 440, "Quốc tịch / Nationality:"), (320, 490, "Quê quán / Place of origin:"),
                  (320, 580, "Nơi thường trú / Place of residence:"), (40, 590, "Có giá trị đến:"),
                  (40, 620, "Date of expiry")),
    "cccd_barcode": ((320, 236, "Số:"), (320, 294, "Họ và tên:"), (320, 392, "Ngày, tháng, năm sinh:"),
                     (320, 440, "Giới tính:"), (800, 440, "Quốc tịch:"), (320, 490, "Quê quán:"),
                     (320, 580, "Nơi thường trú:"), (40, 610, "Có giá trị đến:")),
}


def _cccd_front(card, draw, ident: Identity, rng):
    chip_card = ident.doc_type == "cccd_chip"
    d.emblem(draw, 40, 30, 160)
    _national_header(draw, 585, "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card" if chip_card else None)
    d.portrait(draw, (40, 230, 290, 570), rng)
    _labels(draw, _CCCD_FRONT_LABELS[ident.doc_type])
    if chip_card:
        d.qr_code(card, build_payload(ident.id_number, ident.old_id_number, ident.full_name.title(),
                                      ident.date_of_birth, ident.sex, ident.place_of_residence,
                                      ident.date_of_issue), (950, 14, 230))


def _cccd_back(card, draw, ident: Identity, rng):
    chip_card = ident.doc_type == "cccd_chip"
    _labels(draw, ((40, 30, "Đặc điểm nhân dạng / Personal identification:" if chip_card else "Đặc điểm nhân dạng:"),
                   (40, 130, "Ngày, tháng, năm / Date, month, year:" if chip_card else "Ngày, tháng, năm:")))
    d.text(draw, (40, 70), "Nốt ruồi C:1cm trên sau cánh mũi phải", "sans", 24)
    d.text(draw, (40, 214), "CỤC TRƯỞNG CỤC CẢNH SÁT" if chip_card else "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL", "sans-bold", 22)
    d.text(draw, (40, 244), "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI" if chip_card else "CƯ TRÚ VÀ DLQG VỀ DÂN CƯ",
           "sans-bold", 22)
    d.signature(draw, 80, 320, rng)
    d.fingerprint(draw, (760, 190, 960, 470), "Ngón trỏ trái")
    d.fingerprint(draw, (980, 190, 1180, 470), "Ngón trỏ phải")
    if chip_card:
        d.chip(draw, 820, 40)
        d.mrz(draw, build_td1(ident.id_number, ident.date_of_birth, ident.sex, ident.date_of_expiry,
                              ident.full_name), 520)
    else:
        d.stripes(draw, (780, 40, 1160, 140), rng)


def _can_cuoc_front(card, draw, ident: Identity, rng):
    d.emblem(draw, 40, 30, 160)
    _national_header(draw, 585, "CĂN CƯỚC", "IDENTITY CARD")
    d.portrait(draw, (40, 230, 290, 570), rng)
    d.chip(draw, 1000, 40)
    _labels(draw, ((320, 236, "Số định danh cá nhân / Personal identification number:"),
                   (320, 322, "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name:"),
                   (320, 418, "Ngày, tháng, năm sinh / Date of birth:"), (320, 508, "Giới tính / Sex:"),
                   (680, 508, "Quốc tịch / Nationality:")), size=20)


def _can_cuoc_back(card, draw, ident: Identity, rng):
    _labels(draw, ((40, 30, "Nơi cư trú / Place of residence:"), (40, 160, "Nơi đăng ký khai sinh / Place of birth:"),
                   (40, 246, "Ngày, tháng, năm cấp / Date of issue:"),
                   (480, 246, "Ngày, tháng, năm hết hạn / Date of expiry:")), size=20)
    d.text(draw, (40, 350), "BỘ CÔNG AN / MINISTRY OF PUBLIC SECURITY", "sans-bold", 22)
    d.signature(draw, 120, 420, rng)
    d.qr_code(card, build_payload(ident.id_number, ident.old_id_number, ident.full_name.title(),
                                  ident.date_of_birth, ident.sex, ident.place_of_residence,
                                  ident.date_of_issue), (950, 14, 230))
    d.mrz(draw, build_td1(ident.id_number, ident.date_of_birth, ident.sex, ident.date_of_expiry,
                          ident.full_name), 520)


def _cmnd_front(card, draw, ident: Identity, rng):
    d.emblem(draw, 50, 40, 180)
    d.centred(draw, 730, 22, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "sans-bold", 28)
    d.centred(draw, 730, 60, "Độc lập - Tự do - Hạnh phúc", "sans-bold", 26)
    d.centred(draw, 730, 98, "GIẤY CHỨNG MINH NHÂN DÂN", "sans-bold", 40, d.RED)
    d.text(draw, (440, 170), "SỐ", "sans-bold", 30, d.RED)
    d.portrait(draw, (40, 280, 260, 570), rng)
    _labels(draw, ((290, 248, "Họ tên"), (290, 318, "Sinh ngày"), (290, 388, "Nguyên quán"),
                   (290, 498, "Nơi ĐKHK thường trú")), size=26)


def _cmnd_back(card, draw, ident: Identity, rng):
    _labels(draw, ((40, 40, "DÂN TỘC:  Kinh"), (560, 40, "TÔN GIÁO:  Không"),
                   (40, 110, "DẤU VẾT RIÊNG VÀ DỊ HÌNH"), (40, 150, "Sẹo chấm C.2cm dưới mép trái")), size=26)
    d.fingerprint(draw, (40, 230, 300, 560), "NGÓN TRỎ TRÁI")
    d.fingerprint(draw, (320, 230, 580, 560), "NGÓN TRỎ PHẢI")
    d.text(draw, (700, 320), "GIÁM ĐỐC CÔNG AN", "sans-bold", 24)
    d.signature(draw, 720, 400, rng)


_SIDES = {
    ("cccd_chip", "front"): _cccd_front, ("cccd_chip", "back"): _cccd_back,
    ("cccd_barcode", "front"): _cccd_front, ("cccd_barcode", "back"): _cccd_back,
    ("can_cuoc", "front"): _can_cuoc_front, ("can_cuoc", "back"): _can_cuoc_back,
    ("cmnd", "front"): _cmnd_front, ("cmnd", "back"): _cmnd_back,
}


def render(ident: Identity, side: str, rng: random.Random) -> Image.Image:
    """The card side as printed, at the canonical size."""
    card = d.background(rng, TINTS[ident.doc_type])
    draw = ImageDraw.Draw(card)
    _SIDES[(ident.doc_type, side)](card, draw, ident, rng)
    _print_values(draw, LAYOUTS[(ident.doc_type, side)], ident, "serif" if ident.doc_type == "cmnd" else "sans")
    return card
