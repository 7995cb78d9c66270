"""Extraction jobs for declarations: ids in, idempotent, never leave a declaration stuck."""
import logging

from backoffice.extensions import db
from backoffice.jobs import enqueue
from backoffice.services.declarations import extraction, waiting

log = logging.getLogger(__name__)


def extract_declaration(declaration_id):
    """Read the ID photos, compute the checks, and make the declaration ready for review."""
    declaration = extraction.begin(declaration_id)
    if declaration is None:
        db.session.rollback()
        return
    attempts = declaration.extraction_attempts
    db.session.commit()  # the officer's page shows "extracting" while the OCR runs
    if attempts > extraction.MAX_ATTEMPTS:
        extraction.give_up(declaration_id, "Hệ thống không đọc được ảnh sau nhiều lần thử.")
        db.session.commit()
        return
    declaration = db.session.get(type(declaration), declaration_id)
    result = extraction.read_photos(declaration)
    db.session.rollback()  # release the read transaction before storing the result
    extraction.finish(declaration_id, result)
    db.session.commit()


def sweep_stale_extractions():
    """Re-run extractions left behind; the job itself gives up after its last attempt."""
    for declaration_id in extraction.stale():
        enqueue(extract_declaration, declaration_id, queue="extraction")
    db.session.commit()


def reject_no_shows():
    """Reject with NO_SHOW the waiting cases whose deadline (working days, Vietnam time) has passed; the citizen is
    told. Batch by batch until none is left."""
    while waiting.reject_no_shows():
        db.session.commit()
    db.session.commit()
