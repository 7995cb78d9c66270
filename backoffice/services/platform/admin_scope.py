"""What an admin may manage, decided here for officers, offices and API keys (DESIGN.md §3).

- An admin manages the officers and offices of their own subtree: their own office and every office below it.
  Anything outside answers as if it did not exist (NotFound, a 404), so ids cannot be probed.
- What belongs to the whole country is changed by national admins only (an admin whose office is at the national
  level): the shape of the tree (an office's parent and level) and the channels' API keys. Others get Forbidden
  (a 403).
- Refusals are audited (`record_refusal`) after the caller has rolled its transaction back, so the entry survives.
"""
from sqlalchemy import select

from backoffice import services
from backoffice.extensions import db
from backoffice.models import Office, OfficeLevel
from backoffice.services import DomainError, NotFound
from backoffice.services.platform import audit

# Top of the tree first: an admin may create offices only at a level below their own.
LEVEL_ORDER = (OfficeLevel.national, OfficeLevel.provincial, OfficeLevel.local)


class Refused(DomainError):
    """The admin's scope does not allow the attempt (shown on the form); the attempt is audited."""


class Forbidden(Refused, services.Forbidden):
    """Only a national admin may do this (answered as 403, like any services.Forbidden); the attempt is audited."""


def is_national(actor):
    """True for an admin whose office is at the national level: they manage the national objects."""
    return actor.office.level == OfficeLevel.national


def manages(actor, office):
    """True when `office` lies in the actor's subtree (their own office included)."""
    return office.path.startswith(actor.office.path)


def subtree_condition(actor):
    """The SQL condition "the office lies in the actor's subtree", on Office."""
    return Office.path.startswith(actor.office.path)


def managed_offices(actor):
    """The offices the actor manages, in tree order."""
    return db.session.scalars(select(Office).where(subtree_condition(actor)).order_by(Office.path)).all()


def require_national(actor, message):
    """Raise Forbidden with `message` unless the actor is a national admin."""
    if not is_national(actor):
        raise Forbidden(message)


def record_refusal(actor, error, *, attempt, target=None, submitted=None):
    """Audit a refused attempt: what was tried (`attempt`, e.g. the endpoint), on what, with which values, and why.

    `target` holds the view's arguments ({"officer_id": 5}): the first *_id names the object. `submitted` holds
    the scope-relevant values sent (role, office, parent...), never citizen data (admins have none).
    """
    object_type, object_id = "", ""
    for name, value in (target or {}).items():
        if name.endswith("_id"):
            object_type, object_id = name.removesuffix("_id"), value
            break
    kind = "forbidden" if isinstance(error, Forbidden) else "not_found" if isinstance(error, NotFound) else "refused"
    audit.record("admin_refused", actor=actor, object_type=object_type, object_id=object_id,
                 office_id=actor.office_id,
                 details={"attempt": attempt, "kind": kind, "reason": error.message, "submitted": submitted or {}})
