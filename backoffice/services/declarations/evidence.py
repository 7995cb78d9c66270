"""How a check's evidence reads for the officer: labelled lines in the officer's language, not JSON.

The evidence is stored as the checks computed it (it is also the snapshot kept with the decision); this only
words it. The ID-card package reports its warnings as stable English phrases; the known ones are worded here.
"""
import re

from backoffice.services.declarations.labels import COMPARED, DOCUMENT_LABELS
from backoffice.web.catalogue import gettext as _
from backoffice.web.catalogue import lazy_gettext as _l

# the review page's labels of the compared fields, and of the card's fields it does not show
FIELD_LABELS = {**dict(COMPARED), "place_of_origin": _l("Quê quán"), "date_of_issue": _l("Ngày cấp"),
                "nationality": _l("Quốc tịch"), "mrz": _l("Vùng MRZ")}
KEY_LABELS = {
    "note": _l("Ghi chú"), "reason": _l("Lý do"), "could_not_read": _l("Không đọc được ảnh"),
    "participant_id": _l("Mã người tham gia trong sổ"), "active_account": _l("Đã có tài khoản đang hoạt động"),
    "pending_references": _l("Tờ khai khác đang chờ xử lý"), "same_id_number": _l("Cùng số định danh, mã số BHXH khác"),
    "same_phone": _l("Cùng số điện thoại, mã số BHXH khác"), "same_email": _l("Cùng thư điện tử, mã số BHXH khác"),
    "problems": _l("Vấn đề"), "age": _l("Tuổi"), "too_small": _l("Ảnh quá nhỏ"), "warnings": _l("Cảnh báo khi đọc ảnh"),
    "reasons": _l("Lý do"), "mismatched": _l("Trường không khớp"), "expired_on": _l("Hết hạn từ"),
}
# evidence whose stored Vietnamese sentences (marked N_ where the checks write them) are translated when shown
TRANSLATED = {"note", "reason", "reasons"}
# (pattern, wording) of the ID-card package's warnings: `field` is shown by its label, the other groups as read
WARNINGS = (
    (r"(?P<field>\w+): (?P<a>\w+) reads a different value than (?P<b>\w+)", _l("%(field)s: %(a)s đọc khác %(b)s")),
    (r"date_of_expiry: day and month differ from date_of_birth", _l("Ngày, tháng hết hạn khác ngày, tháng sinh")),
    (r"date_of_issue: in the future", _l("Ngày cấp ở tương lai")),
    (r"date_of_expiry: the card has expired", _l("Thẻ đã hết hạn")),
    (r"date_of_expiry: not read, given by the renewal rule from the dates of birth and issue",
     _l("Không đọc được ngày hết hạn: ngày hiển thị được tính theo tuổi cấp đổi từ ngày sinh và ngày cấp")),
    (r"date_of_issue: holder was under 14 at issue", _l("Người mang thẻ chưa đủ 14 tuổi khi được cấp")),
    (r"full_name: ocr reads a different name than the mrz", _l("Họ và tên: OCR đọc khác MRZ")),
    (r"mrz: not readable", _l("Không đọc được vùng MRZ")),
    (r"id_number: unknown province code (?P<a>\d+)", _l("Số định danh: mã tỉnh %(a)s không có")),
    (r"id_number: invalid century/sex digit (?P<a>\d)",
     _l("Số định danh: chữ số thế kỷ, giới tính %(a)s không hợp lệ")),
    (r"id_number: birth year digits disagree with date_of_birth", _l("Số định danh: năm sinh không khớp ngày sinh")),
    (r"id_number: sex digit disagrees with sex", _l("Số định danh: chữ số giới tính không khớp giới tính")),
    (r"(?P<field>\w+): not confirmed by its form or the other fields",
     _l("%(field)s: chỉ đọc bằng OCR, chưa được xác nhận, cần đối chiếu với ảnh")),
    (r"(?P<side>front|back): card: not found in the photo",
     _l("%(side)s: không tìm thấy thẻ trong ảnh, các trường đọc được có thể sai")),
    (r"qr: seen but not readable", _l("Thấy mã QR nhưng không đọc được (lóa, nếp gấp hoặc mờ)")),
    (r"qr: not found", _l("Không tìm thấy mã QR trên thẻ")),
)
SIDE_LABELS = {"front": _l("Ảnh mặt trước"), "back": _l("Ảnh mặt sau")}
_WARNINGS = tuple((re.compile(pattern + "$"), wording) for pattern, wording in WARNINGS)


def warning_text(warning):
    """A warning of the ID-card package in the officer's language (unknown ones as they are)."""
    for pattern, wording in _WARNINGS:
        found = pattern.match(warning)
        if found:
            values = {name: value.upper() for name, value in found.groupdict().items()}  # sources: QR, MRZ, OCR
            if "field" in values:
                values["field"] = FIELD_LABELS.get(found["field"], found["field"])
            if "side" in values:
                values["side"] = SIDE_LABELS[found["side"]]
            return str(wording) % values
    return warning


def _problem(text):
    # the ID-card package's English phrases are worded; the checks' own Vietnamese sentences are translated
    worded = warning_text(text)
    return worded if worded != text else _(text)


def _value(key, value):
    if value is True:
        return _("Có")
    if isinstance(value, list):
        worded = {"warnings": warning_text, "problems": _problem, "reasons": _,
                  "too_small": lambda v: DOCUMENT_LABELS.get(v, v), "mismatched": lambda v: FIELD_LABELS.get(v, v)}
        return "; ".join(str(worded.get(key, str)(v)) for v in value)
    if key == "expired_on" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return _(value) if key in TRANSLATED and isinstance(value, str) else str(value)


def lines(evidence):
    """(label, text) for each entry of a check's evidence except the per-field comparison (shown as a table)."""
    return [(str(KEY_LABELS.get(key, key)), _value(key, value)) for key, value in (evidence or {}).items()
            if key != "fields" and value is not None and value is not False and value != []]  # an age of 0 shows


def field_rows(evidence):
    """(label, declared, found, status, score) of the per-field comparison, when the check has one."""
    return [(str(FIELD_LABELS.get(field, field)), row.get("declared"), row.get("extracted"), row.get("status"),
             row.get("score")) for field, row in ((evidence or {}).get("fields") or {}).items()]

