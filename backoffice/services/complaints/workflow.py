"""Working a complaint (DESIGN.md §4.3): acceptance and kind, routing, drafts and approval, consults, urges,
duplicates and reopening. The receiving office owns the complaint to the end; another office is only consulted.

Steps flush and never commit; each goes through the casework core (transition, clock, timeline, audit).
"""
import difflib
from datetime import timedelta

from flask import has_app_context
from sqlalchemy import bindparam, func, or_, select, tuple_, update
from sqlalchemy.orm import joinedload

from backoffice.extensions import db
from backoffice.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintConsult,
    ComplaintDraft,
    ComplaintKind,
    Department,
    DepartmentCode,
    Office,
    OfficeLevel,
    Officer,
    Role,
    RoutingCorrection,
)
from backoffice.models import ComplaintState as S
from backoffice.models.base import utcnow
from backoffice.models.casework import CaseEventKind
from backoffice.services import AuditedRefusal, Conflict, DomainError, NotFound
from backoffice.services.casework import cases, registry
from backoffice.services.complaints import catalogue, letter, notices
from backoffice.services.complaints.dataset import CATEGORIES, Example, register_corrections_source
from backoffice.services.complaints.routing import DEPARTMENT_OF
from backoffice.services.platform import audit, calendar, scope, uploads
from backoffice.services.platform.memo import Memo

CASE_TYPE = notices.CASE_TYPE
WORKERS = cases.CASE_WORKERS
ANSWER_MAX = 20_000
QUESTION_MAX = 4000

SELF_APPROVAL_REFUSED = "complaint_self_approval_refused"  # a head approving an answer they drafted


_department = cases.department_of


def consulted(officer, complaint):
    """True for a worker of a department that a consult of this complaint is addressed to."""
    return officer.role in WORKERS and any(
        c.office_id == officer.office_id and c.department_code == _department(officer) for c in complaint.consults)


def is_national_reader(officer, complaint):
    """A department head of the national office follows their subject nationwide (read and urge only)."""
    return (officer.role == Role.department_head and officer.office.level == OfficeLevel.national
            and _department(officer) == complaint.department_code and officer.office_id != complaint.office_id)


def can_read(officer, complaint):
    """The owning department (or the reception desk for triage), consulted departments, supervisors over the
    office, national department heads for their subject; a denunciation only the office's leadership."""
    if complaint.confidential:
        return officer.role == Role.supervisor and officer.office_id == complaint.office_id
    if officer.role == Role.supervisor:
        return scope.office_readable(officer, complaint.office_id)
    if consulted(officer, complaint) or is_national_reader(officer, complaint):
        return True
    if complaint.department_code == catalogue.TRIAGE_DEPARTMENT:
        return officer.office_id == complaint.office_id and _department(officer) == catalogue.TRIAGE_DEPARTMENT
    return (officer.role in WORKERS and officer.office_id == complaint.office_id
            and _department(officer) == complaint.department_code)


def can_act(officer, complaint):
    """True for a worker of the owning department in the owning office (never a reader from elsewhere)."""
    if complaint.confidential:
        return officer.role == Role.supervisor and officer.office_id == complaint.office_id
    return (officer.office_id == complaint.office_id and _department(officer) == complaint.department_code
            and officer.role in (*WORKERS, Role.reception_officer))


def can_manage(officer, complaint):
    """The head of the owning department (for triage, the reception head); the leadership for a denunciation."""
    if complaint.confidential:
        return officer.role == Role.supervisor and officer.office_id == complaint.office_id
    return (officer.role == Role.department_head and officer.office_id == complaint.office_id
            and _department(officer) == complaint.department_code)


def get_for(officer, complaint_id):
    """A complaint the officer may see, else NotFound (answered 404)."""
    return scope.get_readable(officer, Complaint, complaint_id)


def _owned(officer, complaint_id, version_id, *states, manage=False):
    complaint = get_for(officer, complaint_id)
    cases.check_version(complaint, version_id)
    if manage and not can_manage(officer, complaint):
        raise DomainError("Chỉ trưởng phòng đang giữ phản ánh này được thực hiện thao tác này.")
    if not can_act(officer, complaint):
        raise DomainError("Bạn chỉ được xem phản ánh này; việc giải quyết thuộc phòng đang giữ phản ánh.")
    if states and complaint.state not in states:
        raise Conflict("Phản ánh không còn ở trạng thái cho phép thao tác này. Hãy tải lại trang.")
    return complaint


def _move(actor, complaint, to_state, *, notify=True, detail="", **fields):
    cases.transition(complaint, to_state, actor=actor, audit_action=f"complaint_{to_state}", **fields)
    if notify:
        notices.status_changed(complaint, actor, detail=detail)
    return complaint


def _text(value, name, minimum, maximum, message):
    value = (value or "").strip()
    if len(value) < minimum or len(value) > maximum:
        raise DomainError(message, field=name)
    return value


# --- acceptance and routing ----------------------------------------------------------------------------------------

def accept(head, complaint_id, version_id, kind, complex_case=False):
    """The head accepts the complaint and decides its kind, which sets its clock.

    A khiếu nại's resolution time counts from acceptance (a new clock); a petition keeps the clock of its receipt;
    a denunciation goes, confidential, to the office's leadership."""
    try:
        kind = ComplaintKind(kind)
    except ValueError:
        raise DomainError("Hãy chọn loại đơn: phản ánh, kiến nghị; khiếu nại; hoặc tố cáo.", field="kind") from None
    complaint = _owned(head, complaint_id, version_id, S.received, manage=True)
    if complaint.department_code == catalogue.TRIAGE_DEPARTMENT and kind != ComplaintKind.denunciation:
        raise DomainError("Hãy chuyển phản ánh tới phòng nghiệp vụ phù hợp trước khi thụ lý.", field="kind")
    complaint.kind, complaint.complex, complaint.accepted_at = kind, bool(complex_case), utcnow()
    if kind == ComplaintKind.complaint:
        complaint.clock_started_at = calendar.now()  # Điều 28: counted from acceptance
    _move(head, complaint, S.accepted, details={"kind": kind.value, "complex": complaint.complex})
    if kind == ComplaintKind.denunciation:
        complaint.confidential, complaint.department_code, complaint.assignee_id = True, catalogue.LEADERSHIP, None
        cases.flush()
        leaders = db.session.scalars(select(Officer).where(
            Officer.office_id == complaint.office_id, Officer.role == Role.supervisor, Officer.active.is_(True))).all()
        notices.tell_officers(leaders, complaint, "Đơn tố cáo (mật)", "đơn tố cáo được chuyển lãnh đạo đơn vị.")
    return complaint


def set_complex(head, complaint_id, version_id, complex_case, reason):
    """The head marks a khiếu nại complex (or not): its resolution allowance is recomputed, with the reason."""
    complaint = _owned(head, complaint_id, version_id, manage=True)
    if complaint.kind != ComplaintKind.complaint or complaint.closed_at is not None:
        raise DomainError("Chỉ khiếu nại đang giải quyết mới có thời hạn cho vụ việc phức tạp.")
    reason = _text(reason, "reason", 5, 500, "Ghi lý do (ít nhất 5 ký tự).")
    complaint.complex = bool(complex_case)
    cases.reset_deadline(complaint, actor=head, reason_code="complex" if complex_case else "not_complex", text=reason)
    return complaint


def _correction_examples():
    if not has_app_context():  # training from a bare corpus (no database): only the files' corrections
        return
    for row in db.session.scalars(select(RoutingCorrection).order_by(RoutingCorrection.id)):
        yield Example(text=row.text, hint=row.hint, category=row.category, author="correction")


register_corrections_source(_correction_examples)


def reroute(head, complaint_id, version_id, category, reason):
    """Send the complaint to another department of the same office (by its right category) or back to triage.

    Never to another office: the receiving office owns it and consults instead. A new category is stored as a
    correction the router trains on."""
    complaint = _owned(head, complaint_id, version_id, *catalogue.OPEN_FOR_ROUTING, manage=True)
    reason = _text(reason, "reason", 5, 500, "Ghi lý do chuyển (ít nhất 5 ký tự).")
    if category == "triage":
        target = catalogue.TRIAGE_DEPARTMENT
    elif category in CATEGORIES:
        target = DEPARTMENT_OF[category]
    else:
        raise DomainError("Hãy chọn lĩnh vực đúng của phản ánh hoặc trả về bộ phận phân loại.", field="category")
    if target == complaint.department_code and category in (complaint.category, "triage"):
        raise DomainError("Phản ánh đang ở đúng phòng và lĩnh vực này.", field="category")
    before = {"department": complaint.department_code, "category": complaint.category}
    if category in CATEGORIES and category != complaint.category:
        db.session.add(RoutingCorrection(complaint_id=complaint.id, text=complaint.text, hint=complaint.topic_hint,
                                         from_category=complaint.category, category=category, officer_id=head.id))
        complaint.category = category
    complaint.department_code, complaint.assignee_id = target, None
    if complaint.state == S.assigned:  # the new department's head assigns it again
        cases.transition(complaint, S.accepted, actor=head, reason_code="rerouted", text=reason)
    cases.record_event(CASE_TYPE, complaint, CaseEventKind.assignment, actor=head, reason_code="rerouted",
                       text=reason, details={"from": before, "to": {"department": target,
                                                                    "category": complaint.category}})
    cases.flush()
    audit.record("complaint_rerouted", actor=head, object_type=CASE_TYPE, object_id=complaint.id,
                 office_id=complaint.office_id, details={"from": before, "to": target, "reason": reason})
    return complaint


def assign(head, complaint_id, officer_id, reason=""):
    """The head gives an accepted complaint to an officer of the department (or moves it, with a reason)."""
    complaint = get_for(head, complaint_id)
    if not can_manage(head, complaint):
        raise DomainError("Chỉ trưởng phòng đang giữ phản ánh này được phân công.")
    if complaint.state == S.received:
        raise Conflict("Hãy thụ lý phản ánh trước khi phân công.")
    cases.assign(head, complaint, officer_id, reason)
    if complaint.state in (S.accepted, S.reopened):
        _move(head, complaint, S.assigned)
    return complaint


def take_next(officer):
    """Give the officer the accepted, unassigned complaint of their department due first (None: nothing left)."""
    complaint = cases.take_next(officer, registry.CASE_TYPES[CASE_TYPE])
    if complaint is not None:
        _move(officer, complaint, S.assigned)
    return complaint


def add_note(officer, complaint_id, body):
    """An internal note, kept apart from the answer (the citizen never sees it)."""
    complaint = get_for(officer, complaint_id)
    if not (can_act(officer, complaint) or consulted(officer, complaint)):
        raise DomainError("Bạn chỉ được xem phản ánh này.")
    return cases.add_note(officer, complaint, body)


def reject_invalid(head, complaint_id, version_id, code, body="", reference=""):
    """Refuse as invalid with a catalogue reason (the competent body, or the other reference, filled in)."""
    reason = catalogue.INVALID_REASONS.get(code)
    if reason is None:
        raise DomainError("Hãy chọn lý do trong danh mục.", field="code")
    complaint = _owned(head, complaint_id, version_id, S.received, S.accepted, S.assigned, manage=True)
    if reason.needs == "body":
        body = _text(body, "body", 3, 200, "Ghi tên cơ quan có thẩm quyền giải quyết.")
    if reason.needs == "reference":
        other = db.session.scalar(select(Complaint).where(Complaint.reference == (reference or "").strip().upper()))
        if other is None or other.id == complaint.id or other.office_id != complaint.office_id:
            raise DomainError("Nhập số phản ánh trùng (của cùng đơn vị).", field="reference")
        complaint.merged_into_id, reference = other.id, other.reference
    complaint.invalid_code = code
    complaint.invalid_text = catalogue.citizen_wording(code, body=body, reference=reference)
    return _move(head, complaint, S.rejected_as_invalid, reason_code=code, text=complaint.invalid_text,
                 detail=complaint.invalid_text)


# --- answer drafts ---------------------------------------------------------------------------------------------------

def may_draft(officer, complaint):
    """Whether the officer drafts the answer now: the assigned officer of the owning department, while assigned or
    reopened (what `submit_draft` accepts; the case page offers its editor and keys by it)."""
    return (complaint.state in (S.assigned, S.reopened) and complaint.assignee_id == officer.id
            and can_act(officer, complaint))


def submit_draft(officer, complaint_id, version_id, body):
    """The assigned officer submits a new version of the answer (older versions are kept)."""
    complaint = _owned(officer, complaint_id, version_id, S.assigned, S.reopened)
    if complaint.assignee_id != officer.id:
        raise DomainError("Chỉ cán bộ được giao phản ánh soạn văn bản trả lời.")
    body = _text(body, "body", 20, ANSWER_MAX, f"Văn bản trả lời dài từ 20 đến {ANSWER_MAX} ký tự.")
    number = len(complaint.drafts) + 1
    complaint.drafts.append(ComplaintDraft(version=number, body=body, author_id=officer.id, created_at=utcnow()))
    return _move(officer, complaint, S.answered, details={"draft_version": number})


def latest_draft(complaint):
    """The newest version of the answer, or None."""
    return complaint.drafts[-1] if complaint.drafts else None


def draft_diff(complaint, old_version, new_version):
    """The changes between two versions of the answer, word by word: [(op, text)], op in ' ', '-', '+'."""
    versions = {d.version: d.body for d in complaint.drafts}
    if old_version not in versions or new_version not in versions:
        raise NotFound("Không có phiên bản này của văn bản trả lời.")
    result = []
    for token in difflib.ndiff(versions[old_version].split(), versions[new_version].split()):
        op, word = token[0], token[2:]
        if op == "?":
            continue
        if result and result[-1][0] == op:
            result[-1] = (op, result[-1][1] + " " + word)
        else:
            result.append((op, word))
    return result


def approve(head, complaint_id, version_id):
    """The head approves the latest draft (never their own): the answer goes to the citizen through the outbox."""
    complaint = _owned(head, complaint_id, version_id, S.answered, manage=True)
    draft = latest_draft(complaint)
    if any(d.author_id == head.id for d in complaint.drafts):
        case = {"object_type": notices.CASE_TYPE, "object_id": complaint.id, "office_id": complaint.office_id,
                "details": {"draft_version": draft.version if draft else None}}
        raise AuditedRefusal("Người soạn văn bản trả lời không được tự phê duyệt.",
                             lambda: audit.record(SELF_APPROVAL_REFUSED, actor=head, **case))
    draft.status, draft.reviewer_id = "approved", head.id
    complaint.answer_text, complaint.approved_by_id = draft.body, head.id
    letter.assign_number(complaint)
    _move(head, complaint, S.approved, notify=False, details={"draft_version": draft.version})
    notices.answered(complaint, head)
    return complaint


def return_draft(head, complaint_id, version_id, comment):
    """The head sends the draft back to the officer with comments."""
    complaint = _owned(head, complaint_id, version_id, S.answered, manage=True)
    comment = _text(comment, "comment", 5, 4000, "Ghi ý kiến trả lại (ít nhất 5 ký tự).")
    draft = latest_draft(complaint)
    draft.status, draft.reviewer_id, draft.review_comment = "returned", head.id, comment
    return _move(head, complaint, S.assigned, reason_code="returned", text=comment)


def open_consults(complaint):
    """The consults of the complaint not answered yet."""
    return [c for c in complaint.consults if c.answered_at is None]


def close(officer, complaint_id, version_id):
    """Close an answered complaint; refused while a consult to another office is still open."""
    complaint = get_for(officer, complaint_id)
    if open_consults(complaint):
        raise DomainError("Còn ý kiến phối hợp chưa được trả lời: chưa thể kết thúc phản ánh.")
    complaint = _owned(officer, complaint_id, version_id, S.approved)
    return _move(officer, complaint, S.closed)


# --- consults --------------------------------------------------------------------------------------------------------

MAX_CONSULT_FILES = 5


def _documents(parts, office_id):
    """Uploaded photos or PDFs, checked and re-encoded, as StoredFile rows; DomainError naming the first bad one."""
    parts = [data for data in parts if data]
    if not parts:
        return []
    documents, errors = uploads.check_documents({"files": parts}, {"files"}, MAX_CONSULT_FILES)
    if errors:
        raise DomainError(next(iter(errors.values())).vi, field="files")
    return [uploads.store(document, office_id, "complaint") for document in documents]


def _attach(complaint, consult, parts, office_id):
    for stored in _documents(parts, office_id):
        complaint.attachments.append(ComplaintAttachment(stored_file=stored, consult_id=consult.id))


def consult_files(complaint, consult):
    """The documents sent with a consult's question or answer."""
    return [a for a in complaint.attachments if a.consult_id == consult.id]


def open_consult(officer, complaint_id, version_id, office_code, department_code, question, working_days,
                 files=()):
    """Ask a department of another office, with a deadline inside the owner's clock; the owner's clock stands.
    `files` are the bytes of documents sent with the question (photos or PDFs, checked and re-encoded)."""
    complaint = _owned(officer, complaint_id, version_id, S.assigned, S.answered, S.approved, S.reopened,
                       S.consulting)
    other = db.session.scalar(select(Office).where(Office.code == (office_code or "").strip()))
    if other is None or other.id == complaint.office_id:
        raise DomainError("Chọn đơn vị được hỏi ý kiến (không phải đơn vị đang giữ phản ánh).", field="office_code")
    if department_code not in {d.code for d in other.departments}:
        raise DomainError("Chọn phòng của đơn vị được hỏi ý kiến.", field="department_code")
    question = _text(question, "question", 10, QUESTION_MAX, "Nêu nội dung cần phối hợp (ít nhất 10 ký tự).")
    try:
        days = int(working_days)
    except (TypeError, ValueError):
        days = 0
    now = calendar.now()
    due = calendar.add_working_days(now, days) if days >= 1 else None
    limit = complaint.due_at or max((c.due_at for c in open_consults(complaint)), default=None)
    if due is None or (limit is not None and due > limit):
        raise DomainError("Thời hạn phối hợp phải từ 1 ngày làm việc và không vượt thời hạn giải quyết phản ánh.",
                          field="working_days")
    consult = ComplaintConsult(office_id=other.id, department_code=department_code, question=question,
                               opened_by_id=officer.id, opened_at=utcnow(), due_at=due)
    complaint.consults.append(consult)
    cases.flush()
    _attach(complaint, consult, files, complaint.office_id)
    if complaint.state != S.consulting:
        complaint.resume_state = complaint.state
        _move(officer, complaint, S.consulting, notify=False, reason_code="consult_opened",
              details={"consult_id": consult.id, "office": other.code, "department": department_code})
    else:
        cases.record_event(CASE_TYPE, complaint, CaseEventKind.assignment, actor=officer, reason_code="consult_opened",
                           details={"consult_id": consult.id, "office": other.code, "department": department_code})
    return consult


def consult_for(officer, consult_id):
    """A consult addressed to the officer's department, else NotFound."""
    consult = db.session.get(ComplaintConsult, consult_id)
    if consult is None or officer.role not in WORKERS or consult.office_id != officer.office_id \
            or consult.department_code != _department(officer):
        raise NotFound("Không tìm thấy yêu cầu phối hợp trong phạm vi của bạn.")
    return consult


def answer_consult(officer, consult_id, answer, files=()):
    """The consulted department answers, with documents if any; the answer lands on the owner's case, whose clock
    runs again when no consult is left open."""
    consult = consult_for(officer, consult_id)
    if consult.answered_at is not None:
        raise Conflict("Yêu cầu phối hợp này đã được trả lời.")
    consult.answer = _text(answer, "answer", 10, QUESTION_MAX, "Nhập nội dung trả lời (ít nhất 10 ký tự).")
    consult.answered_by_id, consult.answered_at = officer.id, utcnow()
    complaint = consult.complaint
    _attach(complaint, consult, files, officer.office_id)
    cases.record_event(CASE_TYPE, complaint, CaseEventKind.assignment, actor=officer, reason_code="consult_answered",
                       text=consult.answer, details={"consult_id": consult.id})
    cases.flush()
    if complaint.state == S.consulting and not open_consults(complaint):
        back, complaint.resume_state = complaint.resume_state or S.assigned, None
        _move(officer, complaint, back, notify=False, reason_code="consult_answered")
    audit.record("complaint_consult_answered", actor=officer, object_type=CASE_TYPE, object_id=complaint.id,
                 office_id=officer.office_id, details={"consult_id": consult.id})
    return consult


CONSULT_PAGE = 20


def consult_inbox(officer, after=None, limit=None):
    """Open consults addressed to the officer's department, due first, with their complaints; `after` is
    (due_at, id) of the last consult of the page before (keyset pages), `limit` how many to read."""
    if officer.role not in WORKERS or officer.department is None:
        return []
    query = select(ComplaintConsult).options(joinedload(ComplaintConsult.complaint)).where(
        ComplaintConsult.office_id == officer.office_id, ComplaintConsult.department_code == _department(officer),
        ComplaintConsult.answered_at.is_(None))
    if after:
        query = query.where(tuple_(ComplaintConsult.due_at, ComplaintConsult.id) > tuple_(*after))
    query = query.order_by(ComplaintConsult.due_at, ComplaintConsult.id)
    return db.session.scalars(query.limit(limit) if limit else query).all()


def consult_count(officer):
    """How many consults wait for the officer's department (the menu's figure: one count, no rows loaded)."""
    if officer.role not in WORKERS or officer.department is None:
        return 0
    key = (officer.office_id, _department(officer))
    return _WAITING_CONSULTS.get(key, lambda: db.session.scalar(_CONSULT_COUNT, {"office_id": key[0],
                                                                                   "department": key[1]}))


# The menu's figure, memoised ten seconds (services.platform.memo): a consult sent or answered elsewhere shows within
# that; in the worker that wrote it, at once.
_WAITING_CONSULTS = Memo("waiting_consults", 10, (ComplaintConsult,))


# Built once (every page of a department's officer shows the figure).
_CONSULT_COUNT = select(func.count()).select_from(ComplaintConsult).where(
    ComplaintConsult.office_id == bindparam("office_id"), ComplaintConsult.department_code == bindparam("department"),
    ComplaintConsult.answered_at.is_(None))


def escalate_overdue_consults(now=None):
    """Escalate each overdue consult once, to the heads of both offices' departments; returns how many."""
    now = now or utcnow()
    table = ComplaintConsult.__table__
    ids = db.session.execute(update(table).where(
        table.c.answered_at.is_(None), table.c.escalated_at.is_(None), table.c.due_at <= now)
        .values(escalated_at=now).returning(table.c.id), execution_options={"synchronize_session": False}
    ).scalars().all()
    for consult_id in ids:
        consult = db.session.get(ComplaintConsult, consult_id)
        db.session.refresh(consult)
        complaint = consult.complaint
        cases.record_event(CASE_TYPE, complaint, CaseEventKind.escalation, actor_label="system",
                           reason_code="consult_overdue", details={"consult_id": consult.id})
        heads = [*_heads(complaint.office_id, complaint.department_code),
                 *_heads(consult.office_id, consult.department_code)]
        notices.tell_officers(heads, complaint, "Yêu cầu phối hợp quá hạn",
                              "yêu cầu phối hợp giữa hai đơn vị đã quá hạn trả lời. Đề nghị chỉ đạo xử lý ngay.")
    if ids:
        audit.record("complaint_consult_escalated", actor_label="system", object_type="complaint_consult",
                     object_id=f"batch:{ids[0]}", details={"ids": list(ids)})
    db.session.flush()
    return len(ids)


def _heads(office_id, department_code):
    return db.session.scalars(select(Officer).join(Department, Officer.department_id == Department.id).where(
        Officer.office_id == office_id, Officer.role == Role.department_head, Department.code == department_code,
        Officer.active.is_(True))).all()


# --- national follow-up, duplicates, reopening -------------------------------------------------------------------

def urge(officer, complaint_id, body):
    """A national department head urges (đôn đốc): recorded on the case and emailed to its head; nothing else."""
    complaint = get_for(officer, complaint_id)
    if not is_national_reader(officer, complaint):
        raise DomainError("Chỉ trưởng phòng nghiệp vụ của BHXH Việt Nam được đôn đốc phản ánh.")
    body = _text(body, "body", 5, 2000, "Ghi nội dung đôn đốc (ít nhất 5 ký tự).")
    event = cases.record_event(CASE_TYPE, complaint, CaseEventKind.note, actor=officer, reason_code="urge", text=body)
    cases.flush()
    notices.tell_officers(_heads(complaint.office_id, complaint.department_code), complaint,
                          "Đôn đốc giải quyết phản ánh", f"{officer.full_name} đôn đốc: {body}")
    audit.record("complaint_urged", actor=officer, object_type=CASE_TYPE, object_id=complaint.id,
                 office_id=complaint.office_id)
    return event


def national_page(officer, limit=100):
    """Open complaints of the national head's subject in every office, due first."""
    if officer.role != Role.department_head or officer.office.level != OfficeLevel.national:
        return []
    return db.session.scalars(select(Complaint).where(
        Complaint.department_code == _department(officer), Complaint.closed_at.is_(None),
        Complaint.confidential.is_(False)).order_by(Complaint.queue_due_at, Complaint.id).limit(limit)).all()


def likely_duplicates(complaint):
    """Other complaints of the same phone or mã số BHXH on the same category within 30 days."""
    if not complaint.category:
        return []
    window = timedelta(days=catalogue.DUPLICATE_WINDOW_DAYS)
    same_person = [Complaint.phone == complaint.phone]
    if complaint.social_insurance_number:
        same_person.append(Complaint.social_insurance_number == complaint.social_insurance_number)
    return db.session.scalars(select(Complaint).where(
        or_(*same_person), Complaint.category == complaint.category, Complaint.id != complaint.id,
        Complaint.received_at.between(complaint.received_at - window, complaint.received_at + window),
        Complaint.merged_into_id.is_(None)).order_by(Complaint.received_at)).all()


def merge(head, complaint_id, version_id, into_reference):
    """Merge a duplicate into another complaint: both references kept, the citizen told which one answers."""
    return reject_invalid(head, complaint_id, version_id, "DUPLICATE", reference=into_reference)


def reopen(reference, phone, reason, actor=None):
    """The citizen reopens a closed complaint within the appeal period: the same reference, a new clock."""
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == (reference or "").strip().upper())
                                  .with_for_update())
    if complaint is None or complaint.phone != phone:
        raise NotFound("Không tìm thấy phản ánh với số và số điện thoại này.")
    if complaint.state != S.closed:
        raise Conflict("Chỉ phản ánh đã giải quyết xong mới được mở lại.")
    if calendar.now() - complaint.closed_at > timedelta(days=catalogue.reopen_days()):
        raise DomainError(f"Đã quá {catalogue.reopen_days()} ngày kể từ khi kết thúc; không mở lại được.")
    reason = _text(reason, "reason", 5, 4000, "Nêu lý do đề nghị xem xét lại (ít nhất 5 ký tự).")
    complaint.closed_at = complaint.warned_at = complaint.escalated_at = None
    complaint.flagged, complaint.reopen_count = False, complaint.reopen_count + 1
    label = actor.username if actor is not None else "citizen"
    cases.transition(complaint, S.reopened, actor=actor, actor_label=label, text=reason,
                     audit_action="complaint_reopened")
    notices.status_changed(complaint, actor)
    return complaint


def timeline(complaint):
    """Transitions, assignments and escalations, oldest first (internal notes apart)."""
    return cases.timeline(complaint)


def department_code_of(category):
    """The department of a category (DESIGN.md §4.3)."""
    return DepartmentCode(DEPARTMENT_OF[category])

