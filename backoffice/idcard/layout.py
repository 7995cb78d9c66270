"""What each document side prints, and the canonical card the photos are warped to.

The canonical card is ID-1 at 1200 x 756 px. Where a field is printed is not assumed: labels.py
finds it from the printed labels. `Box` is a value's rectangle on the warped card, as found.
"""

from dataclasses import dataclass

CARD_W, CARD_H = 1200, 756
DOC_TYPES = ("cccd_chip", "cccd_barcode", "can_cuoc", "cmnd")


@dataclass(frozen=True)
class Box:
    """One printed value line: the field it belongs to, its rectangle and how to read it."""

    field: str
    x0: int
    y0: int
    x1: int
    y1: int
    kind: str  # digits | date | dateline (words and digits) | name | text | sex
    inferred: bool = False  # placed by the order of the fields, its label not read: trusted less
    seen: str = ""  # what the whole side's words pass read there (not for a name): a second reading
    cut: bool = False  # an address whose first words were hidden with its label's (labels.Region.cut)


# The fields each document side prints, in reading order: a prior for what to look for, not where.
PRINTED: dict[tuple[str, str], tuple[str, ...]] = {
    ("cccd_chip", "front"): ("id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
                             "place_of_residence", "date_of_expiry"),
    ("cccd_chip", "back"): ("date_of_issue",),
    ("can_cuoc", "front"): ("id_number", "full_name", "date_of_birth", "sex", "nationality"),
    ("can_cuoc", "back"): ("place_of_residence", "place_of_origin", "date_of_issue", "date_of_expiry"),
    ("cmnd", "front"): ("id_number", "full_name", "date_of_birth", "place_of_origin", "place_of_residence"),
    ("cmnd", "back"): ("date_of_issue",),
}
PRINTED[("cccd_barcode", "front")] = PRINTED[("cccd_chip", "front")]
PRINTED[("cccd_barcode", "back")] = PRINTED[("cccd_chip", "back")]

# Words printed on one document side (ASCII-folded, lower case), read anywhere on it to tell the
# sides apart; a side scores the markers it shows minus half of those it misses.
SIDE_MARKERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cccd_chip", "front"): ("can cuoc cong dan", "citizen identity card"),
    ("cccd_barcode", "front"): ("can cuoc cong dan",),
    ("can_cuoc", "front"): ("can cuoc", "identity card"),
    ("cmnd", "front"): ("giay chung minh nhan dan",),
    ("cccd_chip", "back"): ("dac diem nhan dang", "personal identification"),
    ("cccd_barcode", "back"): ("dac diem nhan dang",),
    ("can_cuoc", "back"): ("noi cu tru", "place of residence"),
    ("cmnd", "back"): ("dan toc", "ton giao"),
}
# Smaller print of a back that confirms it when seen but, unlike a marker, costs nothing when missed: the
# fingerprint boxes' captions and the signer's title stay in view when a thumb covers the title.
SIDE_CAPTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cccd_chip", "back"): ("ngon tro trai", "ngon tro phai", "cuc truong cuc canh sat"),
    ("cccd_barcode", "back"): ("ngon tro trai", "ngon tro phai", "cuc truong cuc canh sat"),
    ("can_cuoc", "back"): ("bo cong an",),
    ("cmnd", "back"): ("ngon tro trai", "ngon tro phai", "dau vet rieng va di hinh"),
}
