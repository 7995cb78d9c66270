"""Appending to and verifying the hash-chained audit log (DESIGN.md §8)."""
import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event, insert, select, text
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


_HASHED = ("at", "actor_id", "actor", "action", "object_type", "object_id", "office_id", "ip", "details", "prev_hash")


def _hash(fields):
    payload = dict(fields, at=fields["at"].isoformat())
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def entry_hash(entry):
    """The SHA-256 over an entry's fields and the previous hash."""
    return _hash({name: getattr(entry, name) for name in _HASHED})


# While a transaction holds the chain, its own last entry is the head: later appends in the same
# transaction skip the lock and the head query (the relay appends one entry per message sent).
_LOCKED, _HEAD, _ASYNCHRONOUS = "audit_chain_locked", "audit_chain_head", "audit_commit_asynchronous"


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session, transaction):
    session.info.pop(_HEAD, None)  # a rolled-back savepoint may have taken our last entry with it
    if transaction.parent is None:
        session.info.pop(_LOCKED, None)  # the advisory lock ends with the outermost transaction
        session.info.pop(_ASYNCHRONOUS, None)


# Built once: every audited request runs them, and building a statement costs about as much as running it.
# PostgreSQL takes the chain's lock and reads its head in one round trip (audit_chain_head(), migration 0007).
_LOCKED_HEAD = text("SELECT audit_chain_head(:key)")
_LOCKED_HEAD_ASYNCHRONOUS = text("SELECT audit_chain_head(:key), set_config('synchronous_commit', 'off', true)")
_SYNCHRONOUS = text("SET LOCAL synchronous_commit TO on")
_HEAD_QUERY = select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
# A plain INSERT, not the unit of work: it runs at once, in the order of the appends, still under the lock
# (ids follow the chain, which `verify` relies on).
_INSERT = insert(AuditEntry.__table__)


def _chain_head(session, durable):
    if session.get_bind().dialect.name != "postgresql":
        return session.info.get(_HEAD) or session.execute(_HEAD_QUERY).scalar()
    if durable and session.info.pop(_ASYNCHRONOUS, False):
        session.execute(_SYNCHRONOUS)  # an earlier entry of this transaction asked for less
    if _HEAD in session.info:
        return session.info[_HEAD]
    if session.info.get(_LOCKED):
        return session.execute(_HEAD_QUERY).scalar()
    session.info[_LOCKED] = True
    if durable:
        return session.execute(_LOCKED_HEAD, {"key": _PG_LOCK_KEY}).scalar()
    session.info[_ASYNCHRONOUS] = True
    return session.execute(_LOCKED_HEAD_ASYNCHRONOUS, {"key": _PG_LOCK_KEY}).scalar()


def record(action, *, actor=None, actor_label="", object_type="", object_id="", office_id=None, details=None,
           durable=True):
    """Append one entry to the chain in the caller's transaction.

    durable=False lets the transaction commit without waiting for its WAL flush (PostgreSQL), so the chain's lock
    is not held through a disk flush. A database crash can then lose the last fraction of a second of such
    transactions, each change together with its entry, never one without the other. Only for what is harmless
    to lose that way (a claim: the officer finds the declaration unclaimed and takes it again).
    """
    session = db.session
    fields = {"at": utcnow(), "actor_id": actor.id if actor is not None else None,
              "actor": actor.username if actor is not None else actor_label, "action": action,
              "object_type": object_type, "object_id": str(object_id) if object_id is not None else "",
              "office_id": office_id, "ip": _request_origin.get(), "details": details or {},
              "prev_hash": _chain_head(session, durable) or GENESIS_HASH}
    fields["entry_hash"] = _hash(fields)
    session.connection().execute(_INSERT, fields)
    session.info[_HEAD] = fields["entry_hash"]


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
