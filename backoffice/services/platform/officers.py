"""Administration of officers: create, change role or office, deactivate, reset password."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Department, Office, Officer, Role
from backoffice.services import DomainError, NotFound
from backoffice.services.platform import audit, passwords, sessions

_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")


def _get(officer_id):
    officer = db.session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("Không tìm thấy cán bộ.")
    return officer


def _placement(office_id, department_code):
    office = db.session.get(Office, office_id)
    if office is None:
        raise DomainError("Cơ quan không tồn tại.", field="office_id")
    if not department_code:
        return office, None
    department = db.session.scalar(
        select(Department).where(Department.office_id == office.id, Department.code == department_code)
    )
    if department is None:
        raise DomainError("Cơ quan đã chọn không có phòng ban này.", field="department_code")
    return office, department


def _audit(actor, action, officer, **details):
    audit.record(action, actor=actor, object_type="officer", object_id=officer.id,
                 office_id=officer.office_id, details=details)


def create(actor, *, username, full_name, email, role, office_id, department_code=None):
    """Create an officer with a temporary password (returned once) to be changed at first login."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise DomainError("Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch.",
                          field="username")
    if db.session.scalar(select(Officer.id).where(Officer.username == username)):
        raise DomainError("Tên đăng nhập đã được dùng.", field="username")
    office, department = _placement(office_id, department_code)
    temporary = passwords.temporary_password()
    officer = Officer(username=username, full_name=full_name.strip(), email=email.strip(), role=Role(role),
                      office=office, department=department, active=True, must_change_password=True,
                      password_hash=passwords.hash_password(temporary))
    db.session.add(officer)
    db.session.flush()
    _audit(actor, "officer_created", officer, role=officer.role.value, office=office.code)
    return officer, temporary


def update(actor, officer_id, *, full_name, email, role, office_id, department_code=None):
    """Change an officer's name, contact, role or placement; a move ends their sessions."""
    officer = _get(officer_id)
    office, department = _placement(office_id, department_code)
    moved = officer.role != Role(role) or officer.office_id != office.id
    before = {"role": officer.role.value, "office": officer.office.code}
    officer.full_name, officer.email = full_name.strip(), email.strip()
    officer.role, officer.office, officer.department = Role(role), office, department
    db.session.flush()
    if moved:
        sessions.end_all(officer.id)
    _audit(actor, "officer_updated", officer, before=before, after={"role": officer.role.value, "office": office.code})
    return officer


def set_active(actor, officer_id, active):
    """Deactivate (ending every session at once) or reactivate an officer."""
    officer = _get(officer_id)
    if actor.id == officer.id and not active:
        raise DomainError("Không thể tự khoá tài khoản của chính mình.")
    officer.active = active
    if not active:
        sessions.end_all(officer.id)
    _audit(actor, "officer_activated" if active else "officer_deactivated", officer)
    return officer


def reset_password(actor, officer_id):
    """Give an officer a new temporary password (returned once); they must change it at login."""
    officer = _get(officer_id)
    temporary = passwords.temporary_password()
    officer.password_hash = passwords.hash_password(temporary)
    officer.must_change_password = True
    sessions.end_all(officer.id)
    _audit(actor, "officer_password_reset", officer)
    return officer, temporary


def listing(office_id=None, after_id=0, limit=50):
    """Officers by id, optionally of one office, one keyset page at a time."""
    query = select(Officer).where(Officer.id > after_id).order_by(Officer.id).limit(limit)
    if office_id:
        query = query.where(Officer.office_id == office_id)
    return db.session.scalars(query).all()
