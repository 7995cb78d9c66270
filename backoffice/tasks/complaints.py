"""Complaint jobs: the overdue-consult sweep (rq cron, or in-process under `make run`)."""
from backoffice.extensions import db
from backoffice.services import complaints  # noqa: F401 - registers the case type with the casework core
from backoffice.services.complaints import workflow


def escalate_overdue_consults():
    """Escalate each consult past its deadline, once, to the heads of both offices (idempotent); returns how many."""
    count = workflow.escalate_overdue_consults()
    db.session.commit()
    return count
