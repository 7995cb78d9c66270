"""Intake of reissue requests through the API: validation against the register, checks, storage (DESIGN.md §4.2).

Every problem is collected per field, in Vietnamese and English, as on the declarations API; nothing is stored
before everything is valid. The declared identity must match the participant register (mã số BHXH, name, date of
birth): a request for someone else's card or pension is refused at the door.
"""
import re
from datetime import date, timezone

from sqlalchemy import select
from vietnam_provinces import ProvinceCode, Ward

from backoffice.extensions import db
from backoffice.idcard.normalise import key as name_key
from backoffice.models import (
    Benefit,
    Office,
    Participant,
    ReissueDocument,
    ReissueRequest,
    ReissueState,
    ReissueType,
)
from backoffice.services import DomainError, notifications
from backoffice.services.casework import cases
from backoffice.services.platform import api_intake, audit, calendar, citizen_fields, idempotency, references, uploads
from backoffice.services.platform.api_intake import IntakeError as ApiError  # noqa: F401 - the views catch it
from backoffice.services.platform.api_intake import Message
from backoffice.services.platform.references import normalise_reference  # noqa: F401 - public
from backoffice.services.reissue import catalogue, checks, notices

NAMESPACE = "reissue:"  # its Idempotency-Keys apart from the other resources'
REFERENCE_PREFIX = "R"
SIN = citizen_fields.SOCIAL_INSURANCE_NUMBER
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
ACCOUNT = re.compile(r"^[0-9]{6,20}$")
FILE_PARTS = {"proof": "Ảnh giấy tờ chứng minh thay đổi", "power_of_attorney": "Ảnh giấy ủy quyền",
              "damaged_card": "Ảnh thẻ hoặc sổ bị hỏng"}
CARD_FIELDS = ("full_name", "date_of_birth", "sex", "hospital", "address")


def invalid(fields):
    """The 422 for a request that breaks the rules."""
    return api_intake.invalid(fields, "Yêu cầu chưa hợp lệ; xem lỗi của từng trường trong `fields`.")


def check_files(files):
    """Verify and re-encode every photo (dropping metadata); a bad one is a 422 naming its part."""
    photos, errors = uploads.check_photos(files, set(files))
    if errors:
        raise invalid(errors)
    return photos


def new_reference():
    """A short unguessable reference: R + 9 Crockford base32 characters."""
    return references.new_reference(ReissueRequest, REFERENCE_PREFIX)


REQUIRED = Message("Trường này bắt buộc.", "This field is required.")


class _Fields:
    """Collects one message per field while the payload is read."""

    def __init__(self, payload):
        self.payload, self.errors = payload, {}

    def text(self, name, required=True, max_length=200, source=None):
        value = (source if source is not None else self.payload).get(name.rsplit(".", 1)[-1])
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors[name] = REQUIRED
            return None
        if not isinstance(value, str):
            self.errors[name] = Message("Giá trị phải là chuỗi ký tự.", "The value must be a string.")
            return None
        value = " ".join(value.split())
        if len(value) > max_length:
            self.errors[name] = Message(f"Dài tối đa {max_length} ký tự.", f"At most {max_length} characters.")
            return None
        return value

    def choice(self, name, options, required=True, source=None):
        value = self.text(name, required, source=source)
        if value is not None and value not in options:
            self.errors[name] = Message("Giá trị phải là một trong: " + ", ".join(options),
                                        "The value must be one of: " + ", ".join(options))
            return None
        return value

    def bad(self, name, vi, en):
        self.errors.setdefault(name, Message(vi, en))


def _month(fields, name, source=None):
    value = fields.text(name, source=source)
    if value is None:
        return None
    if not MONTH.match(value):
        fields.bad(name, "Tháng theo dạng YYYY-MM.", "A month as YYYY-MM.")
        return None
    if value < calendar.today().strftime("%Y-%m"):
        fields.bad(name, "Tháng bắt đầu không được ở quá khứ.", "The month must not be in the past.")
        return None
    return value


def _address(fields, prefix, value):
    if not isinstance(value, dict):
        fields.errors[prefix] = REQUIRED
        return None
    province = fields.text(f"{prefix}.province_code", source=value, max_length=2)
    ward = fields.text(f"{prefix}.ward_code", source=value, max_length=5)
    street = fields.text(f"{prefix}.street", source=value, max_length=300)
    if province is None or ward is None:
        return None
    try:
        ProvinceCode(int(province))
        in_province = Ward.from_code(int(ward)).province_code == int(province)
    except ValueError:
        in_province = False
    if not in_province:
        fields.bad(f"{prefix}.ward_code", "Phường, xã không có trong danh mục hiện hành của tỉnh đã chọn.",
                   "The ward is not in the current list of the chosen province.")
        return None
    return {"province_code": province, "ward_code": ward, "street": street} if street else None


def _identity(fields):
    sin = fields.text("social_insurance_number", max_length=10)
    if sin is not None and not SIN.match(sin):
        fields.bad("social_insurance_number", "Mã số BHXH gồm 10 chữ số.", "The social insurance number has 10 digits.")
        sin = None
    full_name = fields.text("full_name")
    born = fields.text("date_of_birth", max_length=10)
    try:
        born = date.fromisoformat(born) if born else None
    except ValueError:
        fields.bad("date_of_birth", "Ngày sinh theo dạng YYYY-MM-DD.", "The date of birth as YYYY-MM-DD.")
        born = None
    phone = fields.text("phone", max_length=15)
    if phone is not None:
        try:
            phone = notifications.normalise_phone(phone)
        except DomainError:
            fields.bad("phone", "Số điện thoại di động không hợp lệ.", "The mobile phone number is not valid.")
            phone = None
    email = fields.text("email", required=False)
    if email is not None and "@" not in email:
        fields.bad("email", "Địa chỉ email không hợp lệ.", "The email address is not valid.")
    person = None
    if sin is not None:
        person = db.session.scalar(select(Participant).where(Participant.social_insurance_number == sin))
        if person is None:
            fields.bad("social_insurance_number", "Mã số BHXH không có trong cơ sở dữ liệu.",
                       "The social insurance number is not in the register.")
        elif full_name and born and (name_key(full_name) != name_key(person.full_name)
                                     or born != person.date_of_birth):
            fields.bad("full_name", "Họ tên hoặc ngày sinh không khớp với cơ sở dữ liệu BHXH của mã số này.",
                       "The name or date of birth does not match the register for this number.")
    return person, {"social_insurance_number": sin, "full_name": full_name, "date_of_birth": born, "phone": phone,
                    "email": email, "id_number": fields.text("id_number", required=False, max_length=20)}


def _delivery(fields, payload):
    delivery = payload.get("delivery")
    if not isinstance(delivery, dict):
        fields.errors["delivery"] = REQUIRED
        return None
    method = fields.choice("delivery.method", ("pickup", "post"), source=delivery)
    if method == "post":
        address = _address(fields, "delivery.address", delivery.get("address"))
        return {"method": method, "address": address}
    return {"method": method}


def _card(fields, payload, files):
    details = {"reason": fields.choice("reason", ("lost", "damaged")), "delivery": _delivery(fields, payload)}
    changes = payload.get("data_change", [])
    if not isinstance(changes, list) or any(c not in CARD_FIELDS for c in changes):
        fields.bad("data_change", "Danh sách trường thay đổi chỉ gồm: " + ", ".join(CARD_FIELDS),
                   "The changed fields are a list of: " + ", ".join(CARD_FIELDS))
        changes = []
    details["data_change"] = sorted(set(changes))
    if details["data_change"] and "proof" not in files:
        fields.bad("proof", "Thay đổi thông tin cần ảnh giấy tờ chứng minh (phần `proof`).",
                   "A data change needs a photo of the proof (the `proof` part).")
    return details


def _book(fields, payload, files):
    return {"reason": fields.choice("reason", ("lost", "damaged")), "delivery": _delivery(fields, payload)}


def _transfer(fields, payload, files):
    code = fields.text("destination_office_code", max_length=5)
    destination = db.session.scalar(select(Office).where(Office.code == code)) if code else None
    if code and destination is None:
        fields.bad("destination_office_code", "Không có cơ quan BHXH với mã này.", "No BHXH office has this code.")
    return {"destination_office_code": code, "destination_office_id": destination.id if destination else None,
            "new_address": _address(fields, "new_address", payload.get("new_address")),
            "start_month": _month(fields, "start_month")}


def _payout(fields, payload, files):
    method = fields.choice("method", ("cash", "bank", "new_recipient"))
    details = {"method": method, "from_month": _month(fields, "from_month")}
    if method == "bank":
        details["bank_code"] = fields.choice("bank_code", tuple(catalogue.BANKS))
        number = fields.text("account_number", max_length=20)
        if number is not None and not ACCOUNT.match(number):
            fields.bad("account_number", "Số tài khoản gồm 6–20 chữ số.", "The account number has 6-20 digits.")
        details["account_number"] = number
        details["account_holder"] = fields.text("account_holder")
    elif method == "new_recipient":
        recipient = payload.get("new_recipient")
        if not isinstance(recipient, dict):
            fields.errors["new_recipient"] = REQUIRED
        else:
            details["new_recipient"] = {"full_name": fields.text("new_recipient.full_name", source=recipient),
                                        "id_number": fields.text("new_recipient.id_number", source=recipient,
                                                                 max_length=12)}
        if "power_of_attorney" not in files:
            fields.bad("power_of_attorney", "Người nhận thay cần ảnh giấy ủy quyền (phần `power_of_attorney`).",
                       "A new recipient needs a photo of the power of attorney (the `power_of_attorney` part).")
    return details


READERS = {ReissueType.bhyt_card: _card, ReissueType.si_book: _book, ReissueType.pension_transfer: _transfer,
           ReissueType.payout_change: _payout}
COMMON_KEYS = {"type", "social_insurance_number", "full_name", "date_of_birth", "id_number", "phone", "email"}


def clean(payload, files):
    """The validated request: (type, identity, details, person) or an ApiError 422 naming every bad field."""
    if not isinstance(payload, dict):
        raise invalid({"payload": Message("payload phải là một đối tượng JSON.", "The payload must be a JSON object.")})
    fields = _Fields(payload)
    kind = fields.choice("type", tuple(t.value for t in ReissueType))
    person, identity = _identity(fields)
    details = READERS[ReissueType(kind)](fields, payload, files) if kind else {}
    for name in files:
        if name not in FILE_PARTS:
            fields.bad(name, "Phần tệp không được hỗ trợ: " + ", ".join(FILE_PARTS),
                       "Unsupported file part; use: " + ", ".join(FILE_PARTS))
    if fields.errors:
        raise invalid(fields.errors)
    return ReissueType(kind), identity, details, person


def owning_office(kind, person):
    """The office that handles the request: the paying office for a benefit, else the person's own office."""
    if kind in (ReissueType.pension_transfer, ReissueType.payout_change):
        paying = db.session.scalar(select(Benefit.paying_office_id).where(
            Benefit.social_insurance_number == person.social_insurance_number, Benefit.active.is_(True)))
        if paying is not None:
            return paying
    return person.office_id


def create(kind, identity, details, person, files, *, channel, source, actor=None, received_at=None):
    """Store a validated request with its photos, run its checks, start its clock and tell the citizen (flushes)."""
    office_id = owning_office(kind, person)
    request = ReissueRequest(
        reference=new_reference(), kind=kind, channel=channel, state=ReissueState.received,
        office_id=office_id, department_code=catalogue.DEPARTMENTS[kind].value,
        social_insurance_number=identity["social_insurance_number"], full_name=identity["full_name"],
        date_of_birth=identity["date_of_birth"], id_number=identity.get("id_number"), phone=identity["phone"],
        email=identity.get("email"), payload=details, received_at=received_at,
        data_change=bool(details.get("data_change")),
        delivery_method=(details.get("delivery") or {}).get("method") or "pickup",
        destination_office_id=details.get("destination_office_id"),
        # The phone the register knew before this request: the payout change alert goes there, not to the
        # (possibly attacker's) number in the request.
        alert_phone=person.phone)
    for name, photo in files.items():
        request.documents.append(ReissueDocument(kind=name, stored_file=uploads.store(photo, office_id, "reissue")))
    request.checks = checks.run(request)
    request.failing_checks = sum(1 for c in request.checks if c["status"] == "fail")
    request.verification_needed = any(c["code"] == "book_verification" and c["status"] == "warn"
                                      for c in request.checks)
    cases.open_case(request, actor=actor, actor_label=source)
    audit.record("reissue_received", actor=actor, actor_label=source, object_type="reissue", object_id=request.id,
                 office_id=office_id, details={"reference": request.reference, "type": kind.value,
                                               "documents": sorted(files)})
    notices.status_changed(request, actor)
    if kind == ReissueType.payout_change:
        notices.payout_change_requested(request, actor)
    return request


def submit(api_key, payload_text, files, idempotency_key=None):
    """Validate and create one request from the API (multipart payload + photos); returns an Outcome."""
    fingerprint, replay = api_intake.replay(api_key, idempotency_key, payload_text, files, namespace=NAMESPACE)
    if replay is not None:
        return replay
    kind, identity, details, person = clean(api_intake.parse_payload(payload_text), files)
    stored = check_files(files)
    request = create(kind, identity, details, person, stored, channel=api_key.channel,
                     source=f"api:{api_key.channel}")
    body = describe(request)
    if fingerprint is not None:
        idempotency.remember(api_key.id, NAMESPACE + idempotency_key, fingerprint, 201, body)
    return api_intake.Outcome(201, body)


# Citizens see the states of the issue; the safeguards inside the office are "processing" to them.
PUBLIC_STATUS = {ReissueState.awaiting_second_approval: "processing", ReissueState.awaiting_destination: "processing"}


def describe(request):
    """The public view: reference, type, status, deadline and, once decided, the result or the reason."""
    result = None
    if request.state == ReissueState.rejected:
        reason = catalogue.REASONS[request.kind].get(request.rejection_code)
        result = {"outcome": "rejected", "reason": {"code": request.rejection_code, "text": request.rejection_text,
                                                    "next_step": reason.next_step if reason else None}}
    elif request.state in (ReissueState.completed, ReissueState.delivered, ReissueState.shipped,
                           ReissueState.cooling_off, ReissueState.cancelled):
        result = {"outcome": request.state.value if hasattr(request.state, "value") else request.state,
                  **{k: v for k, v in (request.result or {}).items() if k in PUBLIC_RESULT}}
    state = ReissueState(request.state)
    return {"reference": request.reference, "type": ReissueType(request.kind).value,
            "status": PUBLIC_STATUS.get(state, state.value),
            "received_at": _utc(request.received_at),
            "due_at": _utc(request.due_at),
            "clock_paused": request.paused, "legal_basis": request.legal_basis,
            "tracking_number": request.tracking_number, "result": result}


def _utc(moment):
    """A moment as ISO 8601 in UTC, the same whether just computed (Vietnam time) or read back from the database."""
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


PUBLIC_RESULT = {"card_number", "valid_to", "effective_from_month", "effective_at", "start_month", "book_number"}


def status_of(reference):
    """The public view of the request with this reference, or a 404 ApiError."""
    request = db.session.scalar(select(ReissueRequest).where(
        ReissueRequest.reference == normalise_reference(reference)))
    if request is None:
        raise ApiError(404, "not_found", "Không tìm thấy yêu cầu với mã tham chiếu này.")
    return describe(request)
