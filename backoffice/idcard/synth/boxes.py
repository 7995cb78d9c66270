"""Where the project's own generator prints each value, in pixels of the canonical card.

These are the generator's drawing positions only: the extractor does not read them (issue 19).
"""

from ..layout import Box

_CCCD_FRONT = (
    Box("id_number", 470, 222, 900, 274, "digits"),
    Box("full_name", 320, 320, 1180, 374, "name"),
    Box("date_of_birth", 640, 380, 960, 426, "date"),
    Box("sex", 520, 428, 660, 474, "sex"),
    Box("nationality", 960, 428, 1180, 474, "text"),
    Box("place_of_origin", 320, 516, 1180, 562, "text"),
    Box("place_of_residence", 320, 606, 1180, 652, "text"),
    Box("place_of_residence", 320, 652, 1180, 698, "text"),
    Box("date_of_expiry", 40, 652, 300, 698, "date"),
)
_CCCD_BACK = (Box("date_of_issue", 40, 156, 360, 202, "date"),)

LAYOUTS: dict[tuple[str, str], tuple[Box, ...]] = {
    ("cccd_chip", "front"): _CCCD_FRONT,
    ("cccd_chip", "back"): _CCCD_BACK,
    ("cccd_barcode", "front"): _CCCD_FRONT,
    ("cccd_barcode", "back"): _CCCD_BACK,
    ("can_cuoc", "front"): (
        Box("id_number", 320, 262, 800, 314, "digits"),
        Box("full_name", 320, 348, 1180, 402, "name"),
        Box("date_of_birth", 320, 444, 640, 490, "date"),
        Box("sex", 320, 534, 500, 580, "sex"),
        Box("nationality", 680, 534, 1000, 580, "text"),
    ),
    ("can_cuoc", "back"): (
        Box("place_of_residence", 40, 58, 920, 104, "text"),
        Box("place_of_residence", 40, 104, 920, 150, "text"),
        Box("place_of_origin", 40, 186, 920, 232, "text"),
        Box("date_of_issue", 40, 272, 360, 318, "date"),
        Box("date_of_expiry", 480, 272, 800, 318, "date"),
    ),
    ("cmnd", "front"): (
        Box("id_number", 520, 160, 900, 216, "digits"),
        Box("full_name", 420, 234, 1180, 288, "name"),
        Box("date_of_birth", 440, 304, 800, 356, "date"),
        Box("place_of_origin", 470, 374, 1180, 426, "text"),
        Box("place_of_residence", 580, 484, 1180, 536, "text"),
        Box("place_of_residence", 290, 540, 1180, 592, "text"),
    ),
    ("cmnd", "back"): (Box("date_of_issue", 640, 240, 1180, 292, "dateline"),),
}

