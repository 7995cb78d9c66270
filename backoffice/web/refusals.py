"""Admins' refused attempts: rolled back, audited in a transaction of their own, answered 404/403 or on the form.

Used by every admin blueprint (officers and offices, channel API keys); the rules are in
services.platform.admin_scope.
"""
from flask import request
from flask_login import current_user

from backoffice.extensions import db
from backoffice.services import NotFound
from backoffice.services.platform import admin_scope
from backoffice.services.platform.admin_scope import Forbidden, Refused
from backoffice.web.errors import error_response

# Values that decide scope, kept in the audit entry of a refused attempt (admins' forms hold no citizen data).
_AUDITED_FIELDS = ("role", "office_id", "department_code", "parent_id", "level", "active", "channel")


def _printable(value):
    """A submitted value as the audit keeps it: short, and without NUL (which PostgreSQL's JSON refuses)."""
    return value.replace("\x00", "")[:64]


def record_refusal(error):
    """Roll the attempt back, then audit the refusal in a transaction of its own."""
    db.session.rollback()
    admin_scope.record_refusal(current_user, error, attempt=request.endpoint, target=request.view_args,
                               submitted={k: _printable(request.form[k]) for k in _AUDITED_FIELDS if k in request.form})
    db.session.commit()


def answer_refusals(blueprint):
    """Answer NotFound with 404 and Forbidden with 403 on the blueprint's pages, auditing each refusal."""

    @blueprint.errorhandler(NotFound)
    @blueprint.errorhandler(Forbidden)
    def _refused(error):
        record_refusal(error)
        return error_response(403 if isinstance(error, Forbidden) else 404)


def audit_if_refused(error):
    """An `on_error` hook for actions.perform: a Refused attempt is audited, other domain errors are not."""
    if isinstance(error, Refused):
        record_refusal(error)
