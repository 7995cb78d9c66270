"""Intake of declarations from the channels (VssID app, portal) through the API (DESIGN.md §4.1, §10).

`submit` validates everything before it stores anything: the payload, then every photo (magic bytes,
size, pixels, every byte of the picture read, re-encoded to drop EXIF and anything else). Only then are
the photos written to storage, the rows flushed, the audit entry appended and the extraction job queued
(it runs after commit).
Photos written by a transaction that rolls back are deleted again, so bad input leaves nothing behind.
"""
import io
import json
import secrets
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from backoffice.extensions import db
from backoffice.idcard import images
from backoffice.jobs import enqueue
from backoffice.models import Declaration, DeclarationDocument, DeclarationState, DocumentKind, Office, StoredFile
from backoffice.services import DomainError, audit, declaration_payload, idempotency, rejection_reasons
from backoffice.services.declaration_payload import InvalidPayload, Message
from backoffice.storage_access import storage
from backoffice.tasks.declarations import extract_declaration

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
REFERENCE_LENGTH = 10  # 50 random bits
STORAGE_PREFIX = "declarations"
DOCUMENT_NAMES = frozenset(d.value for d in DocumentKind)
# Citizens see one "in review" state; maker-checker is the office's internal business.
PUBLIC_STATUS = {DeclarationState.awaiting_second_approval: "in_review"}
_STORED_KEYS = "intake_stored_keys"

IMAGE_MESSAGES = {
    "empty": Message("Tệp ảnh rỗng. Hãy chụp và gửi lại ảnh.", "The image file is empty."),
    "too_large": Message("Tệp ảnh lớn hơn 10 MB.", "The image file is larger than 10 MB."),
    "not_an_image": Message("Tệp không phải ảnh JPEG, PNG hoặc WebP.", "The file is not a JPEG, PNG or WebP image."),
    "truncated": Message("Tệp ảnh bị hỏng hoặc không đầy đủ. Hãy gửi lại ảnh.",
                         "The image file is damaged or incomplete."),
    "too_many_pixels": Message("Ảnh quá lớn; tối đa 40 megapixel.", "The image is too large; at most 40 megapixels."),
}
DUPLICATE_PART = Message("Chỉ gửi một tệp cho mỗi loại ảnh.", "Send one file per photo.")
# A declaration nests two levels (the object, its address); deeper JSON is refused before anything walks it.
MAX_JSON_DEPTH = 8


class IntakeError(DomainError):
    """A request the API refuses: HTTP status, stable code, message, and per-field Messages."""

    def __init__(self, status, code, message, fields=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.fields = fields or {}

    def as_dict(self):
        """The JSON error body `{"error": {"code", "message", "fields": {name: {"vi", "en"}}}}`."""
        return {"error": {"code": self.code, "message": self.message,
                          "fields": {name: m.as_dict() for name, m in sorted(self.fields.items())}}}


def invalid(fields):
    """The 422 for a declaration that breaks the rules."""
    return IntakeError(422, "validation_failed",
                       "Tờ khai chưa hợp lệ; xem lỗi của từng trường trong `fields`.", fields)


@dataclass(frozen=True)
class Photo:
    """A checked photo, re-encoded without metadata."""

    kind: DocumentKind
    data: bytes
    width: int
    height: int
    content_type: str


@dataclass(frozen=True)
class Outcome:
    """What the API answers: status, JSON body, and whether it replays an earlier response."""

    status_code: int
    body: dict
    replayed: bool = False


def _photo(kind, data):
    if len(data) > MAX_UPLOAD_BYTES:
        raise images.ImageError("too_large", IMAGE_MESSAGES["too_large"].vi)
    clean = images.reencode(data)
    with Image.open(io.BytesIO(clean)) as header:  # reads the header only
        width, height = header.size
    return Photo(DocumentKind(kind), clean, width, height, images.FORMATS[images.sniff(clean)])


def check_photos(files):
    """Verify and re-encode every photo part; returns {name: Photo} and {name: Message} for the bad ones."""
    photos, errors = {}, {}
    for name, parts in files.items():
        if len(parts) > 1:
            errors[name] = DUPLICATE_PART
        elif name in DOCUMENT_NAMES:
            try:
                photos[name] = _photo(name, parts[0])
            except images.ImageError as error:
                errors[name] = IMAGE_MESSAGES.get(error.code, IMAGE_MESSAGES["truncated"])
    return photos, errors


def parse_payload(payload_text):
    """The payload part as a JSON value, or a 400/422 IntakeError."""
    if payload_text is None or payload_text == "":
        raise invalid({"payload": Message("Thiếu phần payload (JSON của tờ khai).",
                                          "The payload part (the declaration JSON) is missing.")})
    if _nesting(payload_text) > MAX_JSON_DEPTH:
        raise _too_deep()
    try:
        return json.loads(payload_text)
    except RecursionError:  # the count above makes this unreachable; kept so no parser limit can become a 500
        raise _too_deep() from None
    except ValueError:
        raise IntakeError(400, "invalid_json", "Phần payload không phải JSON hợp lệ.", {"payload": Message(
            "Phần payload không phải JSON hợp lệ (UTF-8).", "The payload part is not valid JSON (UTF-8).")}) from None


def _too_deep():
    return IntakeError(400, "invalid_json", "Phần payload lồng quá sâu.", {"payload": Message(
        f"JSON lồng nhau quá {MAX_JSON_DEPTH} cấp.", f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.")})


def _nesting(text):
    """The deepest bracket nesting of a JSON text, brackets inside strings skipped (one pass, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def new_reference():
    """A short, unguessable reference: 10 Crockford base32 characters (not a sequence)."""
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not db.session.scalar(select(Declaration.id).where(Declaration.reference == reference)):
            return reference


def normalise_reference(text):
    """Read a reference as people type it: any case, hyphens or spaces, O for 0, I and L for 1."""
    cleaned = (text or "").upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("OIL", "011"))


def _store(photo, office_id):
    backend = storage()
    key = backend.put(photo.data, prefix=STORAGE_PREFIX)
    db.session.info.setdefault(_STORED_KEYS, []).append((backend, key))
    return StoredFile(storage_key=key, content_type=photo.content_type, size=len(photo.data),
                      office_id=office_id, purpose=photo.kind.value)


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop(_STORED_KEYS, None)


@event.listens_for(Session, "after_soft_rollback")
def _discard_files(session, previous_transaction):
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        for backend, key in session.info.pop(_STORED_KEYS, []):
            backend.delete(key)


def create(clean, photos, source, details=None):
    """Store a validated declaration and its checked photos, audit it and queue its extraction (flushes)."""
    declaration = Declaration(
        reference=new_reference(), kind=clean.kind, state=DeclarationState.submitted, channel=clean.channel,
        office_id=clean.office_id, social_insurance_number=clean.social_insurance_number,
        full_name=clean.full_name, date_of_birth=clean.date_of_birth, sex=clean.sex, id_type=clean.id_type,
        id_number=clean.id_number, phone=clean.phone, email=clean.email, province_code=clean.province_code,
        ward_code=clean.ward_code, street=clean.street,
        guardian_social_insurance_number=clean.guardian_social_insurance_number)
    for kind in clean.documents:
        photo = photos[kind.value]
        declaration.documents.append(DeclarationDocument(
            kind=kind, stored_file=_store(photo, clean.office_id), width=photo.width, height=photo.height))
    db.session.add(declaration)
    db.session.flush()
    audit.record("declaration_submitted", actor_label=source, object_type="declaration",
                 object_id=declaration.id, office_id=declaration.office_id,
                 details={"reference": declaration.reference, "kind": declaration.kind.value,
                          "documents": [k.value for k in clean.documents], **(details or {})})
    enqueue(extract_declaration, declaration.id, queue="extraction")
    return declaration


def submit(api_key, payload_text, files, idempotency_key=None):
    """Validate and create one declaration; files maps part name -> list of bytes. Returns an Outcome."""
    fingerprint = None
    if idempotency_key is not None:
        if not idempotency.valid_key(idempotency_key):
            raise IntakeError(400, "invalid_idempotency_key",
                              "Idempotency-Key gồm 1–200 ký tự ASCII nhìn thấy được.")
        fingerprint = idempotency.request_hash(payload_text, {n: b"".join(p) for n, p in files.items()})
        try:
            replay = idempotency.find(api_key.id, idempotency_key, fingerprint)
        except idempotency.KeyReused:
            raise IntakeError(409, "idempotency_key_reused",
                              "Idempotency-Key này đã được dùng cho một yêu cầu khác trong 24 giờ qua.") from None
        if replay is not None:
            return Outcome(replay.status_code, replay.body, replayed=True)
    payload = parse_payload(payload_text)
    errors = {}
    try:
        clean = declaration_payload.clean(payload, set(files), api_key.channel)
    except InvalidPayload as error:
        clean, errors = None, dict(error.fields)
    photos, photo_errors = check_photos(files)
    errors.update({name: message for name, message in photo_errors.items() if name not in errors})
    if errors:
        raise invalid(errors)
    declaration = create(clean, photos, f"api:{api_key.channel}", {"api_key": api_key.prefix})
    body = describe(declaration)
    if fingerprint is not None:
        idempotency.remember(api_key.id, idempotency_key, fingerprint, 201, body)
    return Outcome(201, body)


def _decision(declaration):
    if declaration.state not in (DeclarationState.approved, DeclarationState.rejected):
        return None
    reason = None
    if declaration.state == DeclarationState.rejected and declaration.rejection_code:
        catalogued = rejection_reasons.REASONS.get(declaration.rejection_code)
        reason = {"code": declaration.rejection_code,
                  "text": declaration.rejection_text or (catalogued.citizen_text if catalogued else ""),
                  "next_step": catalogued.next_step if catalogued else None}
    return {"outcome": declaration.state.value,
            "decided_at": declaration.decided_at.isoformat() if declaration.decided_at else None,
            "reason": reason}


def describe(declaration):
    """The public view of a declaration: reference, kind, status and, once decided, outcome and reason."""
    office_code = db.session.scalar(select(Office.code).where(Office.id == declaration.office_id))
    return {
        "reference": declaration.reference,
        "kind": declaration.kind.value,
        "status": PUBLIC_STATUS.get(declaration.state, declaration.state.value),
        "receiving_office_code": office_code,
        "submitted_at": declaration.submitted_at.isoformat(),
        "documents": [d.kind.value for d in declaration.documents],
        "awaiting_reason": declaration.awaiting_reason if declaration.state == DeclarationState.awaiting_citizen else None,
        "decision": _decision(declaration),
    }


def status_of(reference):
    """The public view of the declaration with this reference, or an IntakeError 404."""
    declaration = db.session.scalar(select(Declaration).where(Declaration.reference == normalise_reference(reference)))
    if declaration is None:
        raise IntakeError(404, "not_found", "Không tìm thấy tờ khai với mã tham chiếu này.")
    return describe(declaration)
