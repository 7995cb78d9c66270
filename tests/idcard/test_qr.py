from datetime import date

from backoffice.idcard.qr import build_payload, parse_payload

PAYLOAD = "001090012345|123456789|Nguyễn Văn Đạt|01021990|Nam|Số 1 Lê Lợi, Phường Hà Đông, Hà Nội|10072021"


def test_seven_fields_parse():
    result = parse_payload(PAYLOAD)
    assert result.id_number == "001090012345" and result.old_id_number == "123456789"
    assert result.full_name == "NGUYỄN VĂN ĐẠT" and result.sex == "Nam"
    assert result.date_of_birth == date(1990, 2, 1) and result.date_of_issue == date(2021, 7, 10)
    assert result.place_of_residence == "Số 1 Lê Lợi, Phường Hà Đông, Hà Nội"


def test_empty_old_id_and_extra_fields():
    result = parse_payload(PAYLOAD.replace("|123456789|", "||") + "|extra|more")
    assert result.old_id_number is None and result.id_number == "001090012345"


def test_female_and_decomposed_unicode():
    decomposed = PAYLOAD.replace("|Nam|", "|Nu\u031b\u0303|").replace("Nguyễn", "Nguye\u0302\u0303n")
    result = parse_payload(decomposed)
    assert result.sex == "Nữ" and result.full_name == "NGUYỄN VĂN ĐẠT"


def test_round_trip_with_builder():
    text = build_payload("079165000111", None, "Lê Thị Hà", date(1965, 5, 9), "Nữ", "Xã A, Tỉnh B", date(2022, 1, 3))
    assert parse_payload(text).full_name == "LÊ THỊ HÀ"


def test_malformed_payloads_give_nothing():
    assert parse_payload("") is None
    assert parse_payload("001090012345|x|y") is None
    assert parse_payload(PAYLOAD.replace("001090012345", "00109001234")) is None
    assert parse_payload(PAYLOAD.replace("01021990", "31021990")) is None
    assert parse_payload(PAYLOAD.replace("|Nam|", "|X|")) is None
    assert parse_payload(PAYLOAD.replace("123456789", "12345")) is None


def _glared(seed: int):
    """The rectified front of a held-out chip card photographed with glare over its QR code."""

    from backoffice.idcard.pipeline import _load
    from backoffice.idcard.rectify import find_outlines, warp
    from bench.idcard_heldout import make_heldout

    card = make_heldout("cccd_chip", "glare", seed)
    photo = _load(card.front)
    return card, photo, warp(photo, find_outlines(photo)[0].quad)


def test_a_qr_under_glare_is_read_after_local_contrast_evening():
    import cv2

    from backoffice.idcard.qr import decode, decode_hard, parse_payload

    card, photo, rectified = _glared(34)  # a tuning seed whose QR the plain decoder cannot read
    assert decode(rectified) is None and decode(photo) is None
    found = decode_hard(cv2.cvtColor(rectified, cv2.COLOR_BGR2GRAY))
    assert found is not None and parse_payload(found.text).id_number == card.identity.id_number


def test_a_qr_only_partly_readable_is_reported():
    import numpy as np
    import segno

    from backoffice.idcard.qr import decode, seen_unreadable

    matrix = np.pad(np.array(segno.make("001090012345|||", error="m").matrix, dtype=bool), 4)
    image = np.kron(np.where(matrix, 0, 255), np.ones((8, 8))).astype(np.uint8)
    size = image.shape[0]
    image[size // 3:, size // 2:] = 255  # glare washes out a third of the modules, finders intact
    assert decode(image) is None and seen_unreadable(image)


def test_a_qr_out_of_focus_is_read_sharpened():
    """A code blurred past what the decoder reads (3 px a module, a Gaussian blur of sigma 1.6-1.8)
    is read once its enlarged crop is sharpened; the decoder alone reads neither it nor its enlargement."""
    import cv2
    import numpy as np
    import segno

    from backoffice.idcard.qr import decode, decode_soft

    matrix = np.pad(np.array(segno.make(PAYLOAD, error="m").matrix, dtype=bool), 4)
    image = np.kron(np.where(matrix, 40, 230), np.ones((3, 3))).astype(np.float32)
    for sigma in (1.6, 1.8):
        soft = cv2.GaussianBlur(image, (0, 0), sigma).astype(np.uint8)
        enlarged = cv2.resize(soft, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        assert decode(soft) is None and decode(enlarged) is None
        found = decode_soft(enlarged)
        assert found is not None and parse_payload(found.text).id_number == "001090012345"


def test_a_blurred_chip_cards_qr_is_read_sharpened():
    """Held-out tuning seed 918 under blur: the chip card's QR, which the plain decoder could not read
    on the card, its corners enlarged or the photo, gives the card's values."""
    from backoffice.idcard import extract
    from bench.idcard_heldout import make_heldout

    card = make_heldout("cccd_chip", "blur", 918)
    fields = extract(card.front, card.back)["fields"]
    assert fields["id_number"]["source"] == "qr" and fields["id_number"]["value"] == card.identity.id_number
    assert fields["full_name"]["value"] == card.identity.full_name
