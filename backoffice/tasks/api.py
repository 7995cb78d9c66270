"""Housekeeping of the intake API."""
from backoffice.extensions import db
from backoffice.services.platform import idempotency


def purge_idempotency_records():
    """Forget Idempotency-Key responses older than 24 hours (idempotent: a second run deletes nothing)."""
    removed = idempotency.purge_expired()
    db.session.commit()
    return removed
