"""Reissue requests, the four public services of VssID (DESIGN.md §4.2): the domain's public API.

Intake (API validation, checks) is in `intake`, the steps of each service in `workflow`, the fixed facts
(departments, deadlines, reasons, banks) in `catalogue`, the citizen's messages in `notices`, the PDFs in `pdf`,
the demo data in `demo`. Registered here as the casework core's case type "reissue".
"""
from sqlalchemy import select

from backoffice.models import ReissueDocument, ReissueRequest, Role
from backoffice.services.casework import CaseType, queue, register
from backoffice.services.platform import scope
from backoffice.services.reissue import catalogue, workflow
from backoffice.services.reissue.notices import CASE_TYPE, TYPE_NAMES
from backoffice.services.reissue.workflow import (
    INCOMING_SHOWN,
    acknowledge_escalation,
    acknowledge_transfer,
    add_note,
    apply_due_payout_changes,
    apply_payout_change,
    approve_payout_change,
    assign,
    await_citizen,
    can_act,
    complete,
    confirm_identity,
    get_for,
    incoming_transfers,
    is_destination,
    needs_verification,
    propose_payout_change,
    record_delivery,
    register_view,
    reject,
    reopen_for_correction,
    resume,
    return_payout_change,
    send_to_destination,
    ship,
    start,
    stop_payout_change,
    take_next,
    timeline,
)

CASES = register(CaseType(
    name=CASE_TYPE, model=ReissueRequest, transitions=catalogue.transitions(), paused_states=catalogue.PAUSED,
    closed_states=catalogue.CLOSED, takeable_states=catalogue.TAKEABLE, deadline=catalogue.deadline,
    link=lambda request: f"/reissue/{request.id}",
    label=lambda request: f"{request.reference} ({TYPE_NAMES[request.kind]})",
    queue_link=lambda office_id, department_code: f"/reissue/?office_id={office_id}&department={department_code}"))
# Object access to a case (and its files and messages) is decided in services.platform.scope, by the domain's rule.
_WORKERS_AND_SUPERVISORS = {Role.department_officer, Role.department_head, Role.supervisor}
scope.register_case_type(CASE_TYPE, ReissueRequest, read=_WORKERS_AND_SUPERVISORS, act=_WORKERS_AND_SUPERVISORS,
                         reads=workflow.can_read, acts=workflow.can_act,
                         files=lambda stored_id: select(ReissueDocument.request_id)
                         .where(ReissueDocument.stored_file_id == stored_id))


def department_page(office_id, department_code, filters, after=None, limit=queue.PAGE_SIZE):
    """One keyset page of a department's open requests, due first."""
    return queue.department_page(CASES, office_id, department_code, filters, after, limit)


def my_page(officer, after=None, limit=queue.PAGE_SIZE):
    """One keyset page of the officer's own open requests, due first."""
    return queue.my_page(CASES, officer, after, limit)


__all__ = ["CASES", "CASE_TYPE", "acknowledge_escalation", "acknowledge_transfer", "add_note",
           "apply_due_payout_changes", "apply_payout_change", "approve_payout_change", "assign", "await_citizen",
           "can_act", "complete", "confirm_identity", "department_page", "get_for", "INCOMING_SHOWN",
           "incoming_transfers",
           "is_destination", "my_page", "needs_verification", "propose_payout_change", "record_delivery",
           "register_view", "reject", "reopen_for_correction", "resume", "return_payout_change",
           "send_to_destination", "ship", "start",
           "stop_payout_change", "take_next", "timeline", "workflow"]
