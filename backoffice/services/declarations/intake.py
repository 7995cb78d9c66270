"""Intake of declarations from the channels (VssID app, portal) through the API (DESIGN.md §4.1, §10).

`submit` validates everything before it stores anything: the payload, then every photo (magic bytes,
size, pixels, every byte of the picture read, re-encoded to drop EXIF and anything else). Only then are
the photos written to storage, the rows flushed, the audit entry appended and the extraction job queued
(it runs after commit).
Photos written by a transaction that rolls back are deleted again, so bad input leaves nothing behind.
"""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.jobs import enqueue
from backoffice.models import Declaration, DeclarationDocument, DeclarationState, DocumentKind, Office
from backoffice.services.declarations import payload as declaration_payload
from backoffice.services.declarations import reasons as rejection_reasons
from backoffice.services.declarations.payload import InvalidPayload
from backoffice.services.platform import api_intake, audit, idempotency, references, uploads
from backoffice.services.platform.api_intake import IntakeError
from backoffice.services.platform.references import REFERENCE_ALPHABET, normalise_reference

__all__ = ["DOCUMENT_NAMES", "IntakeError", "REFERENCE_ALPHABET", "check_photos", "create", "describe",
           "new_reference", "normalise_reference", "status_of", "submit", "submit_documents"]

EXTRACTION_JOB = "backoffice.tasks.declarations.extract_declaration"
STORAGE_PREFIX = "declarations"
DOCUMENT_NAMES = frozenset(d.value for d in DocumentKind)
# Citizens see one "in review" state; maker-checker is the office's internal business.
PUBLIC_STATUS = {DeclarationState.awaiting_second_approval: "in_review"}



def new_reference():
    """A new, unused declaration reference (see services.platform.references)."""
    return references.new_reference(Declaration)


def check_photos(files):
    """Verify and re-encode every photo part of a declaration: ({name: Photo}, {name: Message} of the bad ones)."""
    return uploads.check_photos(files, DOCUMENT_NAMES)


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
            kind=kind, stored_file=uploads.store(photo, clean.office_id, STORAGE_PREFIX), width=photo.width,
            height=photo.height))
    db.session.add(declaration)
    db.session.flush()
    audit.record("declaration_submitted", actor_label=source, object_type="declaration",
                 object_id=declaration.id, office_id=declaration.office_id,
                 details={"reference": declaration.reference, "kind": declaration.kind.value,
                          "documents": [k.value for k in clean.documents], **(details or {})})
    enqueue(EXTRACTION_JOB, declaration.id, queue="extraction")
    return declaration


def submit(api_key, payload_text, files, idempotency_key=None):
    """Validate and create one declaration; files maps part name -> list of bytes. Returns an Outcome."""
    fingerprint, replay = api_intake.replay(api_key, idempotency_key, payload_text, files)
    if replay is not None:
        return replay
    payload = api_intake.parse_payload(payload_text)
    errors = {}
    try:
        clean = declaration_payload.clean(payload, set(files), api_key.channel)
    except InvalidPayload as error:
        clean, errors = None, dict(error.fields)
    photos, photo_errors = check_photos(files)
    errors.update({name: message for name, message in photo_errors.items() if name not in errors})
    if errors:
        raise api_intake.invalid(errors)
    declaration = create(clean, photos, f"api:{api_key.channel}", {"api_key": api_key.prefix})
    body = describe(declaration)
    if fingerprint is not None:
        idempotency.remember(api_key.id, idempotency_key, fingerprint, 201, body)
    return api_intake.Outcome(201, body)


def submit_documents(api_key, reference, files, idempotency_key=None):
    """Receive the document(s) a waiting declaration asked for (photo parts); the case goes back to the queue,
    marked as returned, and is read and checked again. Idempotent: with an Idempotency-Key the first response is
    replayed, and the same documents sent again for a case that already has them answer 200 without a change."""
    from backoffice.services.declarations import waiting

    fingerprint, replay = api_intake.replay(api_key, idempotency_key, f"documents {reference}", files)
    if replay is not None:
        return replay
    declaration = db.session.scalar(select(Declaration).where(
        Declaration.reference == normalise_reference(reference), Declaration.channel == api_key.channel)
        .with_for_update())
    if declaration is None:  # another channel's declaration is not found either: no hint it exists
        raise IntakeError(404, "not_found", "Không tìm thấy tờ khai với mã tham chiếu này.")
    digest = idempotency.request_hash("", {name: b"".join(parts) for name, parts in files.items()})
    if declaration.state != DeclarationState.awaiting_citizen:
        if files and waiting.already_received(declaration, digest):
            return api_intake.Outcome(200, describe(declaration), replayed=True)
        raise IntakeError(409, "not_awaiting_documents", "Tờ khai không ở trạng thái chờ bổ sung giấy tờ.")
    if not waiting.requested_documents(declaration):
        raise IntakeError(409, "counter_visit_required",
                          "Tờ khai chờ công dân đến bộ phận một cửa; không nhận giấy tờ qua API.")
    errors = waiting.missing_parts(declaration, set(files))
    photos, photo_errors = check_photos(files)
    errors.update({name: message for name, message in photo_errors.items() if name not in errors})
    if errors:
        raise api_intake.invalid(errors)
    waiting.receive_documents(declaration, photos, f"api:{api_key.channel}", digest)
    body = describe(declaration)
    if fingerprint is not None:
        idempotency.remember(api_key.id, idempotency_key, fingerprint, 200, body)
    return api_intake.Outcome(200, body)


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
        "awaiting_reason": (declaration.awaiting_reason if declaration.state == DeclarationState.awaiting_citizen
                            else None),
        "due_on": (declaration.due_on.isoformat() if declaration.state == DeclarationState.awaiting_citizen
                   and declaration.due_on else None),
        "returned": declaration.returned_at is not None,
        "decision": _decision(declaration),
    }


def status_of(reference):
    """The public view of the declaration with this reference, or an IntakeError 404."""
    declaration = db.session.scalar(select(Declaration).where(Declaration.reference == normalise_reference(reference)))
    if declaration is None:
        raise IntakeError(404, "not_found", "Không tìm thấy tờ khai với mã tham chiếu này.")
    return describe(declaration)
