"""The landing page after sign-in."""
from flask import Blueprint, render_template
from flask_login import current_user

from backoffice.models import Role
from backoffice.services.complaints import workflow as complaint_workflow
from backoffice.services.platform.labels import DEPARTMENT_LABELS
from backoffice.web.permissions import signed_in

bp = Blueprint("home", __name__)
DEPARTMENT_ROLES = (Role.department_officer, Role.department_head)


def _work(officer):
    """What waits for a department officer or head: the department's open complaints, the consults addressed to it."""
    if officer.role not in DEPARTMENT_ROLES or officer.department is None:
        return None
    open_here = complaint_workflow.department_counts(officer.office_id).get(officer.department.code, 0)
    return {"complaints": open_here, "consults": complaint_workflow.consult_count(officer)}


@bp.route("/")
@signed_in
def index():
    """The officer's start page: who and where they are, what waits for them, and what they can open."""
    department = current_user.department
    return render_template("home/index.html", officer=current_user, work=_work(current_user),
                           department_label=department and DEPARTMENT_LABELS.get(department.code, department.name))
