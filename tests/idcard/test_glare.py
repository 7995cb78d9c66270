"""Issue 19, fifth pass: a glare spot over part of a value, and the lines around a lost label.

A value line washed out in part read stretched in every look, an address line's washed-out end
followed on the stretched look, the ID number's line found by its ink when glare took both its
label and its digits, a word of an address taken for the number's label, a value below its label
beside another label's line, an address placed by the fields' order (its garbled label alone on
its line), and an administrative name cut to a lower-case word. Held-out renderer cards are of
the tuning seeds (below 1000).
"""

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from backoffice.idcard import extract, labels
from backoffice.idcard.address import plausible
from backoffice.idcard.layout import CARD_H, CARD_W
from backoffice.idcard.looks import evened, washed
from backoffice.idcard.ocr import WordBox
from backoffice.idcard.pipeline import SideView, value_boxes
from bench import idcard_heldout as heldout


def word(text: str, box: tuple[int, int, int, int], line: int = 0, confidence: float = 0.95) -> WordBox:
    return WordBox(text, box, line, confidence)


def _line(text: str, size: int = 30) -> np.ndarray:
    canvas = Image.new("L", (40 + size * len(text) * 3 // 5, size * 3 // 2), 225)
    font = ImageFont.truetype(heldout.FAMILIES["dejavu-sans"][0], size)
    ImageDraw.Draw(canvas).text((10, size // 6), text, font=font, fill=30)
    return np.asarray(canvas)


def _glared(gray: np.ndarray, centre_x: float, strength: float = 0.85) -> np.ndarray:
    """A bright spot over part of a line: ink and paper pulled towards white around a point."""
    h, w = gray.shape
    xs = np.arange(w, dtype=np.float32)[None, :].repeat(h, axis=0)
    spot = np.exp(-((xs - centre_x) ** 2) / (2 * (1.5 * h) ** 2))
    return (gray + (255 - gray.astype(np.float32)) * strength * spot).astype(np.uint8)


# --- a value line washed out in part -----------------------------------------------------------------

def test_a_line_washed_out_in_part_is_told_from_a_uniformly_soft_one():
    line = _line("Xã Tân Tiến, Huyện Quảng Xương, Tỉnh Thanh Hóa")
    assert not washed(line)
    assert not washed(cv2.GaussianBlur(line, (0, 0), 1.5))  # blur softens all of it alike
    glared = _glared(line, 120)
    assert washed(glared)
    inked = (line[:, 100:140] < 128).sum()
    assert (glared[:, 100:140] < 128).sum() < 0.1 * inked  # a global threshold loses it
    assert (evened(glared)[:, 100:140] < 128).sum() > 0.5 * inked
    assert evened(line) is line  # a line read well is read as it is


def test_an_address_washed_out_in_part_is_read_whole_on_the_stretched_look():
    # tuning seed 316: the glare spot over `Xã Tân Tiến`, read `X iến` by every look before
    sample = heldout.make_heldout("cccd_barcode", "glare", 316)
    fields = extract(sample.front)["fields"]
    assert fields["place_of_origin"]["value"] == sample.identity.place_of_origin


def test_an_address_lines_washed_out_end_is_followed_on_the_stretched_look():
    # tuning seed 327: `Thành phố Hà Nội` under the spot, its last words unread by the words pass
    sample = heldout.make_heldout("cccd_barcode", "glare", 327)
    fields = extract(sample.front)["fields"]
    assert fields["place_of_residence"]["value"] == sample.identity.place_of_residence


# --- the ID number under glare ------------------------------------------------------------------------

def test_the_number_whose_label_and_digits_glare_took_is_found_above_the_name_and_not_trusted():
    # tuning seed 690: the words pass read neither `Số` nor the digits; the name's label was read
    sample = heldout.make_heldout("cccd_barcode", "glare", 690)
    number = extract(sample.front)["fields"]["id_number"]
    assert number["value"] == sample.identity.id_number
    assert number["confidence"] < 0.9  # found by the fields' order: inferred


def _view(lines: list[list[WordBox]]) -> SideView:
    return SideView(np.full((CARD_H, CARD_W), 230, np.uint8), None, {}, lines=lines,
                    labels=labels.find_labels(lines))


def test_an_address_word_taken_for_the_numbers_label_neither_hides_the_number_nor_ends_an_address():
    lines = [[word("sz", (306, 221, 337, 239), 0), word("066200532269", (360, 214, 655, 241), 0)],
             [word("Nơi", (307, 456, 350, 477), 1), word("thường", (358, 456, 430, 477), 1),
              word("trú:", (436, 456, 470, 473), 1), word("Số", (478, 449, 513, 475), 1),
              word("99", (524, 453, 558, 475), 1), word("Phường", (806, 450, 911, 481), 1),
              word("Hòa", (925, 451, 978, 475), 1), word("Xuân,", (990, 451, 1071, 478), 1)],
             [word("Sơn", (307, 491, 359, 514), 2), word("Trà,", (370, 489, 421, 516), 2),
              word("Thành", (431, 489, 521, 514), 2), word("phố", (535, 488, 587, 520), 2),
              word("Đà", (596, 489, 635, 514), 2), word("Nẵng", (649, 488, 721, 520), 2)]]
    view = _view(lines)
    assert "id_number" in {label.field for label in view.labels}  # `Sơn` is like `Số / No.`
    boxes = value_boxes(view, "cccd_barcode", "front")
    (number,) = [b for b in boxes if b.field == "id_number"]
    assert (number.x0, number.x1) == (358, 657)  # the digits' box, padded
    assert len([b for b in boxes if b.field == "place_of_residence"]) == 2


# --- labels and the lines around them ---------------------------------------------------------------------

def test_a_date_below_its_label_skips_a_line_that_another_label_starts():
    # the expiry's label in the left column; the residence's label and value on the line below it
    lines = [[word("Có", (34, 565, 61, 584), 0), word("giá", (67, 565, 98, 589), 0),
              word("trị", (107, 565, 131, 588), 0), word("đến:", (139, 564, 185, 584), 0)],
             [word("Nơi", (293, 601, 334, 621), 1), word("thường", (342, 600, 429, 627), 1),
              word("trú:", (436, 600, 478, 621), 1), word("Số", (503, 595, 539, 624), 1),
              word("158", (552, 599, 605, 624), 1), word("Lý", (616, 596, 655, 631), 1)],
             [word("05/03/2031", (34, 602, 202, 633), 2)]]
    found = labels.find_labels(lines)
    regions = {r.field: r for r in labels.regions(lines, found, ("place_of_residence", "date_of_expiry"))}
    assert regions["date_of_expiry"].text == "05/03/2031"
    assert regions["place_of_residence"].text.startswith("Số 158")


def test_an_address_whose_label_was_not_read_is_placed_by_the_order_with_its_second_line():
    lines = [[word("Giới", (314, 345, 357, 366), 0), word("tính:", (364, 345, 411, 366), 0),
              word("Nữ", (426, 344, 471, 371), 0)],
             [word("lê", (336, 396, 350, 417), 1), word("quán:", (359, 397, 424, 422), 1)],
             [word("Thôn", (314, 432, 387, 460), 2), word("Đông,", (399, 432, 482, 466), 2),
              word("Tỉnh", (494, 428, 560, 458), 2), word("Nghệ", (571, 430, 647, 465), 2)],
             [word("An", (315, 475, 354, 501), 3)],
             [word("Nơi", (316, 531, 352, 549), 4), word("thường", (360, 530, 433, 554), 4),
              word("trú:", (441, 530, 478, 549), 4)]]
    found = labels.find_labels(lines)
    assert {label.field for label in found} == {"sex", "place_of_residence"}
    wanted = ("sex", "place_of_origin", "place_of_residence")
    (origin,) = labels.infer_missing(lines, found, labels.regions(lines, found, wanted), wanted)
    assert origin.field == "place_of_origin" and origin.inferred
    assert origin.text == "Thôn Đông, Tỉnh Nghệ An"  # its garbled label alone on its line is left out
    assert len(origin.boxes) == 2


def test_an_administrative_name_cut_to_a_lower_case_word_is_doubtful():
    assert plausible("Số 107 Quang Trung, Xã Kim Thành, Quận Ngô Quyền, Thành phố Hải Phòng")
    assert not plausible("Số 107 Quang Trung, Xã Kim Thành, Quận ô Quyền, Thành phố Hải Phòng")
    assert plausible("Khu phố 2, Thị xã Hương Thủy, Tỉnh Thừa Thiên Huế")  # type words in lower case


def test_a_word_in_capitals_after_the_names_label_is_the_names_first_word():
    # tuning seed 318 under glare: `Họvà ta:` is too garbled for the label, `Họvà ta: LE` 80% like it
    lines = [[word("Họvà", (309, 259, 369, 283)), word("ta:", (376, 259, 414, 278)), word("LE", (432, 251, 482, 280)),
              word("THUY", (496, 251, 612, 281)), word("QUYNH", (624, 250, 774, 287))]]
    assert not any(label.last >= 2 for label in labels.find_labels(lines))  # labels are printed in mixed case
    clear = [[word("Họ", (309, 259, 340, 283)), word("và", (346, 259, 369, 283)), word("tên:", (376, 259, 414, 278)),
              *lines[0][2:]]]
    (label,) = labels.find_labels(clear)
    (name,) = labels.regions(clear, [label], ("full_name",))
    assert name.text == "LE THUY QUYNH"


def test_words_far_apart_are_no_one_label():
    # tuning seed 320 under glare: `nó ... ường trú:` 86% like `Nơi thường trú`, its first word the
    # expiry label's column: the address below it was read from there, the expiry's date taken in
    lines = [[word("nó", (54, 487, 191, 522)), word("|", (265, 509, 267, 521)), word("ường", (384, 506, 434, 524)),
              word("trú:", (443, 500, 479, 519))]]
    assert labels.find_labels(lines) == []
    close = [[word("Nơi", (316, 500, 352, 519)), word("ường", (384, 506, 434, 524)),
              word("trú:", (443, 500, 479, 519))]]
    assert [label.field for label in labels.find_labels(close)] == ["place_of_residence"]


def test_a_name_whose_label_was_not_read_is_placed_by_the_order_without_scraps_and_a_far_speck():
    # tuning seed 301 under glare: `Họ và ta:` (77% like the label) after two scraps of the portrait's
    # edge, a speck at the card's edge after the name; the number above it, the birth date's label below
    lines = [[word("031185037333", (364, 210, 673, 238), 0)],
             [word("ì", (0, 253, 10, 308), 1), word("SỆ", (149, 252, 173, 300), 1), word("Họ", (310, 272, 337, 292), 1),
              word("và", (346, 271, 368, 288), 1), word("ta:", (377, 271, 417, 288), 1),
              word("DƯƠNG", (440, 262, 592, 291), 1), word("NGỌC", (611, 262, 728, 299), 1),
              word("OANH", (744, 263, 864, 291), 1), word("ụ", (1192, 277, 1200, 289), 1)],
             [word("Ngày,", (310, 324, 370, 346), 2), word("tháng,", (378, 324, 450, 346), 2),
              word("năm", (458, 324, 500, 346), 2), word("sinh:", (508, 324, 557, 346), 2)]]
    found = labels.find_labels(lines)
    assert [label.field for label in found] == ["date_of_birth"]
    wanted = ("id_number", "full_name", "date_of_birth")
    number = labels.number_region(lines, (12,))
    (name,) = labels.infer_missing(lines, found, [number], wanted)
    assert name.text == "DƯƠNG NGỌC OANH"


def test_the_labels_found_tell_a_front_whose_title_was_lost_from_a_back():
    # tuning seed 307 under a thumb: the front's title read `CĂN CÔNG DÂN`, eight labels found; the
    # back's card was not found (its scores count for nothing): the photos were taken as swapped
    from backoffice.idcard.classify import classify, side_scores

    words = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM CĂN CÔNG DÂN Số Họ và tên Ngày sinh Giới tính Quốc tịch"
    fields = ["id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
              "place_of_residence", "date_of_expiry"]
    front = side_scores(words, has_qr=False, fields=fields)
    back = dict.fromkeys(front, 0.0)
    assert classify(front, back) == ("cccd_barcode", False)
    assert classify(side_scores(words, has_qr=False), back)[1]  # the title alone: swapped


def test_a_parts_type_word_is_found_folding_its_first_words_once(monkeypatch):
    # the ward dictionary splits some 3,500 names when the first address is read: 0.15 CPU s of a
    # one-card `idcard extract`, two thirds of it folding the same first words once per type word
    from backoffice.idcard import gazetteer

    assert gazetteer.split_type("Thị xã Hương Thủy") == ("Thị xã", "Hương Thủy")
    assert gazetteer.split_type("Xã Ea Ktur") == ("Xã", "Ea Ktur")
    assert gazetteer.split_type("Ấp Bình Lợi") == (None, "Ấp Bình Lợi")
    calls = []
    folding = gazetteer.key
    monkeypatch.setattr(gazetteer, "key", lambda *args: calls.append(args) or folding(*args))
    gazetteer.split_type("Ấp Bình Lợi")
    assert len(calls) <= 2
