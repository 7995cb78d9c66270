"""Server-side sign-in sessions: rotation at login, idle and absolute timeouts, revocation.

Every page starts by resuming its session: the session record, its officer, their office and department. A worker
keeps what it read (a copy detached from any database session, for a minute at most) under the **version of the
officer** (services.platform.versions, shared by every worker through Redis) and, while that version stands and
the session needs no touch, resumes from the copy without a query. The version moves when a transaction that wrote
the officer or one of their sessions commits (a sign-out, a deactivation, a role, office or password change, the
minute's last-seen touch), and every officer's when an office or a department is written, or when a statement
writes those tables in bulk. So a session ended or an officer deactivated in one worker is refused by every
worker's next request, as before. The version is read before the record (a write committed in between is never
hidden by the copy), so a session is resumed from the database on its first two requests and after each write.
"""
import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session, contains_eager, make_transient_to_detached

from backoffice.extensions import db
from backoffice.models import Department, Office, Officer, OfficerSession
from backoffice.models.base import utcnow
from backoffice.services.platform import versions

# One query for the session, its officer, their office and their department (if any): every page needs them (the
# header, the menu, the scope rules). Built once: building and keying the statement costs about as much as running it.
_RESUME = (select(OfficerSession).join(OfficerSession.officer).join(Officer.office).outerjoin(Officer.department)
           .where(OfficerSession.token_hash == bindparam("token_hash"))
           .options(contains_eager(OfficerSession.officer).contains_eager(Officer.office),
                    contains_eager(OfficerSession.officer).contains_eager(Officer.department)))
# Writing last_seen on every request would make each page view a write; a minute is precise enough.
_TOUCH_EVERY = timedelta(minutes=1)
VERSIONS = "signed-in"  # versions.py's name: "officer:<id>" per officer, ALL for every officer
ALL = "all"
_TABLES = {model.__table__.name for model in (Officer, OfficerSession, Office, Department)}
_NOTED_HERE = "sessions_noted"  # an execution option: the statement's versions were noted by this module
_KEPT_SECONDS = 60  # a copy is used only within the minute after the last-seen touch anyway


@dataclass(frozen=True)
class _Kept:
    """A session as read, with the officer, office and department detached from any database session."""

    officer: Officer
    created_at: datetime
    last_seen_at: datetime
    version: tuple


def _kept():
    kept = current_app.extensions.get("signed_in")
    if kept is None:
        # officer ids by token digest (a session's officer never changes), and the copies read at a version
        kept = current_app.extensions.setdefault(
            "signed_in", (TTLCache(65536, 12 * 3600), TTLCache(8192, _KEPT_SECONDS), threading.Lock()))
    return kept


def _detached_copy(officer):
    """The officer with their office and department as new instances that no database session holds (clean, as if
    just loaded), to be merged into each request's session without a query."""
    def copy(obj):
        if obj is None:
            return None
        fresh = type(obj)()
        for attribute in inspect(type(obj)).column_attrs:
            setattr(fresh, attribute.key, getattr(obj, attribute.key))
        return fresh

    fresh, office, department = copy(officer), copy(officer.office), copy(officer.department)
    fresh.office, fresh.department = office, department
    for obj in (office, department, fresh):
        if obj is not None:
            make_transient_to_detached(obj)
    return fresh


@event.listens_for(Session, "after_flush")
def _note_written(session, _context):
    keys = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Officer):
            keys.add(f"officer:{obj.id}")
        elif isinstance(obj, OfficerSession):
            keys.add(f"officer:{obj.officer_id}")
        elif isinstance(obj, (Office, Department)):
            keys.add(ALL)
    if keys:
        versions.note(VERSIONS, keys, session)


@event.listens_for(Session, "do_orm_execute")
def _note_statements(execute_state):
    """A statement that writes officers, sessions, offices or departments outside a flush: every officer."""
    if execute_state.execution_options.get(_NOTED_HERE):
        return
    statement = execute_state.statement
    if execute_state.is_insert or execute_state.is_update or execute_state.is_delete:
        written = getattr(getattr(statement, "table", None), "name", None) in _TABLES
    else:  # a textual statement: its first words
        words = str(getattr(statement, "text", "")).lower().replace('"', " ").split()[:3]
        written = bool(words) and words[0] in {"update", "insert", "delete"} and bool(_TABLES & set(words))
    if written:
        versions.note(VERSIONS, (ALL,), execute_state.session)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(officer, ip=""):
    """Open a new session record and return its token (a new one at every login)."""
    token = secrets.token_urlsafe(32)
    db.session.add(OfficerSession(token_hash=_digest(token), officer_id=officer.id, ip=ip or ""))
    db.session.flush()
    officer.session_token = token
    return token


def resume(token, idle_timeout, absolute_timeout):
    """The officer behind a live token, or None when it ended, idled out, aged out or was deactivated."""
    if not token:
        return None
    digest = _digest(token)
    officer_ids, copies, lock = _kept()
    with lock:
        officer_id, kept = officer_ids.get(digest), copies.get(digest)
    version = versions.current(VERSIONS, (f"officer:{officer_id}", ALL)) if officer_id is not None else None
    now = utcnow()
    if (kept is not None and version is not None and kept.version == version
            and now - kept.last_seen_at <= min(_TOUCH_EVERY, idle_timeout)
            and now - kept.created_at <= absolute_timeout):
        officer = db.session.merge(kept.officer, load=False)
        officer.session_token = token
        return officer
    record = db.session.scalar(_RESUME, {"token_hash": digest})
    if record is None or record.ended_at is not None:
        return None
    officer = record.officer
    expired = now - record.last_seen_at > idle_timeout or now - record.created_at > absolute_timeout
    if expired or not officer.active:
        record.ended_at = now
        return None
    if now - record.last_seen_at > _TOUCH_EVERY:
        record.last_seen_at = now  # a write: the officer's version moves at its commit, nothing is kept now
    elif version is not None and officer.id == officer_id:
        copy = _Kept(_detached_copy(officer), record.created_at, record.last_seen_at, version)
        with lock:
            copies[digest] = copy
    with lock:
        officer_ids[digest] = officer.id
    officer.session_token = token
    return officer


def end(token):
    """End one session (logout)."""
    ended = db.session.execute(
        update(OfficerSession)
        .where(OfficerSession.token_hash == _digest(token), OfficerSession.ended_at.is_(None))
        .values(ended_at=utcnow()).returning(OfficerSession.officer_id),
        execution_options={_NOTED_HERE: True}).scalars().all()
    versions.note(VERSIONS, {f"officer:{officer_id}" for officer_id in ended})


def end_all(officer_id):
    """End every open session of an officer (deactivation, password reset)."""
    db.session.execute(
        update(OfficerSession)
        .where(OfficerSession.officer_id == officer_id, OfficerSession.ended_at.is_(None))
        .values(ended_at=utcnow()),
        execution_options={_NOTED_HERE: True})
    versions.note(VERSIONS, (f"officer:{officer_id}",))


def officer_by_username(username):
    """Look an officer up by login name, case-insensitively."""
    return db.session.scalar(select(Officer).where(Officer.username == username.strip().lower()))
