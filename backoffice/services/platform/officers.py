"""Administration of officers: create, change role or office, deactivate, reset password.

Every operation takes the acting admin and keeps to their scope (services/admin_scope.py): officers outside the
admin's subtree do not exist for them, no one changes their own role, placement or active flag, and no one is
given a role or an office that sees beyond the acting admin's subtree.
"""
import re
from types import SimpleNamespace

from sqlalchemy import exists, select

from backoffice.extensions import db
from backoffice.models import Department, Office, Officer, Role
from backoffice.services import DomainError, NotFound
from backoffice.services.platform import audit, offices, passwords, scope, sessions
from backoffice.services.platform.admin_scope import Refused, manages, subtree_condition

_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
SELF_CHANGE = "Bạn không thể tự đổi vai trò, cơ quan hay phòng ban của chính mình; hãy nhờ một quản trị viên khác."
SELF_ACTIVE = "Không thể tự khoá hoặc mở khoá tài khoản của chính mình; hãy nhờ một quản trị viên khác."


def get_managed(actor, officer_id):
    """An officer whose office lies in the actor's subtree, or NotFound (as if they did not exist)."""
    officer = db.session.get(Officer, officer_id)
    if officer is None or not manages(actor, officer.office):
        raise NotFound("Không tìm thấy cán bộ.")
    return officer


def _placement(actor, office_id, department_code):
    office = db.session.get(Office, office_id) if office_id else None
    if office is None:
        raise DomainError("Cơ quan không tồn tại.", field="office_id")
    if not manages(actor, office):
        raise Refused("Bạn chỉ được xếp cán bộ vào cơ quan của mình hoặc cơ quan cấp dưới.", field="office_id")
    if not department_code:
        return office, None
    department = db.session.scalar(
        select(Department).where(Department.office_id == office.id, Department.code == department_code)
    )
    if department is None:
        raise DomainError("Cơ quan đã chọn không có phòng ban này.", field="department_code")
    return office, department


def _check_grant(actor, role, office, department):
    """Refuse a role whose sight would reach beyond the actor's subtree.

    The rule: an admin may give a role in an office only when every office that role sees from there
    (services.platform.scope.read_office_ids, the one place that decides sight) lies in the admin's own subtree.
    The office is already inside that subtree, so reception and department officers, supervisors (who see the
    subtree below their office) and admins pass; a department head of a national-level office, who follows their subject
    nationwide, can be appointed by a national admin only.
    """
    # A stand-in, not an Officer: a transient Officer attached to the office would be flushed by the query.
    candidate = SimpleNamespace(role=role, office=office, office_id=office.id, department=department,
                                department_id=department.id if department else None)
    beyond = scope.read_office_ids(candidate, subject=department.code if department else None).where(
        ~subtree_condition(actor))
    if db.session.scalar(select(exists(beyond))):
        raise Refused("Vai trò này được xem dữ liệu ngoài phạm vi quản lý của bạn; chỉ quản trị viên cấp trên "
                      "được giao.", field="role")


def _role(value):
    try:
        return Role(value)
    except ValueError:
        raise DomainError("Vai trò không hợp lệ.", field="role") from None


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
    office, department = _placement(actor, office_id, department_code)
    role = _role(role)
    _check_grant(actor, role, office, department)
    temporary = passwords.temporary_password()
    officer = Officer(username=username, full_name=full_name.strip(), email=email.strip(), role=role,
                      office=office, department=department, active=True, must_change_password=True,
                      password_hash=passwords.hash_password(temporary))
    db.session.add(officer)
    db.session.flush()
    _audit(actor, "officer_created", officer, role=officer.role.value, office=office.code)
    return officer, temporary


def update(actor, officer_id, *, full_name, email, role, office_id, department_code=None):
    """Change an officer's name, contact, role or placement; a move ends their sessions.

    Only officers of the actor's subtree (else NotFound); an admin editing themselves may change their name and
    contact only (Refused otherwise); the new role and office obey `_check_grant`.
    """
    officer = get_managed(actor, officer_id)
    office, department = _placement(actor, office_id, department_code)
    role = _role(role)
    moved = officer.role != role or officer.office_id != office.id
    if officer.id == actor.id and (moved or officer.department_id != (department.id if department else None)):
        raise Refused(SELF_CHANGE)
    _check_grant(actor, role, office, department)
    before = {"role": officer.role.value, "office": officer.office.code}
    officer.full_name, officer.email = full_name.strip(), email.strip()
    officer.role, officer.office, officer.department = role, office, department
    db.session.flush()
    if moved:
        sessions.end_all(officer.id)
    _audit(actor, "officer_updated", officer, before=before, after={"role": officer.role.value, "office": office.code})
    return officer


def set_active(actor, officer_id, active):
    """Deactivate (ending every session at once) or reactivate an officer of the actor's subtree, never oneself."""
    officer = get_managed(actor, officer_id)
    if actor.id == officer.id:
        raise Refused(SELF_ACTIVE)
    officer.active = active
    if not active:
        sessions.end_all(officer.id)
    _audit(actor, "officer_activated" if active else "officer_deactivated", officer)
    return officer


def reset_password(actor, officer_id):
    """Give an officer of the actor's subtree a new temporary password (returned once); they must change it at login."""
    officer = get_managed(actor, officer_id)
    temporary = passwords.temporary_password()
    officer.password_hash = passwords.hash_password(temporary)
    officer.must_change_password = True
    sessions.end_all(officer.id)
    _audit(actor, "officer_password_reset", officer)
    return officer, temporary


def listing(actor, office_id=None, after_id=0, limit=50):
    """Officers of the actor's subtree by id, optionally of one office (NotFound outside it), a keyset page."""
    query = (select(Officer).join(Officer.office).where(subtree_condition(actor), Officer.id > after_id)
             .order_by(Officer.id).limit(limit))
    if office_id:
        offices.get_managed(actor, office_id)
        query = query.where(Officer.office_id == office_id)
    return db.session.scalars(query).all()
