"""The hourly job forgets Idempotency-Key records after 24 hours."""
from datetime import timedelta

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import IdempotencyRecord
from backoffice.models.base import utcnow
from backoffice.services.platform import api_keys
from backoffice.tasks.api import purge_idempotency_records


def test_purge_removes_only_expired_records(app, demo_logins):
    record, _ = api_keys.create("portal")
    db.session.flush()
    for key, age in (("old", timedelta(hours=25)), ("fresh", timedelta(hours=1))):
        db.session.add(IdempotencyRecord(api_key_id=record.id, key=key, request_hash="0" * 64, status_code=201,
                                         response={}, created_at=utcnow() - age))
    db.session.commit()
    assert purge_idempotency_records() == 1
    assert db.session.scalars(select(IdempotencyRecord.key)).all() == ["fresh"]
    assert purge_idempotency_records() == 0
    assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
