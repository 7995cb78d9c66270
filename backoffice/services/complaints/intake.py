"""Receiving a complaint: validation, routing by the text, the reference, the clock (DESIGN.md §4.3).

The same function serves the API (channel vssid_app / portal) and the officer recording one received at the
counter, by phone or on paper. Low-confidence routes go to the triage queue of the office's reception head.
"""
import re
from datetime import timezone

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Complaint, ComplaintAttachment, ComplaintState, Office
from backoffice.services import DomainError, notifications
from backoffice.services.casework import cases
from backoffice.services.complaints import catalogue, notices, routing, workflow
from backoffice.services.complaints.dataset import CATEGORIES
from backoffice.services.platform import api_intake, audit, citizen_fields, idempotency, references, uploads
from backoffice.services.platform.api_intake import IntakeError, Message
from backoffice.services.platform.references import normalise_reference

CHANNELS = ("vssid_app", "portal", "counter", "phone", "paper")
OFFICER_CHANNELS = ("counter", "phone", "paper")
REFERENCE_PREFIX = "P"
SIN = citizen_fields.SOCIAL_INSURANCE_NUMBER
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_FILES = 5
RECEIVED_ACTION = "complaint_received"


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


def create(data, *, channel, actor=None, stored_file_ids=(), stored_files=()):
    """Record a complaint, route it by its text, start its clock and tell the citizen its reference.

    `stored_files` are new StoredFile rows (the API's checked attachments), `stored_file_ids` existing ones."""
    if channel not in CHANNELS:
        raise DomainError("Kênh tiếp nhận không hợp lệ.", field="channel")
    if len(stored_file_ids) + len(stored_files) > MAX_FILES:
        raise DomainError(f"Gửi tối đa {MAX_FILES} ảnh hoặc tệp PDF.", field="files")
    fields = clean(data)
    route = routing.classify(fields["text"], fields["topic_hint"])
    triage = route.department == routing.TRIAGE
    complaint = Complaint(reference=new_reference(), channel=channel, state=ComplaintState.received,
                          category=route.category, route_confidence=route.confidence,
                          department_code=catalogue.TRIAGE_DEPARTMENT if triage else route.department, **fields)
    complaint.attachments = [*(ComplaintAttachment(stored_file_id=file_id) for file_id in stored_file_ids),
                             *(ComplaintAttachment(stored_file=stored) for stored in stored_files)]
    cases.open_case(complaint, actor=actor, actor_label="" if actor else channel)
    record_received(complaint, triage, actor)
    notices.status_changed(complaint, actor)
    return complaint


def record_received(complaint, triage, actor=None):
    """Audit a complaint's receipt with the route the classifier gave it: the dashboards count complaints per
    category and the triage share from these entries."""
    audit.record(RECEIVED_ACTION, actor=actor, actor_label="" if actor else complaint.channel,
                 object_type=notices.CASE_TYPE, object_id=complaint.id, office_id=complaint.office_id,
                 details={"reference": complaint.reference, "category": complaint.category,
                          "department": routing.DEPARTMENT_OF[complaint.category], "triage": triage,
                          "confidence": complaint.route_confidence})


# --- the intake API (POST /api/v1/complaints, GET one by reference, the citizen's reopening) ----------------------

NAMESPACE = "complaint:"  # its Idempotency-Keys apart from the other resources'
FILE_PART = "attachments"
PAYLOAD_KEYS = {"text", "topic", "social_insurance_number", "full_name", "phone", "email", "office_code"}
# The English of each field's first problem (clean() says it in Vietnamese, for officers and citizens alike).
FIELD_EN = {
    "text": "The complaint's text is required (a string of at most {} characters).".format(routing.MAX_TEXT_CHARS),
    "topic": "The topic must be one of: " + ", ".join(CATEGORIES) + ".",
    "social_insurance_number": "The social insurance number has 10 digits.",
    "phone": "A Vietnamese mobile number (10 digits starting 03, 05, 07, 08 or 09) is required for the answer.",
    "email": "The email address is not valid.",
    "full_name": "The full name is at most 200 characters.",
    "office_code": "The receiving office's code is unknown.",
    "files": f"Send at most {MAX_FILES} photos or PDFs.",
}


def _strings(payload):
    errors = {}
    for name in PAYLOAD_KEYS & set(payload):
        if payload[name] is not None and not isinstance(payload[name], str):
            errors[name] = Message("Giá trị phải là chuỗi ký tự.", "The value must be a string.")
    for name in set(payload) - PAYLOAD_KEYS:
        errors[name] = Message("Trường không được hỗ trợ.", "Unknown field.")
    return errors


def clean_payload(payload, files):
    """The validated fields of an API complaint and its checked attachments, or a 422 naming every bad field."""
    if not isinstance(payload, dict):
        raise api_intake.invalid({"payload": Message("payload phải là một đối tượng JSON.",
                                                     "The payload must be a JSON object.")},
                                 "Phản ánh chưa hợp lệ; xem lỗi của từng trường trong `fields`.")
    errors = _strings(payload)
    for name in set(files) - {FILE_PART}:
        errors[name] = Message(f"Gửi tệp đính kèm trong phần `{FILE_PART}`.", f"Send attachments as `{FILE_PART}`.")
    documents, file_errors = uploads.check_documents(files, {FILE_PART}, MAX_FILES)
    errors.update(file_errors)
    fields = None
    if not errors:
        data = dict(payload)
        while fields is None:
            try:
                fields = clean(data)
            except routing.RoutingError as error:
                errors["text"] = Message(error.message, FIELD_EN["text"])
                data["text"] = "-"  # read the rest, so every bad field is named at once
            except DomainError as error:
                if error.field in errors or error.field is None:
                    errors.setdefault(error.field or "payload", Message(error.message, "Invalid value."))
                    break
                errors[error.field] = Message(error.message, FIELD_EN.get(error.field, "Invalid value."))
                data[error.field] = {"topic": None, "social_insurance_number": None, "email": None, "full_name": "",
                                     "phone": "0912345678"}.get(error.field)
                if error.field == "office_code":
                    break
    if errors:
        raise api_intake.invalid(errors, "Phản ánh chưa hợp lệ; xem lỗi của từng trường trong `fields`.")
    return fields, documents


def submit(api_key, payload_text, files, idempotency_key=None):
    """Validate and record one complaint from the API (multipart payload + attachments); returns an Outcome."""
    fingerprint, replay = api_intake.replay(api_key, idempotency_key, payload_text, files, namespace=NAMESPACE)
    if replay is not None:
        return replay
    payload = api_intake.parse_payload(payload_text)
    fields, documents = clean_payload(payload, files)
    office_id = db.session.scalar(select(Office.id).where(Office.code == payload["office_code"].strip()))
    stored = [uploads.store(document, office_id, "complaint") for document in documents]
    complaint = create(payload, channel=api_key.channel, stored_files=stored)
    body = describe(complaint)
    if fingerprint is not None:
        idempotency.remember(api_key.id, NAMESPACE + idempotency_key, fingerprint, 201, body)
    return api_intake.Outcome(201, body)


# What the citizen reads of the office's internal steps: they are "processing".
PUBLIC_STATUS = {ComplaintState.received: "received", ComplaintState.accepted: "processing",
                 ComplaintState.assigned: "processing", ComplaintState.answered: "processing",
                 ComplaintState.consulting: "processing", ComplaintState.approved: "answered",
                 ComplaintState.closed: "closed", ComplaintState.rejected_as_invalid: "rejected_as_invalid",
                 ComplaintState.reopened: "reopened"}
KIND_PUBLIC = {"": None, "petition": "petition", "complaint": "complaint", "denunciation": "denunciation"}


def _utc(moment):
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


def describe(complaint):
    """The public view: reference, status, kind, deadline; the approved answer once given, the reason if refused.
    Nothing internal (no notes, drafts, officers or route)."""
    state = ComplaintState(complaint.state)
    answer = complaint.answer_text if state in (ComplaintState.approved, ComplaintState.closed) else None
    return {"reference": complaint.reference, "status": PUBLIC_STATUS[state], "kind": KIND_PUBLIC.get(complaint.kind),
            "received_at": _utc(complaint.received_at), "due_at": _utc(complaint.due_at),
            "clock_paused": bool(complaint.paused), "legal_basis": complaint.legal_basis or "",
            "answer": answer, "closed_at": _utc(complaint.closed_at) if state == ComplaintState.closed else None,
            "reason": complaint.invalid_text if state == ComplaintState.rejected_as_invalid else None}


def _find(reference):
    return db.session.scalar(select(Complaint).where(Complaint.reference == normalise_reference(reference)))


def status_of(reference):
    """The public view of the complaint with this reference, or a 404 IntakeError."""
    complaint = _find(reference)
    if complaint is None or complaint.confidential:
        raise IntakeError(404, "not_found", "Không tìm thấy phản ánh với mã tham chiếu này.")
    return describe(complaint)


def reopen_from_api(reference, payload_text, actor_label):
    """The citizen asks to look again at a closed complaint (phone must match; within the appeal period)."""
    payload = api_intake.parse_payload(payload_text)
    if not isinstance(payload, dict) or not isinstance(payload.get("phone"), str) \
            or not isinstance(payload.get("reason"), str):
        raise api_intake.invalid({"payload": Message("Gửi {\"phone\", \"reason\"} dạng chuỗi.",
                                                     "Send {\"phone\", \"reason\"} as strings.")},
                                 "Yêu cầu mở lại chưa hợp lệ.")
    phone = citizen_fields.mobile_phone(payload["phone"])
    try:
        complaint = workflow.reopen(normalise_reference(reference), phone or "-", payload["reason"])
    except DomainError as error:
        status = {"NotFound": 404, "Conflict": 409}.get(type(error).__name__, 422)
        code = {404: "not_found", 409: "conflict", 422: "validation_failed"}[status]
        fields = {error.field: Message(error.message, "The reason needs at least 5 characters.")} \
            if error.field else {}
        raise IntakeError(status, code, error.message, fields) from None
    return describe(complaint)
