"""Cases waiting for the citizen (DESIGN.md §4.1): what was asked for, the deadline in working days, the officer's
actions on a waiting case (the citizen came to the counter, reject, extend once), the documents sent again through
the API, and the no-show rejection when the deadline passes."""
from datetime import datetime, timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.jobs import enqueue
from backoffice.models import Declaration, DeclarationDocument, DeclarationState, DocumentKind
from backoffice.models.base import utcnow
from backoffice.services import Conflict, DomainError
from backoffice.services.declarations import workflow
from backoffice.services.platform import audit, calendar, uploads
from backoffice.services.platform.api_intake import Message
from backoffice.web.catalogue import N_

S = DeclarationState
EXTEND_WORKING_DAYS = workflow.EXTEND_WORKING_DAYS  # one extension, this many working days after the deadline
NOTE_MIN = 10
EXTRACTION_JOB = "backoffice.tasks.declarations.extract_declaration"
# the documents each waiting reason asks the citizen to send again (a counter visit asks for none)
REQUESTED = {"reupload_id_front": (DocumentKind.id_front,), "reupload_id_back": (DocumentKind.id_back,),
             "reupload_portrait": (DocumentKind.portrait,),
             "reupload_birth_certificate": (DocumentKind.birth_certificate,), "counter_visit": ()}
SWEEP_BATCH = 200


def _waiting(officer, declaration_id, version_id):
    declaration = workflow._owned(officer, declaration_id, version_id, waiting_too=True)
    if declaration.state != S.awaiting_citizen:
        raise Conflict("Tờ khai không còn chờ công dân bổ sung.")
    return declaration


def _note(note, field="note"):
    note = (note or "").strip()
    if len(note) < NOTE_MIN:
        raise DomainError(f"Hãy ghi lý do (ít nhất {NOTE_MIN} ký tự).", field=field)
    return note


def resume(officer, declaration_id, version_id):
    """The citizen came to the counter: the officer takes the case back into review, claimed by them."""
    declaration = _waiting(officer, declaration_id, version_id)
    now = utcnow()
    declaration.state, declaration.claimed_by_id = S.in_review, officer.id
    declaration.claimed_at = declaration.claim_touched_at = declaration.returned_at = now
    declaration.returned_note = N_("Công dân đã đến quầy.")  # stored in Vietnamese, shown translated
    workflow._flush()
    audit.record("declaration_resumed", actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id)
    return declaration


def extend_deadline(officer, declaration_id, version_id, note):
    """Give the citizen EXTEND_WORKING_DAYS more working days, once, with a reason; the citizen is told the new
    deadline."""
    note = _note(note)
    declaration = _waiting(officer, declaration_id, version_id)
    if declaration.deadline_extended:
        raise DomainError("Thời hạn đã được gia hạn một lần; không thể gia hạn thêm.", field="note")
    previous = declaration.due_on
    end_of_due_day = datetime.combine(previous, calendar.DAY_END, calendar.BUSINESS_TZ)
    declaration.due_on = calendar.local_date(calendar.add_working_days(end_of_due_day, EXTEND_WORKING_DAYS))
    declaration.deadline_extended = True
    workflow._flush()
    audit.record("declaration_deadline_extended", actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id,
                 details={"note": note, "from": previous.isoformat(), "to": declaration.due_on.isoformat()})
    workflow.tell_what_is_awaited(officer, declaration)
    return declaration


def overdue_cutoff(moment=None):
    """The latest deadline that has passed at `moment` (Vietnam time): a deadline is the end of its working day."""
    local = (moment or calendar.now()).astimezone(calendar.BUSINESS_TZ)
    return local.date() if local.time() >= calendar.DAY_END else local.date() - timedelta(days=1)


def reject_no_shows(moment=None):
    """Reject with NO_SHOW the cases whose deadline passed with nothing received; the citizen is told. Returns the
    ids rejected (one batch; the periodic job runs again)."""
    cases = db.session.scalars(select(Declaration).where(
        Declaration.state == S.awaiting_citizen, Declaration.due_on <= overdue_cutoff(moment))
        .order_by(Declaration.due_on, Declaration.id).limit(SWEEP_BATCH).with_for_update(skip_locked=True)).all()
    for declaration in cases:
        workflow._reject(declaration, "NO_SHOW")
    return [d.id for d in cases]


def requested_documents(declaration):
    """The document kinds the citizen was asked to send again."""
    return REQUESTED.get(declaration.awaiting_reason or "", ())


def receive_documents(declaration, photos, source, digest):
    """Store the documents the citizen sent again, return the case to the queue marked as returned, and read and
    check it again (the extraction job runs after commit). `photos` are checked uploads by part name."""
    for name, photo in photos.items():
        kind = DocumentKind(name)
        stored = uploads.store(photo, declaration.office_id, "declarations")
        document = declaration.document(kind)
        if document is None:
            declaration.documents.append(DeclarationDocument(kind=kind, stored_file=stored, width=photo.width,
                                                             height=photo.height))
        else:  # the earlier photo's file stays (the audit may name it); the case shows the new one
            document.stored_file, document.width, document.height = stored, photo.width, photo.height
    declaration.state, declaration.extraction, declaration.extraction_attempts = S.submitted, None, 0
    declaration.returned_at = utcnow()
    declaration.returned_note = N_("Công dân đã gửi lại giấy tờ được yêu cầu.")
    db.session.flush()
    audit.record("declaration_documents_received", actor_label=source, object_type="declaration",
                 object_id=declaration.id, office_id=declaration.office_id,
                 details={"documents": sorted(photos), "digest": digest})
    enqueue(EXTRACTION_JOB, declaration.id, queue="extraction")
    return declaration


def missing_parts(declaration, names):
    """{part: Message} of what is wrong with the parts sent for a waiting case: every requested document is
    needed, and nothing else is taken."""
    requested = {k.value for k in requested_documents(declaration)}
    errors = {name: Message("Giấy tờ này không được yêu cầu bổ sung.", "This document was not requested.")
              for name in names - requested}
    errors.update({name: Message("Thiếu ảnh giấy tờ được yêu cầu bổ sung.", "The requested document is missing.")
                   for name in requested - names})
    return errors


def already_received(declaration, digest):
    """True when these very documents (same content digest) were the last ones received for the case: a retry."""
    from backoffice.models import AuditEntry

    last = db.session.scalar(select(AuditEntry.details).where(
        AuditEntry.object_type == workflow.CASE_TYPE, AuditEntry.object_id == str(declaration.id),
        AuditEntry.action == "declaration_documents_received").order_by(AuditEntry.id.desc()).limit(1))
    return bool(last) and last.get("digest") == digest
