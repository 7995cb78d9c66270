"""What the citizen and the officers are told about a complaint (outbox, DESIGN.md §7).

The receiving office answers to the end: no message ever sends the citizen to another office (seed 003 §5; a test
greps every citizen-facing template and message for such wording).
"""
from flask import current_app

from backoffice.extensions import db
from backoffice.models import ComplaintState, Office
from backoffice.services import notifications
from backoffice.services.platform import calendar

CASE_TYPE = "complaint"
S = ComplaintState
STATUS_NAMES = {S.received: "Đã tiếp nhận", S.accepted: "Đã thụ lý", S.assigned: "Đang giải quyết",
                S.answered: "Đang giải quyết", S.approved: "Đã có văn bản trả lời", S.closed: "Đã giải quyết xong",
                S.rejected_as_invalid: "Không đủ điều kiện xử lý", S.consulting: "Đang giải quyết",
                S.reopened: "Đã mở lại để giải quyết tiếp"}
# Internal steps: the citizen hears nothing new from them.
SILENT = frozenset({S.assigned, S.answered, S.consulting, S.approved, S.closed})


def _due(complaint):
    return calendar.local_date(complaint.due_at).strftime("%d/%m/%Y") if complaint.due_at else ""


def status_changed(complaint, actor, detail=""):
    """Tell the citizen the complaint's new state (nothing for the office's internal steps)."""
    if complaint.state in SILENT:
        return []
    office = db.session.get(Office, complaint.office_id)
    if not detail and complaint.due_at and complaint.state in (S.received, S.accepted, S.reopened):
        detail = f"Thời hạn giải quyết dự kiến: {_due(complaint)}."
    return notifications.notify(
        "complaint_status_changed", case_type=CASE_TYPE, case_id=complaint.id, office_id=complaint.office_id,
        phone=complaint.phone, email=complaint.email, actor=actor,
        context={"full_name": complaint.full_name or "Ông/Bà", "reference": complaint.reference,
                 "office_name": office.name, "status_label": STATUS_NAMES[S(complaint.state)], "detail": detail})


def answered(complaint, actor):
    """The approved answer: in full by email, a short notice with the reference by SMS."""
    office = db.session.get(Office, complaint.office_id)
    return notifications.notify(
        "complaint_answered", case_type=CASE_TYPE, case_id=complaint.id, office_id=complaint.office_id,
        phone=complaint.phone, email=complaint.email, actor=actor,
        context={"full_name": complaint.full_name or "Ông/Bà", "reference": complaint.reference,
                 "office_name": office.name, "answer": complaint.answer_text})


def tell_officers(officers, complaint, title, body):
    """An internal email (officer_notice) about one complaint to each officer with an address."""
    link = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + f"/complaints/{complaint.id}"
    sent = []
    for officer in officers:
        if officer.email:
            sent += notifications.notify("officer_notice", case_type=CASE_TYPE, case_id=complaint.id,
                                         office_id=complaint.office_id, email=officer.email,
                                         context={"officer_name": officer.full_name, "title": title,
                                                  "body": f"Phản ánh {complaint.reference}: {body}", "link": link})
    return sent
