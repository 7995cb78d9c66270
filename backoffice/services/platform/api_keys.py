"""Channel API keys of the intake API: created (shown once), revoked, and checked by their SHA-256."""
import hashlib
import re
import secrets

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import ApiKey
from backoffice.models.base import utcnow
from backoffice.models.declaration import Channel
from backoffice.services import DomainError, NotFound
from backoffice.services.platform import audit
from backoffice.services.platform.admin_scope import Forbidden, is_national

KEY_FORMAT = re.compile(r"^bhxh_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$")
CHANNELS = tuple(c.value for c in Channel)


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def _audit(action, key, actor, actor_label):
    audit.record(action, actor=actor, actor_label=actor_label, object_type="api_key", object_id=key.id,
                 details={"prefix": key.prefix, "channel": key.channel})


def manageable_by(actor):
    """True when the officer may create and revoke keys: the channels serve the whole country, so national admins
    only. (The command line, run by the operator, passes no actor.)"""
    return actor is None or is_national(actor)


def _require_manager(actor, message):
    if not manageable_by(actor):
        raise Forbidden(message)


def create(channel, actor=None, actor_label="cli"):
    """Create a key for a channel; returns (ApiKey, the key itself), which is never stored nor shown again.

    A signed-in actor must be a national admin (else Forbidden).
    """
    _require_manager(actor, "Chỉ quản trị viên cấp Trung ương được tạo khoá API cho các kênh.")
    if channel not in CHANNELS:
        raise DomainError(f"Kênh không hợp lệ; chọn một trong: {', '.join(CHANNELS)}.", field="channel")
    prefix = secrets.token_hex(4)
    while db.session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)):
        prefix = secrets.token_hex(4)
    key = f"bhxh_{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiKey(channel=channel, prefix=prefix, key_hash=_digest(key))
    db.session.add(record)
    db.session.flush()
    _audit("api_key_created", record, actor, actor_label)
    return record, key


def revoke(prefix, actor=None, actor_label="cli"):
    """Revoke a key by its prefix (idempotent); the key stops working at once. A signed-in actor must be a national
    admin (else Forbidden)."""
    _require_manager(actor, "Chỉ quản trị viên cấp Trung ương được thu hồi khoá API của các kênh.")
    record = db.session.scalar(select(ApiKey).where(ApiKey.prefix == (prefix or "").strip().lower()))
    if record is None:
        raise NotFound("Không tìm thấy khoá API với tiền tố này.")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        db.session.flush()
        _audit("api_key_revoked", record, actor, actor_label)
    return record


def listing():
    """Every key, newest first (active and revoked)."""
    return db.session.scalars(select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id.desc())).all()


def authenticate(key):
    """The ApiKey for a presented key: None when unknown; the record (check `revoked_at`) when known."""
    if not key or not KEY_FORMAT.match(key):
        return None
    return db.session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(key)))


def display(record):
    """How a key is named in lists and logs: its prefix only."""
    return f"bhxh_{record.prefix}_…"
