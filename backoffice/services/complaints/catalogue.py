"""The complaints' fixed facts: kinds and their clocks, the states' moves, the invalidity reasons (DESIGN.md §4.3, §6).

The petition's allowance and the reopen window are settings (COMPLAINTS_PETITION_DAYS, default 10 working days;
COMPLAINTS_REOPEN_DAYS, default 30 days after closing).
"""
from dataclasses import dataclass

from flask import current_app

from backoffice.extensions import db
from backoffice.models import ComplaintKind, ComplaintState, DepartmentCode, Office
from backoffice.services.casework import Deadline

K, S = ComplaintKind, ComplaintState
TRIAGE_DEPARTMENT = DepartmentCode.TIEP_NHAN  # the triage queue is the reception head's
LEADERSHIP = "LANH_DAO"  # a denunciation goes to the office's leadership, outside the departments
QUEUES = (*(d.value for d in DepartmentCode), LEADERSHIP)  # the complaint queues: each department's, the leadership's
DEFAULT_PETITION_DAYS = 10
DEFAULT_REOPEN_DAYS = 30
DUPLICATE_WINDOW_DAYS = 30
ACCEPT_DAYS = 10
RESOLVE_DAYS = {(False, False): 30, (False, True): 45, (True, False): 45, (True, True): 60}  # (remote, complex)
COMPLAINT_ACCEPT_BASIS = "Luật Khiếu nại 2011 Điều 27 (thụ lý)"
COMPLAINT_BASIS = "Luật Khiếu nại 2011 Điều 28"
PETITION_BASIS = "Quy định của cơ quan (phản ánh, kiến nghị)"
DENUNCIATION_BASIS = "Luật Tố cáo 2018 Điều 30"
DENUNCIATION_DAYS = 30

TRANSITIONS = {
    S.received: {S.accepted, S.rejected_as_invalid},
    S.accepted: {S.assigned, S.rejected_as_invalid},
    S.assigned: {S.answered, S.consulting, S.rejected_as_invalid, S.accepted},  # accepted: re-routed
    S.answered: {S.approved, S.assigned, S.consulting},
    # The last consult answered: the case goes back where it stood.
    S.consulting: {S.assigned, S.answered, S.approved, S.reopened},
    S.approved: {S.closed, S.consulting},
    S.closed: {S.reopened},
    S.reopened: {S.assigned, S.answered, S.consulting},
}
# The clock stands while another office is asked (the consult has its own deadline inside the owner's time).
PAUSED = frozenset({S.consulting})
CLOSED = frozenset({S.closed, S.rejected_as_invalid})
TAKEABLE = frozenset({S.accepted})
RESTART = frozenset({S.reopened})
OPEN_FOR_ROUTING = frozenset({S.received, S.accepted, S.assigned})


def petition_days():
    """Working days allowed for a phản ánh, kiến nghị."""
    return current_app.config.get("COMPLAINTS_PETITION_DAYS", DEFAULT_PETITION_DAYS)


def reopen_days():
    """Days after closing during which the citizen may reopen."""
    return current_app.config.get("COMPLAINTS_REOPEN_DAYS", DEFAULT_REOPEN_DAYS)


def resolve_days(remote, complex_case):
    """A khiếu nại's resolution allowance: 30, 45 if complex; 45 and 60 in a remote area."""
    return RESOLVE_DAYS[(bool(remote), bool(complex_case))]


def deadline(complaint):
    """The allowance of a complaint in its current state: acceptance until it is accepted, then the kind's."""
    if not complaint.kind:
        # Before acceptance: the Law on Complaints' 10 days to accept (also the petition's default).
        return Deadline(ACCEPT_DAYS, COMPLAINT_ACCEPT_BASIS)
    if complaint.kind == K.complaint:
        office = db.session.get(Office, complaint.office_id)
        days = resolve_days(office.remote_area, complaint.complex)
        notes = [n for n, on in (("phức tạp", complaint.complex), ("vùng sâu, vùng xa", office.remote_area)) if on]
        return Deadline(days, COMPLAINT_BASIS + (f" ({', '.join(notes)})" if notes else ""))
    if complaint.kind == K.denunciation:
        return Deadline(DENUNCIATION_DAYS, DENUNCIATION_BASIS)
    return Deadline(petition_days(), PETITION_BASIS)


@dataclass(frozen=True)
class InvalidReason:
    """Why a complaint is not handled: its code, what the citizen reads, and what the officer must add."""

    code: str
    citizen_text: str
    needs: str | None = None  # "body": the competent body's name; "reference": the other complaint


INVALID_REASONS = {reason.code: reason for reason in (
    InvalidReason("ANONYMOUS", "Đơn không ghi họ tên, thông tin liên hệ của người gửi nên không đủ điều kiện xử lý."),
    InvalidReason("NO_CONTENT", "Nội dung không thể hiện việc cần phản ánh, kiến nghị hoặc khiếu nại."),
    InvalidReason("NOT_REMIT", "Nội dung không thuộc thẩm quyền giải quyết của ngành Bảo hiểm xã hội; "
                               "cơ quan có thẩm quyền: {body}.", needs="body"),
    InvalidReason("DUPLICATE", "Nội dung trùng với phản ánh số {reference} đang được giải quyết; kết quả sẽ được "
                               "trả lời theo số {reference}.", needs="reference"),
)}


def citizen_wording(code, body="", reference=""):
    """What the citizen reads for an invalidity reason (with the body or the other reference filled in)."""
    return INVALID_REASONS[code].citizen_text.format(body=body, reference=reference)
