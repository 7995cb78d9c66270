"""Appending to and verifying the hash-chained audit log (DESIGN.md §8)."""
import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.models.audit import GENESIS_HASH
from backoffice.models.base import utcnow

# The web layer binds who is acting and from where; services only read it.
_request_origin: ContextVar[str] = ContextVar("audit_request_origin", default="")

# PostgreSQL: one advisory lock serialises appends so two writers never chain onto the same head.
_PG_LOCK_KEY = 0x42485848  # "BHXH"


def bind_origin(ip):
    """Remember the client address for entries appended during this request."""
    _request_origin.set(ip or "")


def entry_hash(entry):
    """The SHA-256 over an entry's fields and the previous hash."""
    payload = {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "office_id": entry.office_id,
        "ip": entry.ip,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# While a transaction holds the chain, its own last entry is the head: later appends in the same
# transaction skip the lock and the head query (the relay appends one entry per message sent).
_LOCKED, _HEAD = "audit_chain_locked", "audit_chain_head"


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session, transaction):
    session.info.pop(_HEAD, None)  # a rolled-back savepoint may have taken our last entry with it
    if transaction.parent is None:
        session.info.pop(_LOCKED, None)  # the advisory lock ends with the outermost transaction


# Built once: every audited request runs both, and building a statement costs about as much as running it.
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_HEAD_QUERY = select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)


def _chain_head(session):
    if _HEAD in session.info:
        return session.info[_HEAD]
    if not session.info.get(_LOCKED) and session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK, {"key": _PG_LOCK_KEY})
        session.info[_LOCKED] = True
    head = session.execute(_HEAD_QUERY).scalar()
    return head or GENESIS_HASH


def record(action, *, actor=None, actor_label="", object_type="", object_id="", office_id=None, details=None):
    """Append one entry to the chain in the caller's transaction."""
    session = db.session
    prev_hash = _chain_head(session)
    entry = AuditEntry(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor=actor.username if actor is not None else actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        office_id=office_id,
        ip=_request_origin.get(),
        details=details or {},
        prev_hash=prev_hash,
    )
    entry.entry_hash = entry_hash(entry)
    # Not flushed here: the session inserts pending entries in the order they were added, in one batch,
    # at the next query or commit, still under the lock (ids follow the chain, which `verify` relies on).
    session.add(entry)
    session.info[_HEAD] = entry.entry_hash
    return entry


@dataclass
class VerifyResult:
    """Outcome of a chain walk: how many entries were checked and the first bad one."""

    checked: int
    bad_entry_id: int | None = None
    reason: str = ""

    @property
    def ok(self):
        return self.bad_entry_id is None


def verify(batch_size=5000):
    """Walk the chain in id order and stop at the first entry that does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch_size)
        ).all()
        if not batch:
            return VerifyResult(checked)
        for entry in batch:
            if entry.prev_hash != expected_prev:
                return VerifyResult(checked, entry.id, "prev_hash does not match the entry before it")
            if entry_hash(entry) != entry.entry_hash:
                return VerifyResult(checked, entry.id, "content does not match its hash")
            expected_prev = entry.entry_hash
            checked += 1
            last_id = entry.id
        db.session.expunge_all()


def head():
    """The newest entry (id and hash), for anchoring outside the database."""
    return db.session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
