"""Appending to and verifying the hash-chained audit log (DESIGN.md §8)."""
import hashlib
import json
import os
from collections import namedtuple
from contextvars import ContextVar
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.models.audit import GENESIS_HASH
from backoffice.models.base import utcnow

# The web layer binds who is acting and from where; services only read it.
_request_origin: ContextVar[str] = ContextVar("audit_request_origin", default="")

ANCHORED = "audit_anchored"
ChainHead = namedtuple("ChainHead", "id entry_hash count")

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


@dataclass(frozen=True)
class Anchor:
    """A witness of the chain at one moment: its first `count` entries end in entry `entry_id` with `entry_hash`."""

    count: int
    entry_id: int
    entry_hash: str
    at: str = ""
    source: str = ""  # where it was read, for the operator: "database", a file and line

    def describe(self):
        """The anchor in words, for `flask audit verify`."""
        return f"{self.count} entries up to id={self.entry_id} at {self.at or '?'} ({self.source})"


class BadAnchor(ValueError):
    """An anchor line or entry that cannot be read: verify stops rather than skip a witness."""


@dataclass
class VerifyResult:
    """Outcome of a chain walk: how many entries were checked, the first bad one and the latest anchor met."""

    checked: int
    bad_entry_id: int | None = None
    reason: str = ""
    anchor: Anchor | None = None

    @property
    def ok(self):
        return not self.reason


def verify(anchors=None, batch_size=5000):
    """Walk the chain in id order; stop at the first entry that does not hold or that an anchor contradicts.

    Hashes alone cannot show a cut tail (the entries left still link up), so each anchor's position is checked
    too: the count-th entry must be the anchored one, and the chain must be at least as long as every anchor.
    `anchors` defaults to those of this database: its own anchor entries and the anchor file's lines.
    """
    anchors = list(read_anchors() if anchors is None else anchors)
    by_position = {}
    for anchor in anchors:
        by_position.setdefault(anchor.count, []).append(anchor)
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch_size)
        ).all()
        if not batch:
            break
        for entry in batch:
            if entry.prev_hash != expected_prev:
                return VerifyResult(checked, entry.id, "prev_hash does not match the entry before it")
            if entry_hash(entry) != entry.entry_hash:
                return VerifyResult(checked, entry.id, "content does not match its hash")
            checked += 1
            for anchor in by_position.get(checked, ()):
                if (entry.id, entry.entry_hash) != (anchor.entry_id, anchor.entry_hash):
                    return VerifyResult(checked - 1, entry.id, f"entry number {checked} is not the anchored one: "
                                                               f"anchor of {anchor.describe()}")
            expected_prev = entry.entry_hash
            last_id = entry.id
        db.session.expunge_all()
    latest = max(anchors, key=lambda a: (a.count, a.entry_id), default=None)
    if latest is not None and checked < latest.count:
        return VerifyResult(checked, None, f"the chain has {checked} entries, fewer than the latest anchor's: "
                                           f"{latest.describe()}; its tail was cut", latest)
    return VerifyResult(checked, anchor=latest)


def database_identity():
    """Which database an anchor file line belongs to (backend and database name; no host, user or password)."""
    url = db.engine.url
    return f"{url.get_backend_name()}:{url.database}"


def anchor_record(head_id, head_hash, count):
    """The anchor as one JSON-ready dict: written to the anchor file, the log and file storage."""
    return {"database": database_identity(), "count": count, "entry_id": head_id, "entry_hash": head_hash,
            "at": utcnow().isoformat()}


def append_anchor_line(record, path=None):
    """Append the anchor to the anchor file as one JSON line, flushed to disk.

    One write() of a short line with O_APPEND does not interleave with another process's; the file is opened for
    appending only, so the process never rewrites what is there.
    """
    path = path or current_app.config["AUDIT_ANCHOR_FILE"]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    line = (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _anchor_from(data, source):
    try:
        anchor = Anchor(count=data["count"], entry_id=data["entry_id"], entry_hash=data["entry_hash"],
                        at=str(data.get("at", "")), source=source)
    except (KeyError, TypeError, AttributeError) as error:
        raise BadAnchor(f"{source}: not an anchor ({error})") from None
    if not (isinstance(anchor.count, int) and isinstance(anchor.entry_id, int) and anchor.count > 0
            and isinstance(anchor.entry_hash, str) and len(anchor.entry_hash) == 64):
        raise BadAnchor(f"{source}: not an anchor")
    return anchor


def file_anchors(path, database=None):
    """The anchors in an anchor file (or a copy shipped from the log: the JSON from each line's first "{").

    Lines of another database (an instance folder shared by a test or development database) are skipped; a
    missing file has none; a line that cannot be read raises BadAnchor.
    """
    database = database or database_identity()
    try:
        with open(path, encoding="utf-8") as lines:
            numbered = list(enumerate(lines, start=1))
    except FileNotFoundError:
        return []
    anchors = []
    for number, line in numbered:
        if not line.strip():
            continue
        source = f"{path}, line {number}"
        try:
            data = json.loads(line[line.index("{"):])
        except ValueError:
            raise BadAnchor(f"{source}: not JSON") from None
        if not isinstance(data, dict):
            raise BadAnchor(f"{source}: not an anchor")
        if data.get("database", database) == database:
            anchors.append(_anchor_from(data, source))
    return anchors


def database_anchors():
    """The anchors the chain holds itself (entries `audit_anchored` that carry a count).

    One that cannot be read is left out rather than raised: its entry is hashed, so the walk names it if edited.
    """
    anchors = []
    for details in db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == ANCHORED)):
        try:
            anchors.append(_anchor_from(details, "database"))
        except BadAnchor:
            continue  # written before anchors carried a count, or edited (then the walk fails on that entry)
    return anchors


def read_anchors(extra_files=()):
    """Every anchor of this database: its own entries, the configured anchor file and any extra files."""
    paths = [current_app.config["AUDIT_ANCHOR_FILE"], *extra_files]
    return database_anchors() + [anchor for path in paths for anchor in file_anchors(path)]


def head():
    """The newest entry (id, hash and the number of entries up to it), for anchoring outside the database."""
    newest = db.session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if newest is None:
        return None
    # Appends are serialised and ids follow the chain, so no entry at or below this id can still appear.
    count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= newest.id))
    return ChainHead(newest.id, newest.entry_hash, count)
