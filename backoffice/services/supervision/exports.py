"""Exports of any filtered list (decisions, the audit log, flags, re-review results): CSV streamed with a UTF-8
BOM so Excel reads Vietnamese, and XLSX (openpyxl, write-only). ID and phone numbers are masked unless the
supervisor asks for the full values with a reason, which is audited. Over 100,000 rows an export is a job whose
file is offered when ready, with its progress.
"""
import csv
import io

from openpyxl import Workbook
from sqlalchemy import and_, false, func, or_, select

from backoffice.extensions import db
from backoffice.jobs import enqueue
from backoffice.masking import mask_id, mask_phone
from backoffice.models import AuditEntry, Office, Officer
from backoffice.models.base import utcnow
from backoffice.models.supervision import ExportJob, ReviewItem
from backoffice.services import DomainError, NotFound, complaints, reissue
from backoffice.services.casework import cases, queue, sla
from backoffice.services.casework.sla import DUE_LABELS
from backoffice.services.complaints import catalogue as complaint_catalogue
from backoffice.services.complaints import labels as complaint_labels
from backoffice.services.platform import audit, scope
from backoffice.services.platform import labels as platform_labels
from backoffice.services.platform.calendar import BUSINESS_TZ
from backoffice.services.reissue import catalogue as reissue_catalogue
from backoffice.services.reissue import labels as reissue_labels
from backoffice.services.supervision import auditlog, flags, rollups, sampling
from backoffice.services.supervision.filters import ListFilters, narrowed
from backoffice.services.supervision.labels import (
    FLAG_STATUS_LABELS,
    FOLLOW_UP_LABELS,
    OUTCOME_LABELS,
    RULE_LABELS,
    category_label,
)
from backoffice.services.supervision.reach import reach
from backoffice.services.supervision.sources import SOURCES, decision_actions
from backoffice.web.catalogue import lazy_gettext as _l

JOB_THRESHOLD = 100_000
PAGE_SIZE = 50  # rows of a list page
BATCH = 1000
BOM = "\ufeff"
KINDS = ("decisions", "received", "audit", "flags", "review", "open", "reissue_queue", "complaint_queue")
ANY_CATEGORY = "all"  # the `category` filter's value for complaints received with any category
CHANNEL_WORDS = {**platform_labels.CHANNEL_LABELS, **complaint_labels.CHANNEL_LABELS}  # a receipt with no officer
FORMATS = ("csv", "xlsx")
BUILD_JOB = "backoffice.tasks.supervision.build_export"


def local_time(moment):
    """dd/mm/yyyy HH:MM:SS in Vietnam time."""
    return moment.astimezone(BUSINESS_TZ).strftime("%d/%m/%Y %H:%M:%S") if moment else ""


# ---- decisions -------------------------------------------------------------------------------------------------

DECISION_COLUMNS = (_l("Thời điểm"), _l("Loại hồ sơ"), _l("Mã hồ sơ"), _l("Kết luận"), _l("Cán bộ"), _l("Cơ quan"),
                    _l("Mã số BHXH"), _l("Số giấy tờ"), _l("Số điện thoại"))


def _departments(scope, filters):
    """The departments a list is limited to: the officer's subject and the one chosen (both, if both)."""
    return {code for code in (scope.department, filters.department) if code}


def _decisions_query(officer, filters):
    """The decision entries of the officer's reach matching the filters, each counted in the department of its case
    (the dashboard's department rows): case type, department, outcome, rejection reason, approvals over a failing
    check."""
    scope = reach(officer)
    departments = _departments(scope, filters)
    chosen = {}
    for action, (source, outcome) in decision_actions().items():
        if (filters.outcome and outcome != filters.outcome or filters.case_type and source.case_type !=
                filters.case_type or filters.reason and (outcome != "rejected" or not source.reason_key)
                or filters.failing and outcome != "approved"
                or any(not source.in_department(code) for code in departments)):
            continue
        chosen.setdefault(source.case_type, (source, []))[1].append(action)
    conditions = []
    for source, actions in chosen.values():
        condition = [AuditEntry.action.in_(actions), *(source.department_condition(code) for code in departments)]
        if filters.reason:
            condition.append(AuditEntry.details[source.reason_key].as_string() == filters.reason)
        if filters.failing:
            failing = source.failing_condition()
            if failing is None:
                continue
            condition.append(failing)
        conditions.append(and_(*condition))
    query = select(AuditEntry).where(or_(*conditions) if conditions else false(),
                                     AuditEntry.office_id.in_(scope.office_ids))
    if scope.officer_id is not None:
        query = query.where(AuditEntry.actor_id == scope.officer_id)
    query = narrowed(query, AuditEntry.at, AuditEntry.office_id, filters)
    if filters.officer:
        query = query.where(AuditEntry.actor == filters.officer.strip().lower())
    return query


def _newest(query, after, limit):
    """One keyset page of a list of audit entries, newest first (`after`: the last id shown)."""
    if after:
        query = query.where(AuditEntry.id < after)
    return db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)).all()


def decision_page(officer, filters, after=None, limit=50, full=False):
    """One keyset page of decisions (newest first): (entry id, row of DECISION_COLUMNS' values, case link)."""
    entries = _newest(_decisions_query(officer, filters), after, limit)
    actions = decision_actions()
    identities = {}
    for case_type in {actions[e.action][0].case_type for e in entries}:
        ids = [int(e.object_id) for e in entries if actions[e.action][0].case_type == case_type]
        identities[case_type] = SOURCES[case_type].identities(ids)
    offices = dict(db.session.execute(select(Office.id, Office.code)).all()) if entries else {}
    rows = []
    for entry in entries:
        source, outcome = actions[entry.action]
        reference, citizen, id_number, phone = identities[source.case_type].get(int(entry.object_id),
                                                                               ("", "", "", ""))
        rows.append((entry.id, (local_time(entry.at), str(source.label), reference, str(OUTCOME_LABELS[outcome]),
                                entry.actor, offices.get(entry.office_id, ""), citizen,
                                _masked(id_number, mask_id, full), _masked(phone, mask_phone, full)),
                     (source.case_endpoint, {source.case_id_arg: int(entry.object_id)})))
    return rows


# ---- cases received --------------------------------------------------------------------------------------------

RECEIVED_COLUMNS = (_l("Thời điểm"), _l("Loại hồ sơ"), _l("Mã hồ sơ"), _l("Lĩnh vực phản ánh"),
                    _l("Chuyển phân loại thủ công"), _l("Cơ quan"), _l("Người tiếp nhận"))


def _route_department(source):
    """The department a receipt counts in by its route: the complaint's, as the intake recorded it, else the
    source's."""
    return func.coalesce(AuditEntry.details["department"].as_string(), source.department)


def _received_query(officer, filters):
    """The "case received" entries behind the dashboard's received numbers. A receipt counts in its source's
    department; filtered by complaint category (or triage), in the department of the complaint's route, as the
    category table counts them. Officers' own figures hold no receipts (a receipt is the office's)."""
    scope = reach(officer)
    departments = _departments(scope, filters)
    by_route = bool(filters.category or filters.triage)
    conditions = []
    for source in SOURCES.values():
        if not source.received_actions or filters.case_type and source.case_type != filters.case_type:
            continue
        condition = [AuditEntry.action.in_(source.received_actions)]
        if by_route:
            condition.append(func.coalesce(AuditEntry.details["category"].as_string(), "") != "")
            condition += [_route_department(source) == code for code in departments]
        elif any(source.department != code for code in departments):
            continue
        conditions.append(and_(*condition))
    query = select(AuditEntry).where(or_(*conditions) if conditions else false(),
                                     AuditEntry.office_id.in_(scope.office_ids))
    if scope.officer_id is not None:
        query = query.where(false())
    query = narrowed(query, AuditEntry.at, AuditEntry.office_id, filters)
    if filters.category and filters.category != ANY_CATEGORY:
        query = query.where(AuditEntry.details["category"].as_string() == filters.category)
    if filters.triage:
        query = query.where(AuditEntry.details["triage"].as_boolean().is_(True))
    return query


def received_page(officer, filters, after=None, limit=50, full=False):
    """One keyset page of the cases received (newest first): (entry id, row of RECEIVED_COLUMNS' values, case link)."""
    entries = _newest(_received_query(officer, filters), after, limit)
    receipts = {action: source for source in SOURCES.values() for action in source.received_actions}
    references = {}
    for case_type in {receipts[e.action].case_type for e in entries}:
        references[case_type] = SOURCES[case_type].references(
            [int(e.object_id) for e in entries if receipts[e.action].case_type == case_type and e.object_id.isdigit()])
    offices = dict(db.session.execute(select(Office.id, Office.code)).all()) if entries else {}
    rows = []
    for entry in entries:
        source, details = receipts[entry.action], entry.details or {}
        case_id = int(entry.object_id) if entry.object_id.isdigit() else None
        rows.append((entry.id, (local_time(entry.at), str(source.label),
                                references[source.case_type].get(case_id, details.get("reference", "")),
                                category_label(details["category"]) if details.get("category") else "",
                                str(_l("Có")) if details.get("triage") else "", offices.get(entry.office_id, ""),
                                entry.actor if entry.actor_id else str(CHANNEL_WORDS.get(entry.actor, entry.actor))),
                     (source.case_endpoint, {source.case_id_arg: case_id})))
    return rows


def _masked(value, mask, full):
    """A number as the list shows it: in full when asked for, else masked; a blank stays blank (not "****")."""
    return (value or "") if full or not value else mask(value)


# ---- the other lists -------------------------------------------------------------------------------------------

AUDIT_COLUMNS = (_l("Thời điểm"), _l("Người thực hiện"), _l("Hành động"), _l("Loại đối tượng"), _l("Mã đối tượng"),
                 _l("Địa chỉ IP"), _l("Chi tiết"))
FLAG_COLUMNS = (_l("Thời điểm"), _l("Cảnh báo"), _l("Cán bộ"), _l("Trạng thái"), _l("Hồ sơ"), _l("Chi tiết"))
REVIEW_COLUMNS = (_l("Hồ sơ"), _l("Nhóm"), _l("Cán bộ quyết định"), _l("Quyết định ban đầu"), _l("Người kiểm tra lại"),
                  _l("Kết luận"), _l("Lý do"), _l("Xử lý tiếp"))


def _audit_rows(officer, filters, after, limit, full):
    entries = auditlog.page(officer, filters, after, limit)
    rows = []
    for entry in entries:
        words, details = auditlog.in_words(entry)
        rows.append((entry.id, (local_time(entry.at), entry.actor, words, entry.object_type, entry.object_id,
                                entry.ip, "; ".join(f"{k}: {v}" for k, v in details)), None))
    return rows


def _flag_rows(officer, filters, after, limit, full):
    found = flags.flags_page(officer, filters.status, filters.rule, after, limit)
    names = flags.officer_names([f.officer_id for f in found if f.officer_id])
    references = {}
    for case_type in {c.case_type for f in found for c in f.cases}:
        references.update({(case_type, k): v for k, v in SOURCES[case_type].references(
            [c.case_id for f in found for c in f.cases if c.case_type == case_type]).items()})
    return [(f.id, (local_time(f.occurred_at), str(RULE_LABELS.get(f.rule, f.rule)), names.get(f.officer_id, ""),
                    str(FLAG_STATUS_LABELS.get(f.status, f.status)),
                    ", ".join(references.get((c.case_type, c.case_id), str(c.case_id)) for c in f.cases),
                    ", ".join(f"{k}: {v}" for k, v in (f.details or {}).items())), None) for f in found]


def _review_rows(officer, filters, after, limit, full):
    if not filters.sample_id:
        raise DomainError("Hãy chọn mẫu kiểm tra lại.")
    sample = sampling.get_sample(officer, filters.sample_id)
    items = [item for item in sample.items if not after or item.id > after][:limit]
    names = flags.officer_names([i.officer_id for i in items] + [v.reviewer_id for i in items for v in i.verdicts])
    references = {}
    for case_type in {i.case_type for i in items}:
        references.update({(case_type, k): v for k, v in SOURCES[case_type].references(
            [i.case_id for i in items if i.case_type == case_type]).items()})
    rows = []
    for item in items:
        for verdict in item.verdicts or [None]:
            rows.append((item.id, (references.get((item.case_type, item.case_id), ""), item.stratum,
                                   names.get(item.officer_id, ""), str(OUTCOME_LABELS[item.original_outcome]),
                                   names.get(verdict.reviewer_id, "") if verdict else "",
                                   str(OUTCOME_LABELS.get(verdict.outcome, "")) if verdict else "",
                                   verdict.reason if verdict else "",
                                   str(FOLLOW_UP_LABELS.get(verdict.follow_up, "")) if verdict and verdict.follow_up
                                   else ""), None))
    return rows


def _decision_rows(officer, filters, after, limit, full):
    return decision_page(officer, filters, after, limit, full)


# ---- department queues -------------------------------------------------------------------------------------------

QUEUE_COLUMNS = (_l("Mã hồ sơ"), _l("Loại"), _l("Người yêu cầu"), _l("Trạng thái"), _l("Nhận lúc"), _l("Hạn"),
                 _l("Tình trạng hạn"), _l("Cán bộ xử lý"))
# kind -> (case type, its departments, kind labels, state labels): the queues a supervisor exports as filtered
QUEUES = {
    "reissue_queue": (reissue.CASES, tuple(dict.fromkeys(reissue_catalogue.DEPARTMENTS.values())),
                      reissue_labels.TYPE_LABELS, reissue_labels.STATE_LABELS),
    "complaint_queue": (complaints.CASES, complaint_catalogue.QUEUES, complaint_labels.KIND_LABELS,
                        complaint_labels.STATE_LABELS),
}


def queue_place(officer, kind, filters):
    """The office and department of the queue an export reads: the office the filters name if the officer may read it
    (else NotFound), the officer's own otherwise; the department named (one of the case type's, else DomainError),
    else the officer's own, else the case type's first."""
    _case_type, departments, _kinds, _states = QUEUES[kind]
    office_id = filters.office_id or officer.office_id
    if not scope.office_readable(officer, office_id):
        raise NotFound("Không có đơn vị này trong phạm vi của bạn.")
    if filters.department and filters.department not in departments:
        raise DomainError("Phòng này không có hàng chờ loại hồ sơ này.", field="department")
    own = officer.department.code if officer.department else ""
    department = next((code for code in (filters.department, own) if code in departments), departments[0])
    return office_id, department


def _queue_filters(filters):
    return queue.QueueFilters(kind=filters.case_kind, state=filters.state, assignee=filters.assignee,
                              due_by=filters.due_by)


def _queue_rows(kind):
    case_type, _departments, kinds, states = QUEUES[kind]

    def fetch(officer, filters, after, limit, _full):
        office_id, department = queue_place(officer, kind, filters)
        rows = queue.department_page(case_type, office_id, department, _queue_filters(filters), after, limit)
        names = dict(cases.department_officers(office_id, department))
        now = utcnow()
        return [(queue.page_key(row), (
            row.reference, str(kinds.get(row.kind, row.kind or "—")), row.full_name or "—",
            str(states.get(row.state, row.state)), local_time(row.received_at), local_time(row.due_at),
            str(DUE_LABELS[sla.status_of(row.closed_at, row.paused, row.due_at, row.due_soon_at, now)]),
            names.get(row.assignee_id, "") if row.assignee_id else ""), None) for row in rows]

    return fetch


# ---- open cases (a backlog or deadline number's list) --------------------------------------------------------------

OPEN_COLUMNS = (_l("Mã hồ sơ"), _l("Loại hồ sơ"), _l("Cơ quan"), _l("Nhận lúc"), _l("Trạng thái"),
                _l("Tình trạng hạn"))


def _open_rows(officer, filters, after, _limit, _full):
    """The open-case list as shown (at most rollups.OPEN_CASES_LIMIT rows, read in one go)."""
    if after is not None:
        return []
    rows = rollups.open_cases(officer, filters.bucket, filters.case_type, filters.office_id,
                              deadline=filters.deadline, department=filters.department)
    names = rollups.office_names({row[3] for row in rows})
    return [(case_id, (reference, str(source.label), names.get(office_id, ""), local_time(received_at),
                       str(source.state_labels.get(state, state)), str(DUE_LABELS[due]) if due else "—"), None)
            for source, case_id, reference, office_id, received_at, state, due in rows]


LISTS = {"decisions": (DECISION_COLUMNS, _decision_rows), "open": (OPEN_COLUMNS, _open_rows),
         "received": (RECEIVED_COLUMNS, received_page),
         "audit": (AUDIT_COLUMNS, _audit_rows),
         "flags": (FLAG_COLUMNS, _flag_rows), "review": (REVIEW_COLUMNS, _review_rows),
         **{kind: (QUEUE_COLUMNS, _queue_rows(kind)) for kind in QUEUES}}
# ids grow in the review list's order and fall in the others' (newest first): the keyset follows
_ASCENDING = {"review"}


def iterate(kind, officer, filters, full=False):
    """Every row of a list, in pages of BATCH (keyset), as tuples of strings."""
    _columns, fetch = LISTS[kind]
    after = None
    while True:
        rows = fetch(officer, filters, after, BATCH, full)
        if not rows:
            return
        for _id, values, _link in rows:
            yield values
        last = rows[-1][0]
        if after == last or len(rows) < BATCH and kind not in _ASCENDING:
            return
        after = last


def estimate(kind, officer, filters, cap=JOB_THRESHOLD + 1):
    """How many rows an export will have, counted up to `cap` (enough to choose streaming or a job)."""
    if kind == "decisions":
        query = _decisions_query(officer, filters)
    elif kind == "received":
        query = _received_query(officer, filters)
    elif kind == "audit":
        query = auditlog.query(officer, filters)
    elif kind == "open":
        return len(_open_rows(officer, filters, None, cap, False))
    elif kind in QUEUES:
        office_id, department = queue_place(officer, kind, filters)
        return queue.department_count(QUEUES[kind][0], office_id, department, _queue_filters(filters), cap)
    elif kind == "flags":
        return min(cap, sum(1 for _ in iterate(kind, officer, filters)))
    else:
        sample = sampling.get_sample(officer, filters.sample_id)
        return db.session.scalar(select(func.count()).select_from(ReviewItem).where(ReviewItem.sample_id == sample.id))
    return db.session.scalar(select(func.count()).select_from(query.with_only_columns(AuditEntry.id).limit(cap)
                                                              .subquery()))


def headers(kind):
    """The column headings of a list, in the reader's language."""
    return [str(label) for label in LISTS[kind][0]]


def check_full_values(officer, kind, full, reason):
    """Full ID and phone numbers need a written reason; the request is audited. Returns whether they are given."""
    if not full:
        return False
    if len((reason or "").strip()) < 10:
        raise DomainError("Hãy ghi lý do cần số đầy đủ (ít nhất 10 ký tự).", field="reason")
    audit.record("export_full_values", actor=officer, object_type="export", object_id=kind,
                 office_id=officer.office_id, details={"kind": kind, "reason": reason.strip()})
    return True


def csv_chunks(kind, officer, filters, full=False):
    """The CSV in chunks (a generator for a streamed response), UTF-8 with a BOM, one chunk per BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(headers(kind))
    count = 0
    for values in iterate(kind, officer, filters, full):
        writer.writerow(values)
        count += 1
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(kind, officer, filters, full=False, progress=None):
    """The XLSX file (openpyxl write-only: rows go out as they come, memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind)
    sheet.append(headers(kind))
    for count, values in enumerate(iterate(kind, officer, filters, full), 1):
        sheet.append(list(values))
        if progress and count % BATCH == 0:
            progress(count)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(kind, officer, filters, full=False, progress=None):
    """The whole CSV as bytes (for a job), reporting progress every BATCH rows."""
    out = io.BytesIO()
    for count, chunk in enumerate(csv_chunks(kind, officer, filters, full), 1):
        out.write(chunk.encode("utf-8"))
        if progress:
            progress(count * BATCH)
    return out.getvalue()


def start_job(officer, kind, file_format, filters, full, expected):
    """Queue a large export as a job (audited); its page shows the progress and then the download."""
    job = ExportJob(requested_by_id=officer.id, kind=kind, file_format=file_format, params=filters.to_json(),
                    full_values=full, rows_expected=expected)
    db.session.add(job)
    db.session.flush()
    audit.record("export_requested", actor=officer, object_type="export", object_id=job.id,
                 office_id=officer.office_id, details={"kind": kind, "format": file_format, "full_values": full})
    enqueue(BUILD_JOB, job.id)
    return job


def build(job, officer, progress):
    """Build a job's file; returns its bytes (the task stores them)."""
    filters = ListFilters.from_json(job.params)
    make = xlsx_bytes if job.file_format == "xlsx" else csv_bytes
    return make(job.kind, officer, filters, job.full_values, progress)


def get_job(officer, job_id):
    """An export job of this officer's (else NotFound)."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.requested_by_id != officer.id:
        raise NotFound("Không tìm thấy tệp xuất.")
    return job


def officer_of(job):
    """The officer who asked for the export."""
    return db.session.get(Officer, job.requested_by_id)


def csv_stream(kind, officer_id, filters, full=False):
    """`csv_chunks` for a streamed response: the request's session is gone once streaming starts, so the officer is
    read again in the session the stream opens."""
    yield from csv_chunks(kind, db.session.get(Officer, officer_id), filters, full)


def flag_filters_choices():
    """(value, label) of flag statuses and rules, for the filter bar."""
    return ([("", _l("Mọi trạng thái"))] + list(FLAG_STATUS_LABELS.items()),
            [("", _l("Mọi loại"))] + list(RULE_LABELS.items()))

