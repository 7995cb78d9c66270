"""Moving a case: transitions, assignment by the head, take-next, internal notes, and the timeline.

Each operation flushes, writes the case event the clock and the timeline read, and appends to the audit log; the
caller commits. Notifying the citizen is the domain's business (it knows the wording).
"""
from sqlalchemy import bindparam, select
from sqlalchemy.orm.exc import StaleDataError

from backoffice.extensions import db
from backoffice.models import Department, Officer, Role
from backoffice.models.base import utcnow
from backoffice.models.casework import CaseEvent, CaseEventKind
from backoffice.services import Conflict, DomainError, Forbidden
from backoffice.services.casework import sla
from backoffice.services.casework.registry import case_type_of
from backoffice.services.platform import audit
from backoffice.services.platform.memo import Memo

NOTE_MAX = 4000
CASE_WORKERS = (Role.department_officer, Role.department_head)


def department_of(officer):
    """The code of the officer's department, or None for an officer without one (supervisors, admins)."""
    return officer.department.code if officer.department is not None else None


def flush():
    """Flush, answering a concurrent change as a Conflict the officer can act on."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict("Hồ sơ vừa được cập nhật ở nơi khác (tab khác hoặc cán bộ khác). Hãy tải lại trang.") from exc


def check_version(case, version_id):
    """Refuse to act on a page older than the case."""
    if version_id is not None and case.version_id != version_id:
        raise Conflict("Hồ sơ vừa được cập nhật ở nơi khác (tab khác hoặc cán bộ khác). Hãy tải lại trang.")


def record_event(case_type, case, kind, *, actor=None, actor_label="", **fields):
    """Append one event to the case's timeline."""
    event = CaseEvent(case_type=case_type, case_id=case.id, kind=kind, at=utcnow(),
                      actor_id=actor.id if actor is not None else None,
                      actor_label=actor.username if actor is not None else actor_label, **fields)
    db.session.add(event)
    return event


def open_case(case, *, actor=None, actor_label=""):
    """Start a new case's clock: its allowance, its first event, its deadline (the case is added and flushed)."""
    case_type = case_type_of(case)
    case.received_at = case.clock_started_at = case.received_at or utcnow()
    sla.set_allowance(case, case_type)
    db.session.add(case)
    flush()
    record_event(case_type.name, case, CaseEventKind.transition, actor=actor, actor_label=actor_label,
                 to_state=case.state, clock_paused=case.state in case_type.paused_states)
    sla.apply(case, case_type)
    flush()
    return case


def transition(case, to_state, *, actor=None, actor_label="", reason_code=None, text="", details=None,
               audit_action=None):
    """Move a case to `to_state` if its type allows it; the clock pauses, resumes, restarts or stops with it."""
    case_type = case_type_of(case)
    from_state = case.state
    if to_state not in case_type.transitions.get(from_state, ()):
        raise Conflict("Hồ sơ không còn ở trạng thái cho phép thao tác này. Hãy tải lại trang.")
    case.state = to_state
    if to_state in case_type.closed_states:
        case.closed_at = utcnow()
    restart = to_state in case_type.restart_states
    sla.set_allowance(case, case_type, restart=restart)
    stands = to_state in case_type.paused_states and to_state not in case_type.closed_states
    record_event(case_type.name, case, CaseEventKind.transition, actor=actor, actor_label=actor_label,
                 from_state=from_state, to_state=to_state, reason_code=reason_code, text=text, details=details or {},
                 clock_paused=stands)
    sla.apply(case, case_type)
    flush()
    audit.record(audit_action or f"{case_type.name}_{to_state}", actor=actor, actor_label=actor_label,
                 object_type=case_type.name, object_id=case.id, office_id=case.office_id,
                 details={"from": from_state, "to": to_state, "reason": reason_code, **(details or {})})
    return case


def reset_deadline(case, *, actor, reason_code, text=""):
    """Store a new allowance for the case's current state (e.g. a book whose history needs verification)."""
    case_type = case_type_of(case)
    before = case.due_at
    deadline = sla.set_allowance(case, case_type)
    sla.apply(case, case_type)
    record_event(case_type.name, case, CaseEventKind.deadline, actor=actor, reason_code=reason_code, text=text,
                 details={"working_days": deadline.working_days, "basis": deadline.basis,
                          "before": before.isoformat() if before else None,
                          "after": case.due_at.isoformat() if case.due_at else None})
    flush()
    audit.record(f"{case_type.name}_deadline_changed", actor=actor, object_type=case_type.name, object_id=case.id,
                 office_id=case.office_id, details={"reason": reason_code, "working_days": deadline.working_days})


def colleague(case, officer_id):
    """The active officer or head of the case's department in its office with this id, else a DomainError."""
    officer = db.session.get(Officer, officer_id) if officer_id else None
    if (officer is None or not officer.active or officer.office_id != case.office_id or officer.role not in CASE_WORKERS
            or officer.department is None or officer.department.code != case.department_code):
        raise DomainError("Chọn một cán bộ đang làm việc của phòng xử lý hồ sơ này.", field="officer_id")
    return officer


def can_manage(officer, case):
    """True for the head of the department that owns the case (the one who assigns)."""
    return (officer.role == Role.department_head and officer.office_id == case.office_id
            and officer.department is not None and officer.department.code == case.department_code)


def assign(head, case, officer_id, reason=""):
    """The head gives the case to an officer of the department; a reassignment needs a reason."""
    if not can_manage(head, case):
        raise Forbidden("Chỉ trưởng phòng xử lý hồ sơ này được phân công.")
    if case.closed_at is not None:
        raise Conflict("Hồ sơ đã kết thúc; không phân công được nữa.")
    officer = colleague(case, officer_id)
    previous = case.assignee_id
    if previous == officer.id:
        raise DomainError("Hồ sơ đang được giao cho cán bộ này.", field="officer_id")
    if previous is not None and len(reason.strip()) < 5:
        raise DomainError("Giao lại hồ sơ cần ghi lý do (ít nhất 5 ký tự).", field="reason")
    case.assignee_id = officer.id
    _assigned(head, case, officer, previous, reason.strip())
    return case


def _assigned(actor, case, officer, previous, reason):
    case_type = case_type_of(case)
    record_event(case_type.name, case, CaseEventKind.assignment, actor=actor, text=reason,
                 details={"from": previous, "to": officer.id, "to_name": officer.full_name})
    flush()
    audit.record(f"{case_type.name}_assigned", actor=actor, object_type=case_type.name, object_id=case.id,
                 office_id=case.office_id, details={"from": previous, "to": officer.id, "reason": reason})


def take_next(officer, case_type):
    """Give the officer the unassigned open case of their department due first (SKIP LOCKED: never twice).

    Returns the case, now assigned to them, or None when there is nothing to take."""
    if officer.role not in CASE_WORKERS or officer.department is None:
        raise DomainError("Chỉ cán bộ của phòng nghiệp vụ nhận hồ sơ tiếp theo.")
    model = case_type.model
    case = db.session.scalars(
        select(model).where(model.office_id == officer.office_id, model.department_code == officer.department.code,
                            model.closed_at.is_(None), model.assignee_id.is_(None),
                            model.state.in_(case_type.takeable_states))
        .order_by(model.queue_due_at, model.received_at, model.id).limit(1)
        .with_for_update(skip_locked=True)).first()
    if case is None:
        return None
    case.assignee_id = officer.id
    _assigned(officer, case, officer, None, "")
    return case


def add_note(officer, case, body):
    """An internal note on the case: officers see it on the timeline, the citizen never does."""
    body = (body or "").strip()
    if not body:
        raise DomainError("Hãy nhập nội dung ghi chú.", field="body")
    if len(body) > NOTE_MAX:
        raise DomainError(f"Ghi chú dài tối đa {NOTE_MAX} ký tự.", field="body")
    case_type = case_type_of(case)
    note = record_event(case_type.name, case, CaseEventKind.note, actor=officer, text=body)
    flush()
    audit.record(f"{case_type.name}_note_added", actor=officer, object_type=case_type.name, object_id=case.id,
                 office_id=case.office_id)
    return note


def viewed(officer, case):
    """A case page shown to an officer with the citizen's data (name, numbers, contact, register): audited as
    `<case type>_viewed`, one of the views of a citizen that supervision's who-saw report and flags read."""
    case_type = case_type_of(case)
    audit.record(f"{case_type.name}_viewed", actor=officer, object_type=case_type.name, object_id=case.id,
                 office_id=case.office_id)


def timeline(case):
    """The case's events except internal notes, oldest first (transitions, assignments, deadline changes)."""
    case_type = case_type_of(case)
    return db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_type == case_type.name, CaseEvent.case_id == case.id, CaseEvent.kind != CaseEventKind.note)
        .order_by(CaseEvent.id)).all()


def notes(case):
    """The case's internal notes, newest first."""
    case_type = case_type_of(case)
    return db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_type == case_type.name, CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.note)
        .order_by(CaseEvent.id.desc())).all()


def department_officers(office_id, department_code):
    """The active officers and head of a department, for the head's assignment list and the queue's filter: rows
    of (id, full_name), not ORM objects (the queue page reads it on every request, so its statement is built once:
    building and keying a statement costs about as much as running it)."""
    return db.session.execute(_DEPARTMENT_OFFICERS, {"office_id": office_id, "department": department_code}).all()


def listed_officers(office_id, department_code):
    """`department_officers` for a list's assignee filter, memoised a minute (services.platform.memo): every queue
    page shows it. Choices that a decision is checked against read `department_officers` itself."""
    return _LISTED_OFFICERS.get((office_id, department_code),
                                lambda: tuple(department_officers(office_id, department_code)))


_LISTED_OFFICERS = Memo("listed_officers", 60, (Officer, Department))

_DEPARTMENT_OFFICERS = select(Officer.id, Officer.full_name).join(
    Department, Officer.department_id == Department.id).where(
    Officer.office_id == bindparam("office_id"), Department.code == bindparam("department"),
    Officer.active.is_(True), Officer.role.in_(CASE_WORKERS)).order_by(Officer.full_name)
