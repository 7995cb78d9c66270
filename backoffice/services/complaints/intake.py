"""Receiving a complaint: validation, routing by the text, the reference, the clock (DESIGN.md §4.3).

The same function serves the API (channel vssid_app / portal) and the officer recording one received at the
counter, by phone or on paper. Low-confidence routes go to the triage queue of the office's reception head.
"""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Complaint, ComplaintAttachment, ComplaintState, Office
from backoffice.services import DomainError, notifications
from backoffice.services.casework import cases
from backoffice.services.complaints import catalogue, notices, routing
from backoffice.services.complaints.dataset import CATEGORIES
from backoffice.services.platform import citizen_fields, references

CHANNELS = ("vssid_app", "portal", "counter", "phone", "paper")
OFFICER_CHANNELS = ("counter", "phone", "paper")
REFERENCE_PREFIX = "P"
SIN = citizen_fields.SOCIAL_INSURANCE_NUMBER
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_FILES = 5


def new_reference():
    """A short unguessable reference: P + 9 Crockford base32 characters."""
    return references.new_reference(Complaint, REFERENCE_PREFIX)


def clean(data):
    """Validated fields of a complaint, or DomainError naming the first bad field."""
    text = routing.check_text(data.get("text"))
    hint = data.get("topic") or None
    if hint is not None and hint not in CATEGORIES:
        raise DomainError("Chủ đề không hợp lệ.", field="topic")
    sin = (data.get("social_insurance_number") or "").strip() or None
    if sin is not None and not SIN.match(sin):
        raise DomainError("Mã số BHXH gồm 10 chữ số.", field="social_insurance_number")
    if not str(data.get("phone") or "").strip():
        raise DomainError("Nhập số điện thoại di động để nhận kết quả.", field="phone")
    phone = notifications.normalise_phone(str(data["phone"]).strip()[:20])
    email = (data.get("email") or "").strip() or None
    if email is not None and (len(email) > 200 or not EMAIL.match(email)):
        raise DomainError("Địa chỉ email không hợp lệ.", field="email")
    name = str(data.get("full_name") or "").strip()
    if len(name) > 200:
        raise DomainError("Họ tên dài tối đa 200 ký tự.", field="full_name")
    office = db.session.scalar(select(Office).where(Office.code == str(data.get("office_code") or "").strip()))
    if office is None:
        raise DomainError("Chọn cơ quan BHXH tiếp nhận.", field="office_code")
    return {"text": text, "topic_hint": hint, "social_insurance_number": sin, "phone": phone, "email": email,
            "full_name": name, "office_id": office.id}


def create(data, *, channel, actor=None, stored_file_ids=()):
    """Record a complaint, route it by its text, start its clock and tell the citizen its reference."""
    if channel not in CHANNELS:
        raise DomainError("Kênh tiếp nhận không hợp lệ.", field="channel")
    if len(stored_file_ids) > MAX_FILES:
        raise DomainError(f"Gửi tối đa {MAX_FILES} ảnh hoặc tệp PDF.", field="files")
    fields = clean(data)
    route = routing.classify(fields["text"], fields["topic_hint"])
    triage = route.department == routing.TRIAGE
    complaint = Complaint(reference=new_reference(), channel=channel, state=ComplaintState.received,
                          category=route.category, route_confidence=route.confidence,
                          department_code=catalogue.TRIAGE_DEPARTMENT if triage else route.department, **fields)
    complaint.attachments = [ComplaintAttachment(stored_file_id=file_id) for file_id in stored_file_ids]
    cases.open_case(complaint, actor=actor, actor_label="" if actor else channel)
    notices.status_changed(complaint, actor)
    return complaint
