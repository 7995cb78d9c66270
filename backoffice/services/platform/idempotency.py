"""Idempotency-Key handling for the intake API: the first successful response is kept 24 hours.

Within that window the same key with the same request replays the stored response; the same key with
another request is refused (409). On PostgreSQL a transaction-scoped advisory lock on (api key, key)
makes a concurrent retry wait for the first attempt's commit and then replay it, instead of creating
a second declaration.
"""
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, text

from backoffice.extensions import db
from backoffice.models import IdempotencyRecord
from backoffice.models.base import utcnow

RETENTION = timedelta(hours=24)
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")  # visible ASCII, as HTTP header values are


@dataclass(frozen=True)
class Replay:
    """A response stored for an earlier request with the same key."""

    status_code: int
    body: dict


class KeyReused(Exception):
    """The key was already used, within 24 hours, for a different request."""


def valid_key(key):
    """True for a usable Idempotency-Key header value."""
    return bool(KEY_PATTERN.match(key or ""))


def request_hash(payload, files):
    """SHA-256 over the payload (canonical JSON when it parses) and each file part's name and digest."""
    digest = hashlib.sha256()
    try:
        canonical = json.dumps(json.loads(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        canonical = payload if isinstance(payload, str) else repr(payload)
    digest.update(canonical.encode("utf-8", "surrogatepass"))
    for name in sorted(files):
        digest.update(b"\x00" + name.encode() + b"\x00" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def _lock(api_key_id, key):
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        lock_id = int.from_bytes(hashlib.sha256(f"{api_key_id}:{key}".encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def find(api_key_id, key, fingerprint, now=None):
    """The stored response for this key and request, None when the key is new, KeyReused on a mismatch."""
    now = now or utcnow()
    _lock(api_key_id, key)
    record = db.session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.api_key_id == api_key_id, IdempotencyRecord.key == key))
    if record is None:
        return None
    if record.created_at <= now - RETENTION:
        db.session.delete(record)  # expired: the key may be used afresh
        db.session.flush()
        return None
    if record.request_hash != fingerprint:
        raise KeyReused(key)
    return Replay(record.status_code, record.response)


def remember(api_key_id, key, fingerprint, status_code, body):
    """Keep the response to replay for retries with the same key."""
    db.session.add(IdempotencyRecord(api_key_id=api_key_id, key=key, request_hash=fingerprint,
                                     status_code=status_code, response=body))
    db.session.flush()


def purge_expired(now=None):
    """Delete records older than 24 hours; returns how many went."""
    cutoff = (now or utcnow()) - RETENTION
    return db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at <= cutoff)).rowcount
