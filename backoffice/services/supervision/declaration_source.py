"""The declarations domain as supervision reads it (through its public API and its models)."""
from sqlalchemy import cast, false, null, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB

from backoffice.extensions import db
from backoffice.models import AuditEntry, Declaration, DeclarationDocument
from backoffice.models.declaration import OPEN_PREDICATE
from backoffice.services import declarations
from backoffice.services.declarations import evidence as check_evidence
from backoffice.services.declarations.intake import normalise_reference
from backoffice.services.declarations.labels import CHANNEL_LABELS, DOCUMENT_LABELS, KIND_LABELS, STATE_LABELS
from backoffice.services.declarations.reasons import REASONS
from backoffice.services.supervision.sources import CitizenCase, Decision, DecisionSource
from backoffice.web.catalogue import lazy_gettext as _l

CHECK_STATUS = {"pass": _l("Đạt"), "warn": _l("Lưu ý"), "fail": _l("Không đạt")}


def failing(checks):
    """True when a snapshot of checks holds a failing one."""
    return any(check.get("status") == "fail" for check in checks or [])


class DeclarationSource(DecisionSource):
    """Tờ khai Mẫu 01: approvals (incl. second approvals) and rejections at the reception desk."""

    case_type = declarations.CASE_TYPE
    label = _l("Tờ khai")
    department = "TIEP_NHAN"
    decision_actions = {"declaration_approved": "approved", "declaration_rejected": "rejected"}
    received_actions = frozenset({"declaration_submitted"})
    handling_actions = frozenset({"declaration_claimed", "declaration_approved", "declaration_rejected",
                                  "declaration_override_proposed", "declaration_awaiting_citizen",
                                  "declaration_printed", "declaration_released"})
    self_approval_actions = frozenset({"declaration_self_approval_refused"})
    view_actions = frozenset({"declaration_contact_viewed", "declaration_printed"})
    case_endpoint, case_id_arg = "declarations.review", "declaration_id"
    state_labels = {state.value: label for state, label in STATE_LABELS.items()}
    reason_key = "code"
    model = Declaration

    def failing_condition(self):
        # the snapshot of the checks the officer saw, stored with the decision entry
        return cast(AuditEntry.details, JSONB)["checks_seen"].contains([{"status": "fail"}])

    def decisions(self, entries):
        ids = {int(entry.object_id) for entry in entries}
        rows = {row.id: row for row in db.session.execute(
            select(Declaration.id, Declaration.claimed_at, Declaration.submitted_at, Declaration.kind)
            .where(Declaration.id.in_(ids)))}
        found = []
        for entry in entries:
            row = rows.get(int(entry.object_id))
            if row is None or entry.actor_id is None:
                continue
            details = entry.details or {}
            second = bool(details.get("second_approval"))
            found.append(Decision(
                case_type=self.case_type, case_id=row.id, audit_entry_id=entry.id, office_id=entry.office_id,
                department=self.department, officer_id=details.get("proposed_by") or entry.actor_id if second
                else entry.actor_id, checker_id=entry.actor_id if second else None,
                outcome=self.decision_actions[entry.action], decided_at=entry.at,
                opened_at=None if second else row.claimed_at, received_at=row.submitted_at,
                failing_seen=failing(details.get("checks_seen")), reason_code=details.get("code"),
                subtype=str(row.kind.value)))
        return found

    def outcome_choices(self):
        return [("approved", _l("Phê duyệt")), ("rejected", _l("Từ chối"))]

    def reason_choices(self):
        """(code, label) of the rejection reasons a re-reviewer may name."""
        return [(code, reason.label) for code, reason in REASONS.items()]

    def blind_case(self, case_id, entry):
        declaration = db.session.get(Declaration, case_id)
        fields = [(_l("Loại"), f"{KIND_LABELS[declaration.kind]} · {CHANNEL_LABELS[declaration.channel]}"),
                  (_l("Mã số BHXH"), declaration.social_insurance_number), (_l("Số điện thoại"), declaration.phone),
                  (_l("Email"), declaration.email or "—")]
        checks = [{"title": check.get("title", check.get("code")), "status": check.get("status"),
                   "status_label": CHECK_STATUS.get(check.get("status"), check.get("status")),
                   "lines": check_evidence.lines(check.get("evidence")),
                   "rows": check_evidence.field_rows(check.get("evidence"))}
                  for check in (entry.details or {}).get("checks_seen") or []]
        return {"fields": fields, "compare": declarations.side_by_side(declaration), "checks": checks,
                "documents": [(doc.stored_file.key, DOCUMENT_LABELS[doc.kind]) for doc in declaration.documents],
                "submitted_at": declaration.submitted_at}

    def _cases(self, condition):
        rows = db.session.execute(select(Declaration.id, Declaration.office_id, Declaration.reference,
                                         Declaration.social_insurance_number).where(condition)).all()
        files = {}
        for declaration_id, file_id in db.session.execute(
                select(DeclarationDocument.declaration_id, DeclarationDocument.stored_file_id)
                .where(DeclarationDocument.declaration_id.in_([row.id for row in rows]))):
            files.setdefault(declaration_id, []).append(file_id)
        return [CitizenCase(self.case_type, row.id, row.office_id, row.reference, row.social_insurance_number,
                            tuple(files.get(row.id, ()))) for row in rows]

    def cases(self, case_ids):
        return self._cases(Declaration.id.in_(case_ids))

    def holders(self, case_ids):
        d = Declaration
        return {row.id: {o for o in (row.claimed_by_id, row.decided_by_id, row.proposed_by_id) if o}
                for row in db.session.execute(select(d.id, d.claimed_by_id, d.decided_by_id, d.proposed_by_id)
                                              .where(d.id.in_(case_ids)))}

    def cases_for_citizen(self, social_insurance_number=None, id_number=None):
        conditions = ([Declaration.social_insurance_number == social_insurance_number]
                      if social_insurance_number else []) + ([Declaration.id_number == id_number] if id_number else [])
        return self._cases(or_(*conditions)) if conditions else []

    def cases_for_files(self, file_ids):
        owners = dict(db.session.execute(select(DeclarationDocument.stored_file_id, DeclarationDocument.declaration_id)
                                          .where(DeclarationDocument.stored_file_id.in_(file_ids))).all())
        cases = {case.case_id: case for case in self._cases(Declaration.id.in_(set(owners.values())))}
        return {file_id: cases[case_id] for file_id, case_id in owners.items() if case_id in cases}

    def citizen_cases(self, citizens):
        found = {}
        for case_id, citizen in db.session.execute(select(Declaration.id, Declaration.social_insurance_number)
                                                   .where(Declaration.social_insurance_number.in_(citizens))):
            found.setdefault(citizen, []).append(case_id)
        return found

    def contacts(self, case_ids):
        return {row.id: (row.social_insurance_number, row.phone, row.email) for row in db.session.execute(
            select(Declaration.id, Declaration.social_insurance_number, Declaration.phone, Declaration.email)
            .where(Declaration.id.in_(case_ids)))}

    def backlog(self):
        return db.session.execute(select(Declaration.office_id, Declaration.submitted_at)
                                  .where(text(OPEN_PREDICATE))).all()

    def open_cases(self, office_ids, received_after, received_before, limit, department=None, deadline=None,
                   now=None):
        if deadline or (department and not self.in_department(department)):
            return []  # a declaration keeps no stored deadline (its clock is the desk's, not the snapshot's)
        query = select(Declaration.id, Declaration.reference, Declaration.office_id, Declaration.submitted_at,
                       Declaration.state, null(), null(), false()).where(text(OPEN_PREDICATE),
                                                                        Declaration.office_id.in_(office_ids))
        if received_after is not None:
            query = query.where(Declaration.submitted_at >= received_after)
        if received_before is not None:
            query = query.where(Declaration.submitted_at < received_before)
        return db.session.execute(query.order_by(Declaration.submitted_at, Declaration.id).limit(limit)).all()

    def by_reference(self, reference):
        return db.session.scalar(select(Declaration.id).where(Declaration.reference == normalise_reference(reference)))

    def references(self, case_ids):
        return dict(db.session.execute(select(Declaration.id, Declaration.reference)
                                       .where(Declaration.id.in_(case_ids))).all())

    def identities(self, case_ids):
        return {row.id: (row.reference, row.social_insurance_number, row.id_number, row.phone)
                for row in db.session.execute(select(Declaration.id, Declaration.reference,
                                                     Declaration.social_insurance_number, Declaration.id_number,
                                                     Declaration.phone).where(Declaration.id.in_(case_ids)))}
