"""Reissue requests and complaint answers as supervision reads them (their models and public labels, read only).

Both domains keep their cases on the casework core's columns (office, department, received, closed), so the lookups
the access report, the flags and the exports need are shared here; each adapter adds its decisions and its blind
snapshot. A reissue decision counts in the stratum of its type ("reissue.bhyt_card", ...), so a sample draws per
reissue type; a payout change is a risk stratum of its own.
"""
from sqlalchemy import cast, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from backoffice.extensions import db
from backoffice.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintDraft,
    DepartmentCode,
    ReissueDocument,
    ReissueRequest,
    ReissueType,
)
from backoffice.services.complaints import labels as complaint_labels
from backoffice.services.complaints.workflow import SELF_APPROVAL_REFUSED as COMPLAINT_SELF_APPROVAL
from backoffice.services.platform.references import normalise_reference
from backoffice.services.reissue import labels as reissue_labels
from backoffice.services.reissue.workflow import SELF_APPROVAL_REFUSED as REISSUE_SELF_APPROVAL
from backoffice.services.supervision.declaration_source import CHECK_STATUS, failing
from backoffice.services.supervision.sources import CitizenCase, Decision, DecisionSource
from backoffice.web.catalogue import lazy_gettext as _l


def _evidence_lines(evidence):
    """(label, text) pairs of a check's stored evidence (the names are the check's own; lists joined)."""
    return [(key, ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value))
            for key, value in (evidence or {}).items() if value not in (None, "", [], {})]


def blind_checks(checks):
    """A stored list of checks as the blind page shows it (title, status, evidence lines)."""
    return [{"title": check.get("title", check.get("code")), "status": check.get("status"),
             "status_label": CHECK_STATUS.get(check.get("status"), check.get("status")),
             "lines": _evidence_lines(check.get("evidence")), "rows": []} for check in checks or []]


class CaseworkSource(DecisionSource):
    """The lookups shared by the domains on the casework core (model with reference, citizen, phone, email)."""

    model = None
    document_model = None
    document_case = ""  # the document model's case id column

    def _documents(self, ids):
        files = {}
        column = getattr(self.document_model, self.document_case)
        for case_id, file_id in db.session.execute(select(column, self.document_model.stored_file_id)
                                                   .where(column.in_(ids))):
            files.setdefault(case_id, []).append(file_id)
        return files

    def _cases(self, condition):
        m = self.model
        rows = db.session.execute(select(m.id, m.office_id, m.reference, m.social_insurance_number)
                                  .where(condition)).all()
        files = self._documents([row.id for row in rows])
        return [CitizenCase(self.case_type, row.id, row.office_id, row.reference, row.social_insurance_number or "",
                            tuple(files.get(row.id, ()))) for row in rows]

    def cases(self, case_ids):
        return self._cases(self.model.id.in_(case_ids))

    def holders(self, case_ids):
        m = self.model
        decided = getattr(m, "decided_by_id", None)
        columns = [m.id, m.assignee_id] + ([decided] if decided is not None else [])
        return {row[0]: {officer_id for officer_id in row[1:] if officer_id}
                for row in db.session.execute(select(*columns).where(m.id.in_(case_ids)))}

    def cases_for_citizen(self, social_insurance_number=None, id_number=None):
        m = self.model
        conditions = ([m.social_insurance_number == social_insurance_number] if social_insurance_number else []) + (
            [m.id_number == id_number] if id_number and hasattr(m, "id_number") else [])
        return self._cases(or_(*conditions)) if conditions else []

    def cases_for_files(self, file_ids):
        column = getattr(self.document_model, self.document_case)
        owners = dict(db.session.execute(select(self.document_model.stored_file_id, column)
                                         .where(self.document_model.stored_file_id.in_(file_ids))).all())
        cases = {case.case_id: case for case in self._cases(self.model.id.in_(set(owners.values())))}
        return {file_id: cases[case_id] for file_id, case_id in owners.items() if case_id in cases}

    def citizen_cases(self, citizens):
        found = {}
        for case_id, citizen in db.session.execute(select(self.model.id, self.model.social_insurance_number)
                                                   .where(self.model.social_insurance_number.in_(citizens))):
            found.setdefault(citizen, []).append(case_id)
        return found

    def contacts(self, case_ids):
        m = self.model
        return {row.id: (row.social_insurance_number or "", row.phone, row.email) for row in db.session.execute(
            select(m.id, m.social_insurance_number, m.phone, m.email).where(m.id.in_(case_ids)))}

    def backlog(self):
        m = self.model
        return db.session.execute(select(m.office_id, m.received_at, m.department_code)
                                  .where(m.closed_at.is_(None))).all()

    def deadlines(self):
        m = self.model
        return db.session.execute(select(m.office_id, m.department_code, m.due_at, m.due_soon_at).where(
            m.closed_at.is_(None), m.due_at.is_not(None))).all()

    def failing_condition(self):
        checks = getattr(self.model, "checks", None)  # complaints have no checks: never over a failing one
        return None if checks is None else self.entry_case_is(cast(checks, JSONB).contains([{"status": "fail"}]))

    def open_cases(self, office_ids, received_after, received_before, limit, department=None, deadline=None,
                   now=None):
        m = self.model
        query = select(m.id, m.reference, m.office_id, m.received_at, m.state, m.due_at, m.due_soon_at,
                       m.paused).where(m.closed_at.is_(None), m.office_id.in_(office_ids))
        if department:
            query = query.where(m.department_code == department)
        if received_after is not None:
            query = query.where(m.received_at >= received_after)
        if received_before is not None:
            query = query.where(m.received_at < received_before)
        if deadline == "overdue":  # the rows the SLA badge calls overdue or due soon (the caller applies it)
            query = query.where(m.due_at <= now).order_by(m.due_at, m.id)
        elif deadline == "due_soon":
            query = query.where(m.due_soon_at <= now, m.due_at > now).order_by(m.due_at, m.id)
        return db.session.execute(query.order_by(m.received_at, m.id).limit(limit)).all()

    def by_reference(self, reference):
        return db.session.scalar(select(self.model.id).where(self.model.reference == normalise_reference(reference)))

    def references(self, case_ids):
        return dict(db.session.execute(select(self.model.id, self.model.reference)
                                       .where(self.model.id.in_(case_ids))).all())

    def identities(self, case_ids):
        m = self.model
        id_number = getattr(m, "id_number", None)
        columns = [m.id, m.reference, m.social_insurance_number, m.phone] + ([id_number] if id_number is not None
                                                                            else [])
        return {row[0]: (row[1], row[2] or "", (row[4] or "") if len(row) > 4 else "", row[3])
                for row in db.session.execute(select(*columns).where(m.id.in_(case_ids)))}


# Reissue: the decisions are the states that settle a request (issued, shipped, sent to the new office, the
# second approval of a payout change) and the rejections. A request completed after the post returned it was decided
# when it was shipped, so that entry does not count twice.
REISSUE_DECISIONS = {"reissue_completed": "approved", "reissue_shipped": "approved",
                     "reissue_awaiting_destination": "approved", "reissue_cooling_off": "approved",
                     "reissue_rejected": "rejected"}


class ReissueSource(CaseworkSource):
    """The four reissue services (thẻ BHYT, sổ BHXH, chuyển nơi hưởng, thay đổi hình thức lĩnh)."""

    case_type = "reissue"
    label = _l("Yêu cầu cấp lại, chuyển, thay đổi")
    department = DepartmentCode.THU_SO_THE.value
    departments = frozenset({DepartmentCode.THU_SO_THE.value, DepartmentCode.CS_BHXH.value})
    decision_actions = REISSUE_DECISIONS
    received_actions = frozenset({"reissue_received"})
    handling_actions = frozenset({"reissue_assigned", "reissue_processing", "reissue_identity_confirmed",
                                  "reissue_awaiting_citizen", "reissue_awaiting_second_approval", "reissue_printed",
                                  *REISSUE_DECISIONS})
    view_actions = frozenset({"reissue_viewed", "reissue_printed"})
    self_approval_actions = frozenset({REISSUE_SELF_APPROVAL})
    case_endpoint, case_id_arg = "reissue.show", "request_id"
    reason_key = "reason"  # the casework core records a transition's reason code under "reason"
    model, document_model, document_case = ReissueRequest, ReissueDocument, "request_id"
    state_labels = {state.value: label for state, label in reissue_labels.STATE_LABELS.items()}
    type_labels = {f"reissue.{kind.value}": label for kind, label in reissue_labels.TYPE_LABELS.items()}

    def decisions(self, entries):
        ids = {int(entry.object_id) for entry in entries}
        rows = {row.id: row for row in db.session.execute(
            select(ReissueRequest.id, ReissueRequest.kind, ReissueRequest.received_at, ReissueRequest.checks,
                   ReissueRequest.proposed_by_id, ReissueRequest.department_code)
            .where(ReissueRequest.id.in_(ids)))}
        found = []
        for entry in entries:
            row = rows.get(int(entry.object_id))
            details = entry.details or {}
            if row is None or entry.actor_id is None or (entry.action == "reissue_completed"
                                                         and details.get("from") == "returned"):
                continue
            second = entry.action == "reissue_cooling_off" and row.proposed_by_id is not None
            kind = ReissueType(row.kind)
            found.append(Decision(
                case_type=self.case_type, case_id=row.id, audit_entry_id=entry.id, office_id=entry.office_id,
                department=row.department_code, officer_id=row.proposed_by_id if second else entry.actor_id,
                checker_id=entry.actor_id if second else None, outcome=self.decision_actions[entry.action],
                decided_at=entry.at, opened_at=None, received_at=row.received_at, failing_seen=failing(row.checks),
                reason_code=details.get("reason") if entry.action == "reissue_rejected" else None,
                subtype=kind.value, stratum_type=f"reissue.{kind.value}",
                risks=frozenset({"payout_change"}) if kind == ReissueType.payout_change else frozenset()))
        return found

    def outcome_choices(self):
        return [("approved", _l("Giải quyết (cấp, gửi, chuyển, phê duyệt)")), ("rejected", _l("Từ chối"))]

    def blind_case(self, case_id, entry):
        request = db.session.get(ReissueRequest, case_id)
        kind = ReissueType(request.kind)
        values = reissue_labels.VALUE_LABELS
        fields = [(_l("Loại"), reissue_labels.TYPE_LABELS[kind]), (_l("Mã số BHXH"), request.social_insurance_number),
                  (_l("Họ và tên"), request.full_name), (_l("Ngày sinh"), f"{request.date_of_birth:%d/%m/%Y}"),
                  (_l("Số điện thoại"), request.phone), (_l("Email"), request.email or "—")]
        fields += [(reissue_labels.PAYLOAD_LABELS.get(key, key), values.get(value, value) if isinstance(value, str)
                    else value) for key, value in (request.payload or {}).items() if value not in (None, "")]
        return {"fields": fields, "compare": None, "checks": blind_checks(request.checks),
                "documents": [(doc.stored_file.key, reissue_labels.DOCUMENT_LABELS.get(doc.kind, doc.kind))
                              for doc in request.documents], "submitted_at": request.received_at}


class ComplaintSource(CaseworkSource):
    """Complaint answers: the head's approval of the answer an officer drafted (the officer is the draft's author)."""

    case_type = "complaint"
    label = _l("Trả lời phản ánh, khiếu nại")
    department = DepartmentCode.TIEP_NHAN.value
    departments = frozenset(code.value for code in DepartmentCode)
    decision_actions = {"complaint_approved": "approved"}
    received_actions = frozenset({"complaint_received"})
    handling_actions = frozenset({"complaint_assigned", "complaint_answered", "complaint_approved",
                                  "complaint_letter_printed", "complaint_consulting"})
    view_actions = frozenset({"complaint_viewed", "complaint_letter_printed"})
    self_approval_actions = frozenset({COMPLAINT_SELF_APPROVAL})
    case_endpoint, case_id_arg = "complaints.show", "complaint_id"
    state_labels = {str(state): label for state, label in complaint_labels.STATE_LABELS.items()}
    model, document_model, document_case = Complaint, ComplaintAttachment, "complaint_id"

    def decisions(self, entries):
        ids = {int(entry.object_id) for entry in entries}
        rows = {row.id: row for row in db.session.execute(
            select(Complaint.id, Complaint.received_at, Complaint.department_code, Complaint.category)
            .where(Complaint.id.in_(ids)))}
        authors = {(d.complaint_id, d.version): d.author_id for d in db.session.execute(
            select(ComplaintDraft.complaint_id, ComplaintDraft.version, ComplaintDraft.author_id)
            .where(ComplaintDraft.complaint_id.in_(ids)))}
        found = []
        for entry in entries:
            row = rows.get(int(entry.object_id))
            author = authors.get((int(entry.object_id), (entry.details or {}).get("draft_version")))
            if row is None or entry.actor_id is None or author is None:
                continue
            found.append(Decision(
                case_type=self.case_type, case_id=row.id, audit_entry_id=entry.id, office_id=entry.office_id,
                department=row.department_code, officer_id=author, checker_id=entry.actor_id, outcome="approved",
                decided_at=entry.at, opened_at=None, received_at=row.received_at, failing_seen=False,
                subtype=row.category or ""))
        return found

    def outcome_choices(self):
        return [("approved", _l("Văn bản trả lời đúng, đủ")), ("rejected", _l("Văn bản trả lời cần sửa"))]

    def blind_case(self, case_id, entry):
        complaint = db.session.get(Complaint, case_id)
        version = (entry.details or {}).get("draft_version")
        draft = next((d for d in complaint.drafts if d.version == version), None)
        fields = [(_l("Mã số BHXH"), complaint.social_insurance_number or "—"),
                  (_l("Họ và tên"), complaint.full_name or "—"), (_l("Số điện thoại"), complaint.phone),
                  (_l("Nội dung phản ánh"), complaint.text)]
        fields += [(_l("Trả lời của đơn vị được hỏi ý kiến"), consult.answer)
                   for consult in complaint.consults if consult.answer and consult.answered_at
                   and consult.answered_at <= entry.at]
        if draft is not None:
            fields.append((_l("Văn bản trả lời trình duyệt"), draft.body))
        return {"fields": fields, "compare": None, "checks": [],
                "documents": [(a.stored_file.key, _l("Tệp đính kèm")) for a in complaint.attachments],
                "submitted_at": complaint.received_at}
