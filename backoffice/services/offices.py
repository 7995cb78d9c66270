"""Administration of the office tree and each office's departments."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Department, DepartmentCode, Office, OfficeLevel
from backoffice.models.office import DEPARTMENT_NAMES
from backoffice.services import DomainError, NotFound, audit

_CODE = re.compile(r"^[0-9]{5}$")  # ASCII digits only (\d also takes fullwidth ones)


def get(office_id):
    """An office by id, or NotFound."""
    office = db.session.get(Office, office_id)
    if office is None:
        raise NotFound("Không tìm thấy cơ quan.")
    return office


def by_code(code):
    """An office by its 5-digit code, or None."""
    return db.session.scalar(select(Office).where(Office.code == code))


def all_offices():
    """Every office in tree order (by path)."""
    return db.session.scalars(select(Office).order_by(Office.path)).all()


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
    """Create an office with all five departments."""
    code = code.strip()
    if not _CODE.match(code):
        raise DomainError("Mã cơ quan gồm đúng 5 chữ số.", field="code")
    if by_code(code):
        raise DomainError("Mã cơ quan đã tồn tại.", field="code")
    level = OfficeLevel(level)
    parent = _parent(parent_id, level)
    office = Office(code=code, name=name.strip(), level=level, parent=parent, path=_path(parent, code),
                    address=address.strip(), phone=phone.strip(), email=email.strip())
    office.departments = [Department(code=c, name=DEPARTMENT_NAMES[c]) for c in DepartmentCode]
    db.session.add(office)
    db.session.flush()
    audit.record("office_created", actor=actor, object_type="office", object_id=office.id, office_id=office.id,
                 details={"code": code})
    return office


def update(actor, office_id, *, name, level, parent_id=None, address="", phone="", email=""):
    """Change an office's details or move it (its whole subtree moves with it)."""
    office = get(office_id)
    level = OfficeLevel(level)
    parent = _parent(parent_id, level)
    if parent is not None and parent.path.startswith(office.path):
        raise DomainError("Không thể chuyển cơ quan vào chính nhánh của nó.", field="parent_id")
    old_path, new_path = office.path, _path(parent, office.code)
    office.name, office.level, office.parent = name.strip(), level, parent
    office.address, office.phone, office.email = address.strip(), phone.strip(), email.strip()
    if new_path != old_path:
        descendants = db.session.scalars(select(Office).where(Office.path.startswith(old_path))).all()
        for item in descendants:
            item.path = new_path + item.path[len(old_path):]
    db.session.flush()
    audit.record("office_updated", actor=actor, object_type="office", object_id=office.id, office_id=office.id,
                 details={"code": office.code, "path": office.path})
    return office


def rename_department(actor, department_id, name):
    """Rename a department; its code never changes."""
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound("Không tìm thấy phòng ban.")
    if not name.strip():
        raise DomainError("Tên phòng ban không được để trống.", field="name")
    before = department.name
    department.name = name.strip()
    db.session.flush()
    audit.record("department_renamed", actor=actor, object_type="department", object_id=department.id,
                 office_id=department.office_id, details={"before": before, "after": department.name})
    return department
