"""Administration of the office tree and each office's departments.

An admin manages the offices of their own subtree (others do not exist for them); moving an office or changing
its level reshapes the national tree, and with it who sees whose citizens, so it is for national admins only.
A non-national admin creates offices only below their own level, inside their subtree (services/admin_scope.py).
"""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Department, DepartmentCode, Office, OfficeLevel
from backoffice.models.office import DEPARTMENT_NAMES
from backoffice.services import DomainError, NotFound
from backoffice.services.platform import audit
from backoffice.services.platform.admin_scope import (
    LEVEL_ORDER,
    Forbidden,
    Refused,
    is_national,
    manages,
    require_national,
)

_CODE = re.compile(r"^[0-9]{5}$")
NATIONAL_ONLY_MOVE = "Chỉ quản trị viên cấp Trung ương được chuyển cơ quan sang cơ quan cấp trên khác hoặc đổi cấp."


def get(office_id):
    """An office by id, or NotFound."""
    office = db.session.get(Office, office_id)
    if office is None:
        raise NotFound("Không tìm thấy cơ quan.")
    return office


def get_managed(actor, office_id):
    """An office of the actor's subtree, or NotFound (as if it did not exist)."""
    office = db.session.get(Office, office_id) if office_id else None
    if office is None or not manages(actor, office):
        raise NotFound("Không tìm thấy cơ quan.")
    return office


def creatable_levels(actor):
    """The levels of office the actor may create: any for a national admin, else only those below their own."""
    if is_national(actor):
        return LEVEL_ORDER
    return LEVEL_ORDER[LEVEL_ORDER.index(actor.office.level) + 1:]


def _level(value):
    try:
        return OfficeLevel(value)
    except ValueError:
        raise DomainError("Cấp cơ quan không hợp lệ.", field="level") from None


def by_code(code):
    """An office by its 5-digit code, or None."""
    return db.session.scalar(select(Office).where(Office.code == code))


def _parent(parent_id, level):
    if level == OfficeLevel.national:
        if parent_id:
            raise DomainError("Cơ quan Trung ương không có cơ quan cấp trên.", field="parent_id")
        return None
    parent = db.session.get(Office, parent_id) if parent_id else None
    if parent is None:
        raise DomainError("Hãy chọn cơ quan cấp trên.", field="parent_id")
    return parent


def _path(parent, code):
    return f"{parent.path if parent else '/'}{code}/"


def create(actor, *, code, name, level, parent_id=None, address="", phone="", email=""):
    """Create an office with all five departments: at a level the actor may create, under an office they manage."""
    level = _level(level)
    if level not in creatable_levels(actor):
        raise Forbidden("Bạn chỉ được thêm cơ quan cấp dưới cơ quan của mình.")
    code = code.strip()
    if not _CODE.match(code):
        raise DomainError("Mã cơ quan gồm đúng 5 chữ số.", field="code")
    if by_code(code):
        raise DomainError("Mã cơ quan đã tồn tại.", field="code")
    parent = _parent(parent_id, level)
    if parent is not None and not manages(actor, parent):
        raise Refused("Cơ quan cấp trên phải là cơ quan của bạn hoặc cơ quan cấp dưới.", field="parent_id")
    office = Office(code=code, name=name.strip(), level=level, parent=parent, path=_path(parent, code),
                    address=address.strip(), phone=phone.strip(), email=email.strip())
    office.departments = [Department(code=c, name=DEPARTMENT_NAMES[c]) for c in DepartmentCode]
    db.session.add(office)
    db.session.flush()
    audit.record("office_created", actor=actor, object_type="office", object_id=office.id, office_id=office.id,
                 details={"code": code})
    return office


def update(actor, office_id, *, name, level, parent_id=None, address="", phone="", email=""):
    """Change an office's details, or move it (its whole subtree moves with it) or change its level.

    Only offices of the actor's subtree (else NotFound); moving and changing the level are for national admins
    (else Forbidden), and are audited as `office_moved` with the path before and after.
    """
    office = get_managed(actor, office_id)
    level = _level(level)
    if (parent_id or None) != office.parent_id or level != office.level:
        require_national(actor, NATIONAL_ONLY_MOVE)
    parent = _parent(parent_id, level)
    if parent is not None and parent.path.startswith(office.path):
        raise DomainError("Không thể chuyển cơ quan vào chính nhánh của nó.", field="parent_id")
    old_path, new_path = office.path, _path(parent, office.code)
    office.name, office.level, office.parent = name.strip(), level, parent
    office.address, office.phone, office.email = address.strip(), phone.strip(), email.strip()
    if new_path != old_path:
        audit.record("office_moved", actor=actor, object_type="office", object_id=office.id, office_id=office.id,
                     details={"code": office.code, "before": old_path, "after": new_path})
        descendants = db.session.scalars(select(Office).where(Office.path.startswith(old_path))).all()
        for item in descendants:
            item.path = new_path + item.path[len(old_path):]
    db.session.flush()
    audit.record("office_updated", actor=actor, object_type="office", object_id=office.id, office_id=office.id,
                 details={"code": office.code, "path": office.path})
    return office


def rename_department(actor, department_id, name):
    """Rename a department of an office in the actor's subtree (else NotFound); its code never changes."""
    department = db.session.get(Department, department_id)
    if department is None or not manages(actor, department.office):
        raise NotFound("Không tìm thấy phòng ban.")
    if not name.strip():
        raise DomainError("Tên phòng ban không được để trống.", field="name")
    before = department.name
    department.name = name.strip()
    db.session.flush()
    audit.record("department_renamed", actor=actor, object_type="department", object_id=department.id,
                 office_id=department.office_id, details={"before": before, "after": department.name})
    return department
