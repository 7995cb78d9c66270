"""The landing page after sign-in."""
from flask import Blueprint, render_template
from flask_login import current_user

from backoffice.models import Role
from backoffice.services import complaints, reissue
from backoffice.services.casework import queue
from backoffice.services.complaints import workflow as complaint_workflow
from backoffice.services.complaints.routing import DEPARTMENTS as COMPLAINT_DEPARTMENTS
from backoffice.services.platform import calendar
from backoffice.services.platform.labels import DEPARTMENT_LABELS
from backoffice.services.reissue.catalogue import DEPARTMENTS as REISSUE_TYPE_DEPARTMENTS
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.permissions import signed_in

bp = Blueprint("home", __name__)
DEPARTMENT_ROLES = (Role.department_officer, Role.department_head)


REISSUE_DEPARTMENTS = frozenset(REISSUE_TYPE_DEPARTMENTS.values())
# The case types a department works, each with its lists: (title, case type, departments, queue, my cases).
CASE_LISTS = (
    (_l("Yêu cầu cấp lại"), reissue.CASES, REISSUE_DEPARTMENTS, "reissue.department_queue", "reissue.mine"),
    (_l("Phản ánh"), complaints.CASES, COMPLAINT_DEPARTMENTS, "complaints.department_queue", "complaints.mine"),
)


def _work(officer):
    """What waits for a department officer or head, per case type their department works (each figure links to
    the list it counts), and the consults addressed to the department."""
    if officer.role not in DEPARTMENT_ROLES or officer.department is None:
        return None
    department, today = officer.department.code, calendar.today()
    rows = [{"title": title, "queue": queue_endpoint, "mine": mine_endpoint,
             "counts": queue.work_counts(case_type, officer, department, today)}
            for title, case_type, departments, queue_endpoint, mine_endpoint in CASE_LISTS
            if department in departments]
    return {"rows": rows, "today": today.isoformat(), "cap": queue.WORK_CAP,
            "consults": complaint_workflow.consult_count(officer)}


@bp.route("/")
@signed_in
def index():
    """The officer's start page: who and where they are, what waits for them, and what they can open."""
    department = current_user.department
    return render_template("home/index.html", officer=current_user, work=_work(current_user),
                           department_label=department and DEPARTMENT_LABELS.get(department.code, department.name))
