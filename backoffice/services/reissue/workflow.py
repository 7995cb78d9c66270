"""The reissue desk of a department: who sees and acts on a request, and every step of the four services.

Steps flush and never commit; each goes through the casework core (transition, clock, timeline, audit) and tells
the citizen through the outbox. Payout changes, the fraud path, need an identity re-check, a second officer's
approval (never the maker), an SMS to the phone registered before the request, and a cooling-off period in which
the citizen can stop them; they take effect only when it is over (`apply_due_payout_changes`).
"""
from sqlalchemy import bindparam, select

from backoffice.extensions import db
from backoffice.models import (
    Benefit,
    DepartmentCode,
    HealthCard,
    InsuranceBook,
    OfficeLevel,
    Participant,
    ReissueRequest,
    Role,
)
from backoffice.models import ReissueState as S
from backoffice.models import ReissueType as T
from backoffice.models.base import utcnow
from backoffice.services import AuditedRefusal, Conflict, DomainError, Forbidden, notifications
from backoffice.services.casework import cases, escalation, registry
from backoffice.services.platform import audit, calendar, scope
from backoffice.services.platform.memo import Memo
from backoffice.services.reissue import catalogue, notices

CASE_TYPE = notices.CASE_TYPE
SELF_APPROVAL_REFUSED = "reissue_self_approval_refused"  # the maker's (or identity checker's) own second approval
WORKERS = cases.CASE_WORKERS
TRACKING_MAX = 40


_department = cases.department_of


def is_destination(officer, request):
    """True for a CS_BHXH officer of the office a pension transfer is addressed to."""
    return (request.kind == T.pension_transfer and request.destination_office_id == officer.office_id
            and _department(officer) == DepartmentCode.CS_BHXH and officer.role in WORKERS)


def can_read(officer, request):
    """The access rules: the department in its office; the destination of a transfer; supervisors their subtree;
    a national department head their subject nationwide (read only)."""
    if officer.role == Role.supervisor:
        return scope.office_readable(officer, request.office_id)
    if officer.role not in WORKERS or _department(officer) is None:
        return False
    if is_destination(officer, request):
        return True
    if _department(officer) != request.department_code:
        return False
    if officer.role == Role.department_head and officer.office.level == OfficeLevel.national:
        return True
    return officer.office_id == request.office_id


def can_act(officer, request):
    """True for an officer or head of the owning department in the owning office (never a reader from above)."""
    return (officer.role in WORKERS and officer.office_id == request.office_id
            and _department(officer) == request.department_code)


def get_for(officer, request_id):
    """A request the officer may see, else NotFound (answered 404)."""
    return scope.get_readable(officer, ReissueRequest, request_id)


def _owned(officer, request_id, version_id, *states):
    """The request for a step of its owning department: NotFound outside the reader's scope, Forbidden (403) for a
    reader who may not act (a supervisor, a national head, the destination office of a transfer)."""
    request = get_for(officer, request_id)
    cases.check_version(request, version_id)
    if not can_act(officer, request):
        raise Forbidden("Bạn chỉ được xem yêu cầu này; việc xử lý thuộc phòng nghiệp vụ của đơn vị tiếp nhận.")
    if states and request.state not in states:
        raise Conflict("Yêu cầu không còn ở trạng thái cho phép thao tác này. Hãy tải lại trang.")
    return request


def _move(officer, request, to_state, *, reason_code=None, text="", details=None, **extra):
    if not catalogue.allowed(T(request.kind), S(request.state), to_state):
        raise Conflict("Loại yêu cầu này không có bước đó ở trạng thái hiện tại.")
    cases.transition(request, to_state, actor=officer, reason_code=reason_code, text=text, details=details,
                     audit_action=f"reissue_{to_state}")
    notices.status_changed(request, officer, **extra)
    return request


def take_next(officer):
    """Give the officer the unassigned request of their department due first, and start it (None: nothing left)."""
    request = cases.take_next(officer, registry.CASE_TYPES[CASE_TYPE])
    if request is not None:
        _move(officer, request, S.processing)
    return request


def start(officer, request_id, version_id):
    """Begin work on a received request (it becomes the officer's if nobody has it)."""
    request = _owned(officer, request_id, version_id, S.received)
    if request.assignee_id is None:
        request.assignee_id = officer.id
    return _move(officer, request, S.processing)


def assign(head, request_id, officer_id, reason=""):
    """The head gives a request to an officer of the department, or moves it to another one with a reason."""
    request = get_for(head, request_id)
    return cases.assign(head, request, officer_id, reason)


def add_note(officer, request_id, body):
    """An internal note (never shown to the citizen); any officer who may see the request may write one, so a
    supervisor or a national department head urges (theo dõi, đôn đốc) through it without deciding anything."""
    return cases.add_note(officer, get_for(officer, request_id), body)


def acknowledge_escalation(head, request_id):
    """The department's head has seen an overdue request: its flag goes (the escalation stays on the timeline)."""
    request = get_for(head, request_id)
    if not cases.can_manage(head, request):
        raise Forbidden("Chỉ trưởng phòng xử lý hồ sơ này xác nhận đã nắm việc quá hạn.")
    escalation.acknowledge(head, request)
    cases.flush()
    return request


def await_citizen(officer, request_id, version_id, reason_code):
    """Pause the clock until the citizen brings or sends what is needed."""
    if reason_code not in catalogue.AWAITING_REASONS:
        raise DomainError("Hãy chọn việc công dân cần làm.", field="reason_code")
    request = _owned(officer, request_id, version_id, S.processing)
    request.awaiting_reason = reason_code
    return _move(officer, request, S.awaiting_citizen, reason_code="awaiting_citizen",
                 details={"what": reason_code}, what_needed=catalogue.AWAITING_REASONS[reason_code])


def resume(officer, request_id, version_id):
    """The citizen has done their part: the clock runs again."""
    request = _owned(officer, request_id, version_id, S.awaiting_citizen)
    request.awaiting_reason = None
    return _move(officer, request, S.processing, reason_code="citizen_supplied")


def reject(officer, request_id, version_id, code, free_text=""):
    """Refuse with a reason from the type's catalogue; the citizen reads why and what to do next."""
    request = _owned(officer, request_id, version_id, S.received, S.processing, S.awaiting_citizen,
                     S.awaiting_second_approval)
    reasons = catalogue.REASONS[T(request.kind)]
    if code not in reasons:
        raise DomainError("Hãy chọn lý do từ chối trong danh mục.", field="code")
    if code == "OTHER" and len(free_text.strip()) < 10:
        raise DomainError("Lý do khác: hãy ghi rõ lý do cho công dân (ít nhất 10 ký tự).", field="free_text")
    text, next_step = catalogue.citizen_wording(T(request.kind), code, free_text)
    request.rejection_code, request.rejection_text, request.decided_by_id = code, text, officer.id
    return _move(officer, request, S.rejected, reason_code=code, text=text, next_step=next_step)


def needs_verification(officer, request_id, version_id, note):
    """A book whose contribution history must be verified: the 45-day deadline, with the reason recorded."""
    request = _owned(officer, request_id, version_id, S.processing, S.awaiting_citizen)
    if request.kind != T.si_book:
        raise DomainError("Chỉ yêu cầu cấp lại sổ BHXH có thời hạn xác minh 45 ngày.")
    if len((note or "").strip()) < 10:
        raise DomainError("Ghi rõ quá trình đóng nào cần xác minh (ít nhất 10 ký tự).", field="note")
    request.verification_needed = True
    cases.reset_deadline(request, actor=officer, reason_code="verification_needed", text=note.strip())
    return request


# --- cards and books ---------------------------------------------------------------------------------------------

def _issue(request):
    """Apply the result to the register: the card reissued (counter up), or the book marked reissued."""
    today = calendar.today()
    if request.kind == T.bhyt_card:
        card = db.session.scalar(select(HealthCard).where(
            HealthCard.social_insurance_number == request.social_insurance_number))
        if card is None:
            raise DomainError("Không có thẻ BHYT trong cơ sở dữ liệu để cấp lại.")
        card.reissue_count += 1
        request.result = {"card_number": card.card_number, "valid_from": card.valid_from.isoformat(),
                          "valid_to": card.valid_to.isoformat(), "hospital": card.hospital,
                          "reissue_count": card.reissue_count, "issued_on": today.isoformat()}
    else:
        book = db.session.scalar(select(InsuranceBook).where(
            InsuranceBook.social_insurance_number == request.social_insurance_number))
        if book is None:
            raise DomainError("Không có sổ BHXH trong cơ sở dữ liệu để cấp lại.")
        book.reissue_count += 1
        book.reissued_on = today
        request.result = {"book_number": book.book_number, "reissue_count": book.reissue_count,
                          "issued_on": today.isoformat()}


def complete(officer, request_id, version_id):
    """Finish a request: a card or book issued for pickup (or collected after the post returned it)."""
    request = _owned(officer, request_id, version_id, S.processing, S.returned)
    if request.kind not in (T.bhyt_card, T.si_book):
        raise DomainError("Loại yêu cầu này hoàn thành qua bước riêng của nó.")
    if request.failing_checks and request.state == S.processing:
        raise DomainError("Còn kiểm tra không đạt: hãy từ chối với lý do phù hợp hoặc chờ công dân bổ sung.")
    if request.state == S.processing:
        _issue(request)
    request.decided_by_id = officer.id
    return _move(officer, request, S.completed)


def ship(officer, request_id, version_id, tracking_number):
    """Send the card or book by post with the tracking number the officer entered."""
    tracking = (tracking_number or "").strip().upper()
    if not tracking or len(tracking) > TRACKING_MAX or not tracking.replace("-", "").isalnum():
        raise DomainError("Nhập số hiệu bưu gửi (chữ và số, tối đa 40 ký tự).", field="tracking_number")
    request = _owned(officer, request_id, version_id, S.processing, S.returned)
    if request.kind not in (T.bhyt_card, T.si_book) or request.delivery_method != "post":
        raise DomainError("Yêu cầu này không đăng ký nhận qua bưu điện.")
    if request.failing_checks and request.state == S.processing:
        raise DomainError("Còn kiểm tra không đạt: hãy từ chối với lý do phù hợp hoặc chờ công dân bổ sung.")
    if request.state == S.processing:
        _issue(request)
    request.tracking_number, request.decided_by_id = tracking, officer.id
    return _move(officer, request, S.shipped, details={"tracking_number": tracking})


DELIVERY_STATES = {"delivered": S.delivered, "returned": S.returned}


def record_delivery(tracking_number, status):
    """The postal service's signed webhook: a shipped request becomes delivered or returned (None: unknown)."""
    target = DELIVERY_STATES.get(str(status).strip().lower())
    if target is None:
        return None
    request = db.session.scalar(select(ReissueRequest).where(
        ReissueRequest.tracking_number == str(tracking_number).strip().upper(), ReissueRequest.state == S.shipped)
        .with_for_update())
    if request is None:
        return None
    cases.transition(request, target, actor_label="postal-webhook", audit_action=f"reissue_{target}")
    notices.status_changed(request, None)
    return request


# --- pension transfer: two offices --------------------------------------------------------------------------------

def send_to_destination(officer, request_id, version_id):
    """The origin office has prepared the file and sends it; the destination's CS_BHXH now sees it."""
    request = _owned(officer, request_id, version_id, S.processing)
    if request.kind != T.pension_transfer:
        raise DomainError("Chỉ yêu cầu chuyển nơi hưởng được gửi sang đơn vị khác.")
    if request.failing_checks:
        raise DomainError("Còn kiểm tra không đạt: không gửi hồ sơ sang nơi hưởng mới.")
    return _move(officer, request, S.awaiting_destination,
                 details={"destination_office_id": request.destination_office_id})


def acknowledge_transfer(officer, request_id, version_id):
    """The destination office acknowledges: it pays from the start month, the origin stops the month before."""
    request = get_for(officer, request_id)
    cases.check_version(request, version_id)
    if not is_destination(officer, request):
        raise Forbidden("Chỉ phòng Chế độ BHXH của đơn vị nơi chuyển đến được xác nhận tiếp nhận.")
    if request.state != S.awaiting_destination:
        raise Conflict("Hồ sơ chưa được gửi sang hoặc đã được xác nhận.")
    benefit = db.session.scalar(select(Benefit).where(
        Benefit.social_insurance_number == request.social_insurance_number, Benefit.active.is_(True))
        .with_for_update())
    if benefit is None or not request.payload.get("start_month"):
        raise DomainError("Không còn hồ sơ hưởng đang chi trả của người này; hãy trả lại đơn vị gửi để kiểm tra.")
    start_month = request.payload["start_month"]
    benefit.previous_office_id, benefit.paying_office_id = benefit.paying_office_id, officer.office_id
    benefit.previous_office_last_month, benefit.paying_from_month = _month_before(start_month), start_month
    request.acknowledged_by_id, request.acknowledged_at = officer.id, utcnow()
    request.result = {"start_month": start_month, "origin_last_month": benefit.previous_office_last_month,
                      "destination_office_id": officer.office_id}
    cases.transition(request, S.completed, actor=officer, details=request.result,
                     audit_action="reissue_transfer_acknowledged")
    notices.status_changed(request, officer)
    return request


def _month_before(month):
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


# --- payout change: the fraud path -------------------------------------------------------------------------------

def confirm_identity(officer, request_id, version_id, note):
    """The officer re-checked the requester against the register's photo and ID (what they saw is recorded)."""
    request = _owned(officer, request_id, version_id, S.processing)
    if request.kind != T.payout_change:
        raise DomainError("Chỉ yêu cầu thay đổi hình thức lĩnh cần xác minh lại danh tính.")
    if len((note or "").strip()) < 10:
        raise DomainError("Ghi rõ đã đối chiếu gì (ảnh, căn cước, cuộc gọi; ít nhất 10 ký tự).", field="note")
    request.identity_checked_by_id = officer.id
    cases.flush()
    audit.record("reissue_identity_confirmed", actor=officer, object_type=CASE_TYPE, object_id=request.id,
                 office_id=request.office_id, details={"note": note.strip(), "checks_seen": request.checks})
    return request


def propose_payout_change(officer, request_id, version_id):
    """The maker proposes the change after the identity re-check; a second officer must approve it."""
    request = _owned(officer, request_id, version_id, S.processing)
    if request.kind != T.payout_change:
        raise DomainError("Bước này chỉ dành cho yêu cầu thay đổi hình thức lĩnh.")
    if request.identity_checked_by_id is None:
        raise DomainError("Cần xác minh lại danh tính người yêu cầu trước khi đề xuất.")
    if request.failing_checks:
        raise DomainError("Còn kiểm tra không đạt: hãy từ chối với lý do phù hợp.")
    request.proposed_by_id = officer.id
    return _move(officer, request, S.awaiting_second_approval)


def approve_payout_change(officer, request_id, version_id):
    """The checker (another officer of the department, never the maker) approves: the cooling-off begins."""
    request = _owned(officer, request_id, version_id, S.awaiting_second_approval)
    if officer.id in (request.proposed_by_id, request.identity_checked_by_id):
        case = {"object_type": CASE_TYPE, "object_id": request.id, "office_id": request.office_id,
                "details": {"proposed_by": request.proposed_by_id}}
        raise AuditedRefusal("Người đề xuất hoặc người xác minh không thể tự phê duyệt lần hai.",
                             lambda: audit.record(SELF_APPROVAL_REFUSED, actor=officer, **case))
    request.approved_by_id = officer.id
    request.effective_at = calendar.add_working_days(calendar.now(), catalogue.cooling_off_days())
    _move(officer, request, S.cooling_off, details={"effective_at": request.effective_at.isoformat()})
    notices.payout_change_requested(request, officer, effective_at=request.effective_at)
    return request


def return_payout_change(officer, request_id, version_id, note):
    """The checker sends the proposal back to the maker with a reason."""
    request = _owned(officer, request_id, version_id, S.awaiting_second_approval)
    if officer.id == request.proposed_by_id:
        raise DomainError("Người đề xuất không thể tự trả lại đề xuất của mình.")
    if len((note or "").strip()) < 5:
        raise DomainError("Ghi lý do trả lại (ít nhất 5 ký tự).", field="note")
    request.proposed_by_id = request.identity_checked_by_id = None
    return _move(officer, request, S.processing, reason_code="returned_by_checker", text=note.strip())


def stop_payout_change(officer, request_id, version_id, note):
    """The citizen called to stop the change during the cooling-off: it never takes effect."""
    request = _owned(officer, request_id, version_id, S.cooling_off)
    if len((note or "").strip()) < 5:
        raise DomainError("Ghi nhận ai yêu cầu dừng và bằng cách nào (ít nhất 5 ký tự).", field="note")
    return _move(officer, request, S.cancelled, reason_code="stopped_by_citizen", text=note.strip())


PAYOUT_COLUMNS = ("payout_method", "bank_code", "account_number", "account_holder", "recipient_name",
                  "payout_from_month")  # what a payout change may alter, kept before it so a correction restores it


def _apply_payout(request, now):
    if request.state != S.cooling_off or request.approved_by_id is None or request.proposed_by_id is None:
        raise Conflict("Thay đổi chưa được phê duyệt lần hai.")
    if request.effective_at is None or now < request.effective_at:
        raise DomainError("Chưa hết thời gian chờ; thay đổi chưa thể có hiệu lực.")
    benefit = db.session.scalar(select(Benefit).where(
        Benefit.social_insurance_number == request.social_insurance_number, Benefit.active.is_(True))
        .with_for_update())
    before = {column: getattr(benefit, column) for column in PAYOUT_COLUMNS}
    payload = request.payload
    if payload["method"] == "bank":
        benefit.payout_method, benefit.bank_code = "bank", payload["bank_code"]
        benefit.account_number, benefit.account_holder = payload["account_number"], payload["account_holder"]
    elif payload["method"] == "cash":
        benefit.payout_method, benefit.bank_code, benefit.account_number = "cash", None, None
    else:
        benefit.recipient_name = payload["new_recipient"]["full_name"]
    benefit.payout_from_month = payload["from_month"]
    request.result = {"effective_from_month": payload["from_month"], "effective_at": request.effective_at.isoformat(),
                      "before": before}
    cases.transition(request, S.completed, actor_label="system", details={"before": before},
                     audit_action="reissue_payout_change_applied")
    notices.status_changed(request, None)


def apply_due_payout_changes(now=None):
    """Apply every approved payout change whose cooling-off is over (the periodic sweep); returns how many."""
    now = now or utcnow()
    due = db.session.scalars(select(ReissueRequest).where(
        ReissueRequest.kind == T.payout_change, ReissueRequest.state == S.cooling_off,
        ReissueRequest.effective_at <= now).with_for_update(skip_locked=True).limit(500)).all()
    for request in due:
        _apply_payout(request, now)
    return len(due)


def apply_payout_change(request_id, now=None):
    """Apply one payout change now (refused before the cooling-off ends or without the second approval)."""
    request = db.session.get(ReissueRequest, request_id, with_for_update=True)
    _apply_payout(request, now or utcnow())
    return request


# --- a supervisor's correction -------------------------------------------------------------------------------------

CORRECTION_NOTE_MIN = 10


def reopen_for_correction(supervisor, request_id, note, officer_id):
    """A blind re-review disagreed and the supervisor corrects it: the settled request goes back to processing in its
    department, on a new clock, held by an officer of the department the supervisor names (never one who decided
    or approved it), who decides again with the type's own steps. The citizen hears it is being processed again.

    A payout change reopened before it took effect never takes effect (the maker-checker starts over); one already
    applied has the payout restored as it was before (kept in `result["before"]`) until it is decided again."""
    request = db.session.get(ReissueRequest, request_id, with_for_update=True)
    if request is None or supervisor.role != Role.supervisor or not scope.office_readable(supervisor,
                                                                                        request.office_id):
        raise Forbidden("Chỉ lãnh đạo, giám sát của đơn vị tiếp nhận được mở lại hồ sơ để điều chỉnh.")
    kind, before = T(request.kind), S(request.state)
    if before not in catalogue.REOPENABLE[kind]:
        raise Conflict("Yêu cầu không ở trạng thái mở lại được để điều chỉnh (đang xử lý, đã dừng, hoặc nơi chuyển "
                       "đến đã nhận chi trả).")
    note = (note or "").strip()
    if len(note) < CORRECTION_NOTE_MIN:
        raise DomainError("Ghi rõ lý do điều chỉnh (ít nhất 10 ký tự).", field="note")
    officer = cases.colleague(request, officer_id)
    if officer.id in {request.decided_by_id, request.proposed_by_id, request.approved_by_id, supervisor.id}:
        raise DomainError("Chọn một cán bộ khác người đã quyết định hoặc phê duyệt yêu cầu.", field="officer_id")
    restored = None
    if kind == T.payout_change and before == S.completed:
        restored = _restore_payout(request)
    request.decided_by_id = request.rejection_code = request.rejection_text = None
    request.identity_checked_by_id = request.proposed_by_id = request.approved_by_id = request.effective_at = None
    request.closed_at = request.warned_at = request.escalated_at = None
    request.flagged = False
    request.assignee_id = officer.id
    request.clock_started_at = calendar.now()  # a new clock for deciding again
    cases.transition(request, S.processing, actor=supervisor, reason_code="supervisor_correction", text=note,
                     details={"officer": officer.id, **({"restored": restored} if restored else {})},
                     audit_action="reissue_reopened")
    notices.status_changed(request, supervisor)
    return request


def _restore_payout(request):
    """Put the payout back as it was before an applied change (the values the change recorded)."""
    before = (request.result or {}).get("before")
    benefit = db.session.scalar(select(Benefit).where(
        Benefit.social_insurance_number == request.social_insurance_number, Benefit.active.is_(True))
        .with_for_update())
    if not before or benefit is None:
        raise Conflict("Không còn thông tin chi trả trước thay đổi để khôi phục; hãy xử lý trực tiếp với phòng Chế "
                       "độ BHXH.")
    restored = [column for column in PAYOUT_COLUMNS if column in before]
    for column in restored:
        setattr(benefit, column, before[column])
    return restored


# --- what the case page shows -------------------------------------------------------------------------------------

def register_view(request):
    """The register's records beside the request: the person, their card, book and benefit (None when absent)."""
    sin = request.social_insurance_number
    return {"person": db.session.scalar(select(Participant).where(Participant.social_insurance_number == sin)),
            "card": db.session.scalar(select(HealthCard).where(HealthCard.social_insurance_number == sin)),
            "book": db.session.scalar(select(InsuranceBook).where(InsuranceBook.social_insurance_number == sin)),
            "benefit": db.session.scalar(select(Benefit).where(Benefit.social_insurance_number == sin))}


def timeline(request):
    """Transitions, assignments, deadline changes and the citizen's messages in one list, oldest first.

    Each item is (moment, kind, event or message); internal notes are not in it (see `cases.notes`)."""
    items = [(event.at, "event", event) for event in cases.timeline(request)]
    items += [(message.created_at, "message", message)
              for message in notifications.case_messages(CASE_TYPE, request.id)]
    return sorted(items, key=lambda item: item[0])


def incoming_transfers(officer):
    """Pension transfers sent to the officer's office and waiting for its acknowledgement: rows of (id, reference,
    kind, full_name), due first, at most INCOMING_SHOWN + 1 (the lists say "more" then). Every queue page of a
    CS_BHXH officer shows them: the statement is built once and the answer memoised seconds
    (services.platform.memo; a transfer sent or acknowledged in this process shows at once)."""
    if _department(officer) != DepartmentCode.CS_BHXH:
        return ()
    return _INCOMING.get(officer.office_id, lambda: tuple(db.session.connection().execute(
        _INCOMING_TRANSFERS, {"office_id": officer.office_id, "limit": INCOMING_SHOWN + 1})))


INCOMING_SHOWN = 50
_INCOMING = Memo("incoming_transfers", 10, (ReissueRequest,))
_INCOMING_TRANSFERS = select(ReissueRequest.id, ReissueRequest.reference, ReissueRequest.kind,
                             ReissueRequest.full_name).where(
    ReissueRequest.destination_office_id == bindparam("office_id"),
    ReissueRequest.state == S.awaiting_destination).order_by(
    ReissueRequest.queue_due_at, ReissueRequest.id).limit(bindparam("limit"))
