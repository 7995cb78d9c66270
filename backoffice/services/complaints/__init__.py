"""The complaints domain (phản ánh, kiến nghị, khiếu nại, tố cáo; DESIGN.md §4.3): its public API.

`routing` routes a complaint by its text; `intake` receives it; `workflow` works it to the end (acceptance and
kind, drafts and approval, consults to other offices, urges, duplicates, reopening); `catalogue` holds the clocks
and the invalidity reasons; `notices` the messages. Registered here as the casework core's case type "complaint".
"""
from sqlalchemy import select

from backoffice.models import Complaint, ComplaintAttachment, Role
from backoffice.services.casework import CaseType, queue, register
from backoffice.services.complaints import catalogue, intake, notices, workflow
from backoffice.services.complaints.dataset import (
    CATEGORIES,
    CorpusError,
    Example,
    corrections,
    read_corrections,
    register_corrections_source,
)
from backoffice.services.complaints.routing import (
    DEPARTMENT_OF,
    TRIAGE,
    ModelError,
    Route,
    RoutingError,
    TrainingReport,
    check_text,
    classify,
    current_router,
    train,
)
from backoffice.services.platform import scope

KIND_NAMES = {"": "chưa phân loại", "petition": "phản ánh, kiến nghị", "complaint": "khiếu nại",
              "denunciation": "tố cáo"}

CASES = register(CaseType(
    name=notices.CASE_TYPE, model=Complaint, transitions=catalogue.TRANSITIONS, paused_states=catalogue.PAUSED,
    closed_states=catalogue.CLOSED, takeable_states=catalogue.TAKEABLE, deadline=catalogue.deadline,
    restart_states=catalogue.RESTART, link=lambda complaint: f"/complaints/{complaint.id}",
    label=lambda complaint: f"{complaint.reference} ({KIND_NAMES.get(complaint.kind, '')})",
    queue_link=lambda office_id, department_code: f"/complaints/?department={department_code}"))
# Object access to a case (and its files and messages) is decided in services.platform.scope, by the domain's rule.
scope.register_case_type(notices.CASE_TYPE, Complaint, read=set(Role) - {Role.admin}, act=set(Role) - {Role.admin},
                         reads=workflow.can_read, acts=workflow.can_act,
                         files=lambda stored_id: select(ComplaintAttachment.complaint_id)
                         .where(ComplaintAttachment.stored_file_id == stored_id))


def department_page(office_id, department_code, filters, after=None, limit=queue.PAGE_SIZE):
    """One keyset page of a department's open complaints, due first."""
    return queue.department_page(CASES, office_id, department_code, filters, after, limit)


def my_page(officer, after=None, limit=queue.PAGE_SIZE):
    """One keyset page of the officer's own open complaints, due first."""
    return queue.my_page(CASES, officer, after, limit)


__all__ = ["CASES", "CATEGORIES", "DEPARTMENT_OF", "KIND_NAMES", "TRIAGE", "CorpusError", "Example", "ModelError",
           "Route", "RoutingError", "TrainingReport", "catalogue", "check_text", "classify", "corrections",
           "current_router", "department_page", "intake", "my_page", "read_corrections",
           "register_corrections_source", "train", "workflow"]
