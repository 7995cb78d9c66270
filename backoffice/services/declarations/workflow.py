"""The reception desk's workflow: queue, take next, claim and release, decide (DESIGN.md §4.1)."""
from collections import namedtuple
from dataclasses import astuple, dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from threading import Lock

from cachetools import TTLCache
from sqlalchemy import String, bindparam, func, or_, select, text, tuple_, type_coerce, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from backoffice.extensions import db
from backoffice.models import (
    AuditEntry,
    Declaration,
    DeclarationDocument,
    DeclarationKind,
    DeclarationState,
    DepartmentCode,
    ETransactionAccount,
    Office,
    Officer,
    Participant,
    Role,
)
from backoffice.models.base import utcnow
from backoffice.models.declaration import OPEN_PREDICATE, Channel
from backoffice.services import AuditedRefusal, Conflict, DomainError, notifications
from backoffice.services.casework import sla
from backoffice.services.declarations import checks as declaration_checks
from backoffice.services.declarations import reasons as rejection_reasons
from backoffice.services.declarations.labels import COMPARED
from backoffice.services.platform import accounts, audit, scope
from backoffice.services.platform.calendar import BUSINESS_TZ, add_working_days, local_date, now

CLAIM_IDLE = timedelta(minutes=30)
PAGE_SIZE = 50
COUNT_CAP = 1000  # list pages say "more than 1000" instead of counting millions of rows
OVER_CAP_SECONDS = 30
# (office id, filters) whose count was over the cap lately; per process, bounded, shared by the worker's threads.
_over_cap = TTLCache(maxsize=10_000, ttl=OVER_CAP_SECONDS)
_over_cap_lock = Lock()
S = DeclarationState
DECIDABLE = (S.in_review,)
CASE_TYPE = "declaration"


ALL_STATES = "all"


@dataclass
class QueueFilters:
    """What the officer narrowed the queue to; no state means the open (undecided) declarations."""

    state: str = ""
    kind: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    failing_only: bool = False


# What a queue row shows: plain rows, not ORM objects (lists are the hot path; no JSON columns). The view unpacks
# them in this order.
# kind, state and channel come back as their plain values: the StrEnum members hash and compare as those values,
# so label tables keyed by member serve them, without an Enum conversion per cell (150 a page).
LIST_COLUMNS = (Declaration.id, Declaration.reference, *(type_coerce(column, String).label(column.key) for column in
                                                          (Declaration.kind, Declaration.state, Declaration.channel)),
                Declaration.submitted_at, Declaration.full_name, Declaration.id_number, Declaration.phone,
                Declaration.failing_checks, Declaration.claimed_by_id, Declaration.due_on, Declaration.returned_at,
                Declaration.deadline_extended)


def _filter_values(office_id, filters):
    """The bound values of a queue query: the office, and each filter the officer set."""
    values = {"office_id": office_id}
    if filters.state and filters.state != ALL_STATES:
        values["state"] = S(filters.state)
    if filters.kind:
        values["kind"] = DeclarationKind(filters.kind)
    if filters.channel:
        values["channel"] = Channel(filters.channel)
    if filters.date_from:
        values["date_from"] = datetime.combine(filters.date_from, time.min, BUSINESS_TZ)
    if filters.date_to:
        values["date_to"] = datetime.combine(filters.date_to + timedelta(days=1), time.min, BUSINESS_TZ)
    return values


@lru_cache(maxsize=None)
def _queue_statement(bound, open_only, failing_only, after, counted, limit):
    """The statement of one shape of queue page, values left to bind: built and keyed once per shape (building and
    keying a statement costs more than running it). `bound` names the filters that have a value."""
    matching = select(Declaration).where(Declaration.office_id == bindparam("office_id"))
    if open_only:
        matching = matching.where(text(OPEN_PREDICATE))  # the work list: served by the partial index
    columns = {"state": Declaration.state, "kind": Declaration.kind, "channel": Declaration.channel}
    for name in bound:
        if name in columns:
            matching = matching.where(columns[name] == bindparam(name))
    if "date_from" in bound:
        matching = matching.where(Declaration.submitted_at >= bindparam("date_from"))
    if "date_to" in bound:
        matching = matching.where(Declaration.submitted_at < bindparam("date_to"))
    if failing_only:
        matching = matching.where(Declaration.failing_checks > 0)
    query = matching.with_only_columns(*LIST_COLUMNS)
    if after:  # a row-value comparison, so the index scan starts at the key instead of filtering up to it
        query = query.where(tuple_(Declaration.submitted_at, Declaration.id) >
                            tuple_(bindparam("after_at", type_=Declaration.submitted_at.type),
                                   bindparam("after_id", type_=Declaration.id.type)))
    if counted:  # an uncorrelated subquery: it runs once, in the page's round trip
        capped = matching.with_only_columns(Declaration.id).limit(bindparam("count_limit")).subquery()
        query = query.add_columns(select(func.count()).select_from(capped).scalar_subquery())
    return query.order_by(Declaration.submitted_at, Declaration.id).limit(limit)


_UNFILTERED_VALUES = {"office_id", "after_at", "after_id", "count_limit"}


def forget_counts():
    """Forget the counts remembered as over the cap in this process (the tests do, between databases)."""
    with _over_cap_lock:
        _over_cap.clear()


def queue_page(officer, filters, after=None, limit=PAGE_SIZE):
    """One keyset page of the office queue, oldest first; `after` is (submitted_at, id) of the last row.

    Returns (rows, count). The first page carries the count of matching declarations, capped at COUNT_CAP + 1 so
    it stays cheap; later pages have count None. A count over the cap is remembered for a while: "more than 1000"
    stays true, and walking 1,001 index entries (with heap visits at the busy head of the queue) is most of the
    database's work for the page."""
    values = _filter_values(officer.office_id, filters)
    over_cap_key = (officer.office_id, astuple(filters))
    counted = not after and over_cap_key not in _over_cap
    if after:
        values["after_at"], values["after_id"] = after
    if counted:
        values["count_limit"] = COUNT_CAP + 1
    statement = _queue_statement(tuple(sorted(values.keys() - _UNFILTERED_VALUES)),
                                 not filters.state, filters.failing_only, bool(after), counted, limit)
    rows = db.session.connection().execute(statement, values).all()  # Core: plain rows need no ORM machinery
    if after:
        return rows, None
    if not counted:
        return rows, COUNT_CAP + 1
    count = rows[0][-1] if rows else 0
    if count > COUNT_CAP:
        with _over_cap_lock:
            _over_cap[over_cap_key] = True
    return rows, count


REVIEW_WORKING_DAYS = 1  # DESIGN.md §6: a declaration is reviewed within one working day of its receipt


def deadline(state, submitted_at, due_on, extended=False):
    """The clock of a case through the casework core (its `due_at`, and `due_soon_at` for the badge): while waiting
    for the citizen, their deadline (AWAIT_WORKING_DAYS, plus EXTEND_WORKING_DAYS once extended), else the review
    deadline (REVIEW_WORKING_DAYS after receipt); None once decided."""
    if state in (S.approved, S.rejected):
        return None
    if state == S.awaiting_citizen:
        if due_on is None:
            return None
        return sla.window_ending(due_on, AWAIT_WORKING_DAYS + (EXTEND_WORKING_DAYS if extended else 0))
    return sla.window(submitted_at, REVIEW_WORKING_DAYS)


def officer_names(officer_ids):
    """{officer id: full name} of the officers holding the queue's claimed cases (one query for a page)."""
    ids = {i for i in officer_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(Officer.id, Officer.full_name).where(Officer.id.in_(ids))).all())


def get_for(officer, declaration_id):
    """A declaration the officer may read (services.platform.scope): NotFound outside their scope, else Forbidden."""
    return scope.get_readable(officer, Declaration, declaration_id)


def _to_act(officer, declaration_id):
    """A declaration the officer may act on (claim, decide, confirm)."""
    return scope.get_actionable(officer, Declaration, declaration_id)


def side_by_side(declaration):
    """Rows of declared, extracted (value, source, confidence) and register values, with the match status."""
    extracted = (declaration.extraction or {}).get("fields", {})
    compared = next((c["evidence"].get("fields", {}) for c in declaration.checks or [] if c["code"] == "id_fields"), {})
    person = db.session.scalar(select(Participant).where(
        Participant.social_insurance_number == declaration.social_insurance_number))
    declared = declaration_checks.declared_identity(declaration)
    rows = []
    for field, label in COMPARED:
        rows.append({"field": field, "label": label, "declared": declared.get(field),
                     "extracted": extracted.get(field),
                     "register": _register_value(person, field),
                     "status": compared.get(field, {}).get("status")})
    return rows


def _register_value(person, field):
    value = getattr(person, field, None) if person is not None else None
    return value.isoformat() if hasattr(value, "isoformat") else value


def contact_viewed(officer, declaration):
    """Audit that the officer saw the declared mã số BHXH, phone and email in full (the review page is the one
    place that shows them unmasked)."""
    audit.record("declaration_contact_viewed", actor=officer, object_type=CASE_TYPE, object_id=declaration.id,
                 office_id=declaration.office_id)


def guardian(declaration):
    """A child's guardian as the officer checks them: name, mã số BHXH and account state (None when not a child's
    declaration). The name is the register's, when the guardian is in it."""
    sin = declaration.guardian_social_insurance_number
    if declaration.kind != DeclarationKind.register_child or not sin:
        return None
    person = db.session.scalar(select(Participant).where(Participant.social_insurance_number == sin))
    account = db.session.scalar(select(ETransactionAccount.status).where(
        ETransactionAccount.social_insurance_number == sin))
    return {"social_insurance_number": sin, "full_name": person.full_name if person else None,
            "phone": person.phone if person else None, "account": account.value if account else None}


def timeline(declaration):
    """The case's history from the audit log, oldest first."""
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == CASE_TYPE, AuditEntry.object_id == str(declaration.id)).order_by(AuditEntry.id)).all()


def duplicate_records(declaration, limit=20):
    """Other declarations with the same mã số BHXH, ID number, phone or email (any office), newest first."""
    same = [Declaration.social_insurance_number == declaration.social_insurance_number,
            Declaration.phone == declaration.phone]
    same += [Declaration.id_number == declaration.id_number] if declaration.id_number else []
    same += [Declaration.email == declaration.email] if declaration.email else []
    return db.session.scalars(select(Declaration).where(or_(*same), Declaration.id != declaration.id)
                              .order_by(Declaration.submitted_at.desc()).limit(limit)).all()


_declarations = Declaration.__table__


def _first(order, *conditions):
    """The first declaration of an office in this order meeting the conditions, locked, skipping rows others hold."""
    return (select(_declarations.c.id, _declarations.c.claimed_by_id)
            .where(_declarations.c.office_id == bindparam("in_office"), *conditions)
            .order_by(*order).limit(1).with_for_update(skip_locked=True).cte())


def _take_next_statement():
    """The claim abandoned longest, else the oldest ready declaration, claimed in one UPDATE.

    Each part walks its own index (claims by last activity, the queue by age) instead of sorting: ordering lapsed
    claims by submission, or one query with OR, made PostgreSQL sort every lapsed claim of the office on each
    take-next (52 ms with 25,000 of them). The second part is never run when the first finds a row (the LIMIT stops
    the UNION ALL), so it locks nothing then. One statement on the table, not a load and a unit-of-work flush:
    those cost more than the statement.
    """
    c = _declarations.c
    lapsed = _first((c.claim_touched_at, c.id), c.state == S.in_review.value,
                    c.claim_touched_at < bindparam("idle_since"))
    ready = _first((c.submitted_at, c.id), c.state == S.ready.value)
    chosen = select(lapsed).union_all(select(ready)).limit(1).cte("chosen")
    return (update(_declarations).where(c.id == chosen.c.id)
            .values(state=S.in_review.value, claimed_by_id=bindparam("officer_id"), claimed_at=bindparam("now"),
                    claim_touched_at=bindparam("now"), updated_at=bindparam("now"), version_id=c.version_id + 1)
            .returning(c.id, c.office_id, c.version_id, chosen.c.claimed_by_id.label("previous")))


_TAKE_NEXT = _take_next_statement()
Claim = namedtuple("Claim", "id office_id version_id")  # the declaration is in review, claimed by the officer


def take_next(officer):
    """Claim the claim abandoned longest, else the oldest ready declaration (SKIP LOCKED: never the same one twice).
    Returns the Claim, or None when there is nothing to take."""
    now = utcnow()
    row = db.session.connection().execute(_TAKE_NEXT, {"in_office": officer.office_id, "idle_since": now - CLAIM_IDLE,
                                                       "officer_id": officer.id, "now": now}).first()
    if row is None:
        return None
    declaration_id, office_id, version_id, previous = row
    _claimed(officer, declaration_id, office_id, previous)
    return Claim(declaration_id, office_id, version_id)


def claim(officer, declaration_id):
    """Claim a particular declaration from the queue (it must be ready or its claim expired)."""
    declaration = _to_act(officer, declaration_id)
    now = utcnow()
    mine = declaration.state == S.in_review and declaration.claimed_by_id == officer.id
    if not mine and not (declaration.state == S.ready or (
            declaration.state == S.in_review and declaration.claim_touched_at < now - CLAIM_IDLE)):
        raise Conflict("Tờ khai đang được cán bộ khác xử lý hoặc chưa sẵn sàng.")
    _claim(officer, declaration, now)
    return declaration


def _claim(officer, declaration, now):
    previous = declaration.claimed_by_id
    declaration.state = S.in_review
    declaration.claimed_by_id, declaration.claimed_at, declaration.claim_touched_at = officer.id, now, now
    _flush()
    _claimed(officer, declaration.id, declaration.office_id, previous)


def _claimed(officer, declaration_id, office_id, previous):
    if previous != officer.id:
        # Not durable: a synchronous commit would hold the audit chain's lock through a disk flush (~4 ms),
        # serialising every officer's take-next. Decisions stay durable.
        audit.record("declaration_claimed", actor=officer, object_type="declaration", object_id=declaration_id,
                     office_id=office_id, details={"expired_claim_of": previous} if previous else {}, durable=False)


def touch(officer, declaration):
    """Keep the officer's claim alive while they work on it, without changing the declaration's version.

    One Core UPDATE of the lease alone: the ORM's unit of work would raise `version_id`, and then a decision sent
    from another tab of the same officer (or this tab opened before) would get a 409 for merely viewing the case.
    The guarded row's version changes only when something an officer decides on changes."""
    if declaration.state != S.in_review or declaration.claimed_by_id != officer.id:
        return
    now = utcnow()
    c = _declarations.c
    db.session.connection().execute(
        update(_declarations).where(c.id == declaration.id, c.claimed_by_id == officer.id,
                                    c.state == S.in_review.value)
        # updated_at named so its onupdate does not fire: a lease renewal is no change of the case
        .values(claim_touched_at=now, updated_at=c.updated_at))
    set_committed_value(declaration, "claim_touched_at", now)


# What counts as a change of the case an officer's form was built on (a view or a print is none).
CHANGES = ("declaration_checked", "declaration_claimed", "declaration_released", "declaration_approved",
           "declaration_rejected", "declaration_override_proposed", "declaration_override_returned",
           "declaration_awaiting_citizen", "declaration_resumed", "declaration_documents_received",
           "declaration_deadline_extended", "declaration_checks_refreshed")


def last_change(declaration):
    """The latest change of the case (an AuditEntry: what, who, when), shown with a 409; None if there is none."""
    return db.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == CASE_TYPE, AuditEntry.object_id == str(declaration.id),
        AuditEntry.action.in_(CHANGES)).order_by(AuditEntry.id.desc()).limit(1))


def _owned(officer, declaration_id, version_id, waiting_too=False):
    """The declaration, at the version the officer saw, claimed by them; with `waiting_too` a case waiting for the
    citizen (nobody holds it) is theirs to act on as well."""
    declaration = _to_act(officer, declaration_id)
    if declaration.version_id != version_id:
        raise Conflict("Tờ khai vừa được cập nhật ở nơi khác (tab khác hoặc cán bộ khác). Hãy tải lại trang.")
    if waiting_too and declaration.state == S.awaiting_citizen:
        return declaration
    if declaration.state not in DECIDABLE or declaration.claimed_by_id != officer.id:
        raise Conflict("Bạn cần nhận tờ khai này trước khi quyết định, hoặc tờ khai đã được quyết định.")
    return declaration


def release(officer, declaration_id, version_id):
    """Give a claimed declaration back to the queue."""
    declaration = _owned(officer, declaration_id, version_id)
    declaration.state, declaration.claimed_by_id = S.ready, None
    declaration.claimed_at = declaration.claim_touched_at = None
    _flush()
    audit.record("declaration_released", actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id)
    return declaration


def _flush():
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict("Tờ khai vừa được cập nhật ở nơi khác. Hãy tải lại trang.") from exc


def _decided(officer, declaration, state, action, **details):
    declaration.state, declaration.decided_by_id, declaration.decided_at = state, officer.id, utcnow()
    _flush()
    audit.record(action, actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id, details={"checks_seen": declaration.checks or [], **details})


def _message_context(declaration):
    return {"full_name": declaration.full_name, "reference": declaration.reference,
            "office_name": db.session.get(Office, declaration.office_id).name}


def _approve_now(officer, declaration, **details):
    _decided(officer, declaration, S.approved, "declaration_approved", **details)
    temporary = accounts.apply_decision(declaration)
    if temporary:
        notifications.notify(
            "declaration_approved", case_type=CASE_TYPE, case_id=declaration.id, office_id=declaration.office_id,
            phone=declaration.phone, email=declaration.email, actor=officer,
            context={**_message_context(declaration), "login": declaration.social_insurance_number,
                     "password_valid_hours": int(accounts.TEMPORARY_PASSWORD_VALID.total_seconds() // 3600)},
            secrets={"temporary_password": temporary})


CORRECTION_NOTE = "Quyết định lại theo yêu cầu của lãnh đạo sau kiểm tra lại: {note}"
ACCOUNT_LOCKED = "declaration_account_locked"


def reopen_for_correction(supervisor, declaration_id, note, officer_id):
    """A supervisor corrects a decision a blind re-review disagreed with: the declaration goes back to the desk, in
    review and held by the reception officer named (never the one who decided it), with the supervisor's note shown
    as a returned case's note. An e-transaction account its approval opened is locked meanwhile (no sign-in, the
    temporary password void): the citizen is told through the outbox, and the lock is audited. A new approval
    reopens the account with a new temporary password; a rejection leaves it locked.

    Returns {"before", "after", "officer", "account"}: what the correction changed, for the supervisor's audit."""
    declaration = db.session.get(Declaration, declaration_id, with_for_update=True)
    if declaration is None:
        raise DomainError("Không tìm thấy tờ khai.")
    if declaration.state not in (S.approved, S.rejected):
        raise Conflict("Tờ khai đang được xử lý lại; không mở thêm một lần điều chỉnh.")
    officer = db.session.get(Officer, officer_id) if officer_id else None
    if (officer is None or not officer.active or officer.role != Role.reception_officer
            or officer.office_id != declaration.office_id
            or officer.id in (declaration.decided_by_id, declaration.proposed_by_id, supervisor.id)):
        raise DomainError("Chọn một cán bộ tiếp nhận khác của đơn vị (không phải người đã quyết định) để quyết "
                          "định lại.", field="officer_id")
    before, at = declaration.state, utcnow()
    declaration.state, declaration.claimed_by_id = S.in_review, officer.id
    declaration.claimed_at = declaration.claim_touched_at = declaration.returned_at = at
    declaration.returned_note = CORRECTION_NOTE.format(note=note)
    _flush()
    account = accounts.lock_for_correction(declaration) if before == S.approved else None
    if account is not None:
        audit.record(ACCOUNT_LOCKED, actor=supervisor, object_type=CASE_TYPE, object_id=declaration.id,
                     office_id=declaration.office_id, details={"before": "active", "after": account.status.value,
                                                               "note": note})
        notifications.notify(ACCOUNT_LOCKED, case_type=CASE_TYPE, case_id=declaration.id,
                             office_id=declaration.office_id, phone=account.phone, email=account.email or None,
                             actor=supervisor, context=_message_context(declaration))
    return {"before": before.value, "after": S.in_review.value, "officer": officer.id,
            "account": account.status.value if account is not None else None}


def approve(officer, declaration_id, version_id, justification=""):
    """Approve; over a failing check it needs a justification and goes to a second officer."""
    declaration = _owned(officer, declaration_id, version_id)
    if declaration.failing_checks:
        if len(justification.strip()) < 20:
            raise DomainError("Có kiểm tra không đạt: hãy ghi rõ lý do phê duyệt (ít nhất 20 ký tự).",
                              field="justification")
        declaration.state, declaration.proposed_by_id = S.awaiting_second_approval, officer.id
        declaration.justification = justification.strip()
        _flush()
        audit.record("declaration_override_proposed", actor=officer, object_type="declaration",
                     object_id=declaration.id, office_id=declaration.office_id,
                     details={"checks_seen": declaration.checks or [], "justification": declaration.justification})
        return declaration
    _approve_now(officer, declaration)
    return declaration


class SelfApprovalRefused(AuditedRefusal):
    """An officer tried to give the second approval of their own proposal: refused, and worth a supervisor's look
    (the shared action helper audits it after the rollback, with `record_self_approval_refused`)."""

    def __init__(self, officer, declaration_id):
        super().__init__("Người đề xuất không thể tự phê duyệt lần hai.",
                         lambda: record_self_approval_refused(officer, declaration_id))
        self.declaration_id = declaration_id


SELF_APPROVAL_REFUSED = "declaration_self_approval_refused"  # read by supervision's self-approval flag


def record_self_approval_refused(officer, declaration_id):
    """Audit a refused self-approval (in the caller's fresh transaction: the attempt itself was rolled back)."""
    declaration = db.session.get(Declaration, declaration_id)
    audit.record(SELF_APPROVAL_REFUSED, actor=officer, object_type=CASE_TYPE, object_id=declaration_id,
                 office_id=declaration.office_id if declaration else officer.office_id,
                 details={"proposed_by": declaration.proposed_by_id if declaration else None})


def _second_approver(officer, declaration_id, version_id, approving=False):
    """The declaration awaiting a second approval, if this officer may give or refuse it."""
    declaration = _to_act(officer, declaration_id)
    if declaration.proposed_by_id == officer.id and approving and declaration.state == S.awaiting_second_approval:
        raise SelfApprovalRefused(officer, declaration.id)  # before the version check: a stale tab is still an attempt
    if declaration.version_id != version_id:
        raise Conflict("Tờ khai vừa được cập nhật ở nơi khác. Hãy tải lại trang.")
    if declaration.state != S.awaiting_second_approval:
        raise Conflict("Tờ khai không còn chờ phê duyệt lần hai.")
    if declaration.proposed_by_id == officer.id:
        raise DomainError("Người đề xuất không thể tự trả lại đề xuất của chính mình.")
    if officer.role not in SECOND_APPROVERS:
        raise DomainError("Chỉ cán bộ tiếp nhận khác hoặc lãnh đạo được phê duyệt lần hai.")
    return declaration


SECOND_APPROVERS = (Role.reception_officer, Role.supervisor)
RETURN_NOTE_MIN = 10


def confirm_second_approval(officer, declaration_id, version_id):
    """A second reception officer of the office, or a supervisor, confirms an approval over failing checks."""
    declaration = _second_approver(officer, declaration_id, version_id, approving=True)
    _approve_now(officer, declaration, second_approval=True, proposed_by=declaration.proposed_by_id,
                 justification=declaration.justification)
    return declaration


def return_to_proposer(officer, declaration_id, version_id, note):
    """The second approver says no: the case goes back to the officer who proposed it, claimed by them, with the
    reason; nothing is sent to the citizen (no decision was made)."""
    note = (note or "").strip()
    if len(note) < RETURN_NOTE_MIN:
        raise DomainError(f"Hãy ghi lý do trả lại cho cán bộ đề xuất (ít nhất {RETURN_NOTE_MIN} ký tự).",
                          field="note")
    declaration = _second_approver(officer, declaration_id, version_id)
    now = utcnow()
    declaration.state, declaration.claimed_by_id = S.in_review, declaration.proposed_by_id
    declaration.claimed_at = declaration.claim_touched_at = declaration.returned_at = now
    declaration.returned_note = note
    _flush()
    audit.record("declaration_override_returned", actor=officer, object_type="declaration",
                 object_id=declaration.id, office_id=declaration.office_id,
                 details={"note": note, "proposed_by": declaration.proposed_by_id})
    return declaration


def _pending_second_approvals(officer):
    return select(Declaration).where(Declaration.state == S.awaiting_second_approval,
                                     Declaration.office_id.in_(scope.act_office_ids(officer)),
                                     or_(Declaration.proposed_by_id.is_(None),
                                         Declaration.proposed_by_id != officer.id))


def second_approvals(officer, limit=PAGE_SIZE):
    """The proposals over failing checks this officer may approve or return (the office's, a supervisor's
    subtree; not their own), oldest first."""
    if officer.role not in SECOND_APPROVERS:
        return []
    return db.session.scalars(_pending_second_approvals(officer)
                              .order_by(Declaration.updated_at, Declaration.id).limit(limit)).all()


def count_second_approvals(officer, cap=99):
    """How many proposals wait for this officer's second approval (capped: the menu shows "99+")."""
    if officer.role not in SECOND_APPROVERS:
        return 0
    capped = _pending_second_approvals(officer).with_only_columns(Declaration.id).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped))


def reject(officer, declaration_id, version_id, code, free_text=""):
    """Reject with a reason from the catalogue; the citizen is told why and what to do next."""
    if code not in rejection_reasons.REASONS:
        raise DomainError("Hãy chọn lý do từ chối trong danh mục.", field="code")
    if code == "OTHER" and len(free_text.strip()) < 10:
        raise DomainError("Lý do khác: hãy ghi rõ lý do cho công dân (ít nhất 10 ký tự).", field="free_text")
    declaration = _owned(officer, declaration_id, version_id, waiting_too=True)
    _reject(declaration, code, free_text, actor=officer)
    return declaration


def _reject(declaration, code, free_text="", actor=None):
    """Record the rejection and tell the citizen why and what to do next; `actor` None is the system (no-show)."""
    reason, next_step = rejection_reasons.citizen_wording(code, free_text)
    declaration.rejection_code, declaration.rejection_text = code, reason
    if actor is None:
        declaration.state, declaration.decided_at = S.rejected, utcnow()
        _flush()
        audit.record("declaration_rejected", actor_label="system", object_type="declaration",
                     object_id=declaration.id, office_id=declaration.office_id, details={"code": code})
    else:
        _decided(actor, declaration, S.rejected, "declaration_rejected", code=code)
    notifications.notify("declaration_rejected", case_type=CASE_TYPE, case_id=declaration.id,
                         office_id=declaration.office_id, phone=declaration.phone, email=declaration.email,
                         actor=actor, context={**_message_context(declaration), "reason": reason,
                                               "next_step": next_step})


AWAIT_WORKING_DAYS = 10  # working days the citizen has to bring or send what was asked for
EXTEND_WORKING_DAYS = 5  # one extension, this many working days after the current deadline
AWAITING_REASONS = {
    "counter_visit": "Mang căn cước gốc đến bộ phận một cửa để đối chiếu và ký tờ khai.",
    "reupload_id_front": "Chụp lại mặt trước căn cước rõ nét và gửi lại trên VssID.",
    "reupload_id_back": "Chụp lại mặt sau căn cước rõ nét và gửi lại trên VssID.",
    "reupload_portrait": "Chụp lại ảnh chân dung rõ mặt và gửi lại trên VssID.",
    "reupload_birth_certificate": "Chụp lại giấy khai sinh rõ nét và gửi lại trên VssID.",
}


def await_citizen(officer, declaration_id, version_id, reason_code):
    """Wait for the counter visit or a re-upload of one named document; the citizen is told what is needed and by
    when (AWAIT_WORKING_DAYS working days, a local date)."""
    if reason_code not in AWAITING_REASONS:
        raise DomainError("Hãy chọn việc công dân cần làm.", field="reason_code")
    declaration = _owned(officer, declaration_id, version_id)
    declaration.state, declaration.awaiting_reason = S.awaiting_citizen, reason_code
    declaration.claimed_by_id = None
    declaration.due_on = local_date(add_working_days(now(), AWAIT_WORKING_DAYS))
    declaration.deadline_extended, declaration.returned_at, declaration.returned_note = False, None, None
    _flush()
    audit.record("declaration_awaiting_citizen", actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id, details={"reason": reason_code,
                                                           "due_on": declaration.due_on.isoformat()})
    tell_what_is_awaited(officer, declaration)
    return declaration


def tell_what_is_awaited(officer, declaration):
    """The SMS and email naming what the citizen must bring or send and the deadline (its local date)."""
    office = db.session.get(Office, declaration.office_id)
    notifications.notify("declaration_awaiting_citizen", case_type=CASE_TYPE, case_id=declaration.id,
                         office_id=declaration.office_id, phone=declaration.phone, email=declaration.email,
                         actor=officer, context={**_message_context(declaration),
                                                 "what_needed": AWAITING_REASONS[declaration.awaiting_reason],
                                                 "office_address": office.address,
                                                 "due_date": declaration.due_on.isoformat()})


notifications.register_credential_issuer(CASE_TYPE, accounts.reissue_for_declaration)
# Who reads and acts on declarations, their photos and their messages (the desk's roles, DESIGN.md §3).
scope.register_case_type(
    CASE_TYPE, Declaration, read={Role.reception_officer, Role.supervisor},
    act={Role.reception_officer, Role.supervisor},
    subject=DepartmentCode.TIEP_NHAN,
    files=lambda stored_file_id: select(DeclarationDocument.declaration_id)
    .where(DeclarationDocument.stored_file_id == stored_file_id).limit(1))
