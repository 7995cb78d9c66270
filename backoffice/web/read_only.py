"""Read-only pages on PostgreSQL run without a transaction: each statement commits by itself.

The hot lists (the queue) read twice per view: the sign-in session and the page. In a transaction that is
BEGIN and ROLLBACK around them, two more round trips for nothing. A view marked `@read_only` has its request's
session marked before the sign-in lookup, and the session connects in autocommit when it first needs to
(engine.sessions); the session's rare writes (last-seen, an ended session) are single statements and stay
correct. Views that write (claims, audit entries) are never marked.
"""
from flask import request

from backoffice.engine.sessions import READ_ONLY
from backoffice.extensions import db


def read_only(view):
    """Mark a GET view that never writes: it may run its statements in autocommit."""
    view.read_only = True
    return view


def init_app(app):
    """Register before the permission check, whose sign-in lookup is the first statement of a request."""

    @app.before_request
    def _autocommit_for_read_only():
        view = app.view_functions.get(request.endpoint)
        if request.method == "GET" and getattr(view, "read_only", False):
            db.session().info[READ_ONLY] = True
