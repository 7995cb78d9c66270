"""Who may see which offices and objects: the scope rules every domain uses (DESIGN.md §3).

Pure rules over the database; they raise domain errors and never touch the request. The route decorators and the
conversion of these errors to 404/403 are in `backoffice.web.permissions`.
"""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Office, OfficeLevel, Role


def visible_office_ids(officer):
    """Ids of the offices whose work this officer may see.

    Own office; the subtree for supervisors; every office for a national department head, who
    follows their subject nationwide (read and urge; the subject filter belongs to each object query).
    """
    if officer.role == Role.department_head and officer.office.level == OfficeLevel.national:
        return select(Office.id)
    if officer.role == Role.supervisor:
        return select(Office.id).where(Office.path.startswith(officer.office.path))
    return select(Office.id).where(Office.id == officer.office_id)


def in_scope(officer, office_id):
    """True when an object belonging to `office_id` lies inside the officer's scope."""
    if office_id == officer.office_id:  # every role's scope holds its own office: no query for the usual case
        return True
    return db.session.scalar(visible_office_ids(officer).where(Office.id == office_id)) is not None
