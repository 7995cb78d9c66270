"""Moving a declaration through extraction: submitted → extracting → ready, never stuck."""
import logging
from datetime import timedelta

from sqlalchemy import select

from backoffice import idcard
from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState, DocumentKind
from backoffice.models.base import utcnow
from backoffice.services.declarations import checks as declaration_checks
from backoffice.services.platform import audit
from backoffice.storage.access import storage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=10)
_EXTRACTABLE = (DeclarationState.submitted, DeclarationState.extracting)


def begin(declaration_id):
    """Mark the declaration as extracting and count the attempt; None when there is nothing to do."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None or declaration.state not in _EXTRACTABLE:
        return None  # already extracted (the job ran twice) or decided
    declaration.state = DeclarationState.extracting
    declaration.extraction_attempts += 1
    db.session.flush()
    return declaration


def read_photos(declaration):
    """Run the ID-card extraction on the declaration's photos; errors become a result, not an exception."""
    front, back = declaration.document(DocumentKind.id_front), declaration.document(DocumentKind.id_back)
    if front is None:
        return None
    try:
        return idcard.extract(storage().get(front.stored_file.storage_key),
                              storage().get(back.stored_file.storage_key) if back else None)
    except idcard.ImageError as error:
        return {"fields": {}, "warnings": [], "error": error.message}


def finish(declaration_id, extraction):
    """Store the extraction, compute the checks and make the declaration ready for review."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None or declaration.state not in _EXTRACTABLE:
        return None
    declaration.extraction = extraction
    declaration.checks = declaration_checks.compute(declaration)
    declaration.failing_checks = declaration_checks.failing(declaration.checks)
    declaration.state = DeclarationState.ready
    db.session.flush()
    declaration_checks.refresh_related(declaration)  # the same person or phone elsewhere may now be a duplicate
    audit.record("declaration_checked", actor_label="system", object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id, details={"failing_checks": declaration.failing_checks})
    return declaration


def give_up(declaration_id, reason):
    """After the last attempt: ready with a "could not read" check, so a person decides."""
    return finish(declaration_id, {"fields": {}, "warnings": [], "error": reason})


def stale(now=None):
    """Ids of declarations whose extraction never finished (a killed worker, Redis down at submit)."""
    cutoff = (now or utcnow()) - STALE_AFTER
    return db.session.scalars(select(Declaration.id).where(
        Declaration.state.in_(_EXTRACTABLE), Declaration.updated_at < cutoff).limit(500)).all()
