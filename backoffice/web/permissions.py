"""The one place that decides what an officer may see and do: role × office subtree × object.

Every endpoint declares a rule with @allow(...) or @public; the app refuses endpoints that declare
none (fail closed), and tests/test_permissions.py walks the URL map with every role.
"""
from flask import abort, redirect, request, url_for
from flask_login import current_user

from backoffice.extensions import db
from backoffice.models import Role
from backoffice.services.platform.scope import in_scope

PUBLIC = "public"
SIGNED_IN = frozenset(Role)
CITIZEN_DATA_ROLES = frozenset(SIGNED_IN - {Role.admin})  # admins never read citizens' data


def _declare(rule):
    def decorate(view):
        view.permission_rule = rule
        return view

    return decorate


def allow(*roles):
    """Let only these roles call the view; others get 403."""
    return _declare(frozenset(Role(r) for r in roles))


public = _declare(PUBLIC)
signed_in = _declare(SIGNED_IN)
citizen_data = _declare(CITIZEN_DATA_ROLES)


def rule_for(view):
    """The rule a view declared, or None (then the view is refused)."""
    return getattr(view, "permission_rule", None)


def enforce(app):
    """Check the declared rule before every request."""
    public(app.view_functions["static"])  # CSS, JS and htmx carry no data

    @app.before_request
    def _check():
        if request.endpoint is None:
            return None  # 404 or 405 follows
        view = app.view_functions[request.endpoint]
        rule = rule_for(view)
        if rule is None:
            app.logger.error("endpoint %s declares no permission rule", request.endpoint)
            abort(403)
        if rule == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()
        if current_user.must_change_password and request.endpoint not in _PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
        if current_user.role not in rule:
            abort(403)
        return None


_PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language"}


def scoped_get(officer, model, object_id):
    """Load a citizen-facing object by id, or 404 when it is missing or outside the officer's scope."""
    if officer.role not in CITIZEN_DATA_ROLES:
        abort(403)
    obj = db.session.get(model, object_id)
    if obj is None or not in_scope(officer, obj.office_id):
        abort(404)
    return obj

