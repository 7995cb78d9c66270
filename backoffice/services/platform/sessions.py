"""Server-side sign-in sessions: rotation at login, idle and absolute timeouts, revocation."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import contains_eager

from backoffice.extensions import db
from backoffice.models import Officer, OfficerSession
from backoffice.models.base import utcnow

# One query for the session, its officer, their office and their department (if any): every page needs them (the
# header, the menu, the scope rules). Built once: building and keying the statement costs about as much as running it.
_RESUME = (select(OfficerSession).join(OfficerSession.officer).join(Officer.office).outerjoin(Officer.department)
           .where(OfficerSession.token_hash == bindparam("token_hash"))
           .options(contains_eager(OfficerSession.officer).contains_eager(Officer.office),
                    contains_eager(OfficerSession.officer).contains_eager(Officer.department)))
# Writing last_seen on every request would make each page view a write; a minute is precise enough.
_TOUCH_EVERY = timedelta(minutes=1)


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
    record = db.session.scalar(_RESUME, {"token_hash": _digest(token)})
    if record is None or record.ended_at is not None:
        return None
    now = utcnow()
    officer = record.officer
    expired = now - record.last_seen_at > idle_timeout or now - record.created_at > absolute_timeout
    if expired or not officer.active:
        record.ended_at = now
        return None
    if now - record.last_seen_at > _TOUCH_EVERY:
        record.last_seen_at = now
    officer.session_token = token
    return officer


def end(token):
    """End one session (logout)."""
    db.session.execute(
        update(OfficerSession)
        .where(OfficerSession.token_hash == _digest(token), OfficerSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all(officer_id):
    """End every open session of an officer (deactivation, password reset)."""
    db.session.execute(
        update(OfficerSession)
        .where(OfficerSession.officer_id == officer_id, OfficerSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def officer_by_username(username):
    """Look an officer up by login name, case-insensitively."""
    return db.session.scalar(select(Officer).where(Officer.username == username.strip().lower()))
