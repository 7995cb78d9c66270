"""Correcting a decision the re-review disagreed with, through the case domain's normal workflow (DESIGN.md §8).

A follow-up "corrected" is not a verdict written over the case: it puts the case back where the domain decides it,
and a different officer decides again with the domain's own steps (its checks, its notices to the citizen, its
audit entries):

- a declaration goes back to the reception desk, in review and held by an officer of its office the supervisor
  names (never the officer who decided it, nor the one who confirmed it), with the supervisor's note shown as a
  returned case's note; that officer approves or rejects it on the desk (a rejection tells the citizen through the
  outbox, with the reason, as every rejection does). The e-transaction account a corrected approval opened is
  locked meanwhile, the citizen told through the outbox (the declarations workflow's `reopen_for_correction`);
- a complaint answer is reopened (the complaint workflow's own reopening: a new clock, a new draft by an officer
  and a new approval by the head);
- a reissue request is reopened into processing in its department (the reissue workflow's
  `reopen_for_correction`: a new clock, the supervisor's reason on the timeline, the citizen told), held by an
  officer of the department the supervisor names, who decides it again with the type's own steps (a payout change
  starts its maker-checker again; one already applied has the previous payout restored meanwhile).

Every correction is audited on the case (`<case type>_correction_opened`) and on the sample (`review_follow_up`).
`status` reads what the domain did afterwards from the audit log: still waiting, or decided again (how).
"""
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import (
    AuditEntry,
    Complaint,
    Declaration,
    Officer,
    ReissueRequest,
    Role,
)
from backoffice.services import Conflict, DomainError, declarations, reissue
from backoffice.services.casework import cases
from backoffice.services.complaints import workflow as complaint_workflow
from backoffice.services.platform import audit
from backoffice.services.supervision import sampling
from backoffice.services.supervision.sources import decision_actions


def correctors(supervisor, item):
    """(id, name) of the officers who may decide a case again: for a declaration the active reception officers of
    its office, for a reissue request the officers of its department in its office; never the officer who decided
    it, nor its checker, nor the supervisor. (A complaint is reopened to its department head, who assigns it.)"""
    excluded = {item.officer_id, item.checker_id, supervisor.id}
    if item.case_type == "declaration":
        office_id = db.session.scalar(select(Declaration.office_id).where(Declaration.id == item.case_id))
        found = [(o.id, o.full_name) for o in db.session.scalars(select(Officer).where(
            Officer.office_id == office_id, Officer.role == Role.reception_officer, Officer.active.is_(True))
            .order_by(Officer.full_name, Officer.id))]
    elif item.case_type == "reissue":
        request = db.session.get(ReissueRequest, item.case_id)
        found = [(row.id, row.full_name) for row in cases.department_officers(request.office_id,
                                                                             request.department_code)]
    else:
        return []
    return [(officer_id, name) for officer_id, name in found if officer_id not in excluded]


def _declaration(supervisor, item, note, officer_id):
    if officer_id not in dict(correctors(supervisor, item)):
        raise DomainError("Chọn một cán bộ tiếp nhận khác của đơn vị (không phải người đã quyết định) để quyết "
                          "định lại.", field="officer_id")
    return declarations.reopen_for_correction(supervisor, item.case_id, note, officer_id)


def _complaint(supervisor, item, note, officer_id):
    complaint = db.session.get(Complaint, item.case_id)
    if complaint.state != "closed":
        raise Conflict("Phản ánh chưa kết thúc: điều chỉnh sau khi phản ánh được đóng, hoặc trao đổi với trưởng "
                       "phòng đang giải quyết.")
    complaint_workflow.reopen(complaint.reference, complaint.phone, note, actor=supervisor)
    return {"before": "closed", "after": "reopened"}


def _reissue(supervisor, item, note, officer_id):
    request = db.session.get(ReissueRequest, item.case_id)
    before = request.state
    if officer_id not in dict(correctors(supervisor, item)):
        raise DomainError("Chọn một cán bộ khác của phòng xử lý (không phải người đã quyết định) để quyết định lại.",
                          field="officer_id")
    reissue.reopen_for_correction(supervisor, item.case_id,
                                  f"Quyết định lại theo yêu cầu của lãnh đạo sau kiểm tra lại: {note}", officer_id)
    return {"before": str(before), "after": str(request.state), "officer": officer_id}


HANDLERS = {"declaration": _declaration, "complaint": _complaint, "reissue": _reissue}


def correct(supervisor, verdict_id, note, officer_id=None):
    """Settle a disagreement by correcting the case through its workflow (audited on the case and the sample)."""
    verdict = sampling.follow_up(supervisor, verdict_id, "corrected", note)
    item = verdict.item
    details = HANDLERS[item.case_type](supervisor, item, verdict.follow_up_note, officer_id)
    audit.record(f"{item.case_type}_correction_opened", actor=supervisor, object_type=item.case_type,
                 object_id=item.case_id, office_id=item.office_id,
                 details={"review_item": item.id, "note": verdict.follow_up_note, **details})
    return verdict


def settle(supervisor, verdict_id, action, note, officer_id=None):
    """The follow-up form's one call: confirm the original, or correct it."""
    if action == "corrected":
        return correct(supervisor, verdict_id, note, officer_id)
    return sampling.follow_up(supervisor, verdict_id, action, note)


def status(item, verdict):
    """(state, outcome) of a correction: ("waiting", None) until the case is decided again, then ("decided",
    "approved"/"rejected"); None when the verdict was not corrected."""
    if verdict.follow_up != "corrected":
        return None
    actions = decision_actions()
    case = [AuditEntry.object_type == item.case_type, AuditEntry.object_id == str(item.case_id)]
    opened = db.session.scalar(select(func.max(AuditEntry.id)).where(
        *case, AuditEntry.action == f"{item.case_type}_correction_opened"))
    entry = db.session.scalars(select(AuditEntry).where(
        *case, AuditEntry.action.in_(actions), AuditEntry.id > (opened or 0)).order_by(AuditEntry.id)
        .limit(1)).first() if opened else None
    return ("decided", actions[entry.action][1]) if entry is not None else ("waiting", None)


def follow_ups(supervisor, disagreements):
    """{verdict id: {"correctors", "status"}} for a sample page's disagreements."""
    return {verdict.id: {"correctors": [] if verdict.follow_up else correctors(supervisor, item),
                         "status": status(item, verdict)} for item, verdict in disagreements}
