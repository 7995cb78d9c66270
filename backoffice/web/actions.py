"""One way for a view to change something: call one service, commit, or roll back and show why.

A view validates its form, then `perform(call, ...)`: on success the transaction commits (jobs and messages go
out after it) and `done` is flashed; on a DomainError it rolls back and the message goes next to the form's field
(or the form, or a toast). A re-rendered page answers 409 for a Conflict and 422 for any other refusal, decided
here once; NotFound and Forbidden are rolled back and raised on to the app's handlers (404, 403).
"""
from dataclasses import dataclass
from typing import Any

from flask import flash

from backoffice.extensions import db
from backoffice.services import AuditedRefusal, Conflict, DomainError, Forbidden, NotFound


@dataclass(frozen=True)
class Outcome:
    """What a service call came to: its result, or the domain error that refused it."""

    result: Any = None
    error: DomainError | None = None

    @property
    def ok(self):
        """True when the call succeeded and was committed."""
        return self.error is None

    @property
    def status(self):
        """The HTTP status a re-rendered page answers with: 200, 409 for a conflict, 422 for a refusal."""
        return 200 if self.error is None else status_of(self.error)


def status_of(error):
    """409 when the object changed under the officer, 422 for any other refusal of the domain."""
    return 409 if isinstance(error, Conflict) else 422


def show_error(error, form=None):
    """Put a domain error's message next to its form field, on the form, or in a toast without a form."""
    if form is None:
        flash(error.message, "error")
        return
    field = getattr(form, error.field, None) if error.field else None
    (field.errors if field is not None else form.form_errors).append(error.message)


def perform(call, *args, done=None, form=None, on_error=None, **kwargs):
    """Run `call(*args, **kwargs)`, one service operation; commit and flash `done`, or roll back and show the error.

    `on_error(error)` runs after the rollback (e.g. to audit a refused attempt in a transaction of its own).
    """
    try:
        result = call(*args, **kwargs)
    except (NotFound, Forbidden):
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, AuditedRefusal):  # the refused attempt itself is audited (supervision flags it)
            error.record()
            db.session.commit()
        if on_error is not None:
            on_error(error)
        show_error(error, form)
        return Outcome(error=error)
    db.session.commit()
    if done:
        flash(done, "success")
    return Outcome(result=result)
