"""Route permissions: which roles may call each endpoint, and the HTTP face of object access.

Every endpoint declares a rule with @allow(...) or @public; the app refuses endpoints that declare
none (fail closed), and tests/test_permissions.py walks the URL map with every role. Which objects
(cases, their files and messages) an officer may read or act on is decided in one place,
services.platform.scope; the helpers below turn its NotFound / Forbidden into 404 / 403.
"""
from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from backoffice.models import Role
from backoffice.services import Forbidden, NotFound
from backoffice.services.platform import scope
from backoffice.web.errors import error_response

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


def allows(rule, role):
    """Whether a declared rule lets a signed-in role in (no rule lets no one in)."""
    return rule == PUBLIC or (rule is not None and role in rule)


def enforce(app):
    """Check the declared rule before every request."""
    public(app.view_functions["static"])  # CSS, JS and htmx carry no data
    app.jinja_env.globals.update(may_open=may_open, may_send=may_send)
    # A service that checks access itself (declarations.get_for) raises Forbidden; NotFound has its handler in errors.
    app.register_error_handler(Forbidden, lambda _error: error_response(403))

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
        if not allows(rule, current_user.role):
            abort(403)
        return None


def may_open(endpoint, obj=None):
    """Whether the signed-in officer may open the page of `endpoint` (about `obj`, when given): its rule lets
    their role in and, for an object, scope lets them read it. A link the reader may not follow is a dead end
    (a supervisor's "back to the queue" on a declaration, a counter officer's link to a reissue request):
    templates show such a link only where this holds."""
    return _role_may_call(endpoint) and (obj is None or scope.can_read(current_user, obj))


def may_send(endpoint, obj):
    """Whether the signed-in officer may send the form of `endpoint` that acts on `obj`: its rule lets their role in
    and scope lets them act on it. A button that answers 403 is a dead end too (a supervisor offered a declaration's
    claim)."""
    return _role_may_call(endpoint) and scope.can_act(current_user, obj)


def _role_may_call(endpoint):
    rule = rule_for(current_app.view_functions[endpoint])
    return rule == PUBLIC or (current_user.is_authenticated and allows(rule, current_user.role))


_PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language"}


def _http(get, officer, model, ident):
    # Object access is decided in services.platform.scope; here its answer only becomes an HTTP status.
    try:
        return get(officer, model, ident)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def scoped_get(officer, model, ident):
    """The object the officer may read (404 outside their scope, 403 when their role may not read it)."""
    return _http(scope.get_readable, officer, model, ident)


def scoped_get_to_act(officer, model, ident):
    """The object the officer may act on (404 outside their scope, 403 when they may only read it or not at all)."""
    return _http(scope.get_actionable, officer, model, ident)


def scoped_case(officer, case_type, case_id):
    """The case (named as messages name it) the officer may read, or 404/403."""
    return _http(scope.get_readable_case, officer, case_type, case_id)
