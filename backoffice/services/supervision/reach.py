"""What a supervision screen may read for an officer: the one adapter over the platform's scope rules.

Kept in one function so the scope rewrite (read_office_ids(officer, subject) / act_office_ids(officer)) is a
one-place change: supervisors read their office and its subtree; a national department head reads their subject
nationwide; reception and department officers read their own figures only; admins read nothing here.
"""
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from backoffice.extensions import db
from backoffice.models import Office, OfficeLevel, Role
from backoffice.services import NotFound
from backoffice.services.platform import scope


@dataclass(frozen=True)
class Reach:
    """Offices (a select of ids), and the department and officer the figures are limited to (None: all)."""

    office_ids: Select
    department: str | None = None
    officer_id: int | None = None


def reach(officer):
    """The offices, subject and officer whose figures this officer may read (admins: NotFound)."""
    if officer.role == Role.admin:
        raise NotFound("Quản trị viên không xem số liệu nghiệp vụ.")
    if officer.role == Role.supervisor:
        return Reach(scope.read_office_ids(officer))
    if officer.role == Role.department_head:
        subject = officer.department.code if officer.department is not None else None
        return Reach(scope.read_office_ids(officer, subject), department=subject.value if subject else None)
    return Reach(scope.read_office_ids(officer), officer_id=officer.id)


def subtree_office_ids(officer):
    """Offices a supervisor's sampling, flags and reports cover (their subtree; others have none)."""
    if officer.role != Role.supervisor:
        raise NotFound("Chỉ lãnh đạo giám sát dùng chức năng này.")
    return scope.read_office_ids(officer)


def national(officer):
    """True for an officer of the national office (their reach is the whole tree)."""
    return officer.office.level == OfficeLevel.national


def covers(officer, office_id):
    """True when a supervisor's subtree holds this office (others: NotFound)."""
    subtree_office_ids(officer)
    return scope.office_readable(officer, office_id)


def offices_in_reach(officer, chosen=None):
    """(id, "code name") of the offices to choose from, by code: the officer's own, the chosen one and the offices
    above it within reach, and the offices right below it (a national list of every district would be hundreds)."""
    root = chosen or officer.office_id
    path = db.session.scalar(select(Office.path).where(Office.id == root)) or ""
    codes = [code for code in path.strip("/").split("/") if code]
    return [(row.id, f"{row.code} {row.name}") for row in db.session.execute(
        select(Office.id, Office.code, Office.name).where(
            Office.id.in_(reach(officer).office_ids),
            or_(Office.id == officer.office_id, Office.code.in_(codes), Office.parent_id == root))
        .order_by(Office.code))]
