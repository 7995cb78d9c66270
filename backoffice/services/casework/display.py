"""How the case pages of reissue requests and complaints write the register's values: offices by name, months as
MM/YYYY, amounts in đồng, benefit kinds in words."""
from backoffice.services import NotFound
from backoffice.services.platform import offices
from backoffice.web.catalogue import lazy_gettext as _l

BENEFIT_KIND_LABELS = {"pension": _l("Lương hưu"), "monthly_allowance": _l("Trợ cấp BHXH hằng tháng")}
# A case's timeline entries (models.casework.CaseEventKind) in words, the same for every case type.
EVENT_LABELS = {"transition": _l("Chuyển trạng thái"), "assignment": _l("Phân công"), "deadline": _l("Đổi thời hạn"),
                "warning": _l("Sắp đến hạn"), "escalation": _l("Quá hạn: đã báo lãnh đạo"), "note": _l("Ghi chú")}


def month(value):
    """"2027-01" as "01/2027" ("—" when absent)."""
    if not value or len(value) != 7:
        return value or "—"
    return f"{value[5:]}/{value[:4]}"


def money(amount):
    """6500000 as "6.500.000 đ"."""
    return f"{amount:,} đ".replace(",", ".")


def office_name(office_id=None, code=None):
    """An office by its name (its code only when the office tree does not know it)."""
    try:
        office = offices.get(office_id) if office_id else (offices.by_code(code) if code else None)
    except NotFound:
        office = None
    return office.name if office else (code or "—")
