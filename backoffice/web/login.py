"""flask-login wiring: sessions are server-side records; htmx requests are redirected with HX-Redirect."""
from flask import current_app, flash, redirect, request, session, url_for

from backoffice.extensions import db, login_manager
from backoffice.services.platform import sessions
from backoffice.web.catalogue import lazy_gettext as _l


def init_app(app):
    """Configure the login manager."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.session_protection = None  # the server-side session record does this job
    login_manager.user_loader(_load)
    login_manager.unauthorized_handler(_unauthorized)


def _load(token):
    officer = sessions.resume(
        token, current_app.config["SESSION_IDLE_TIMEOUT"], current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    )
    # resume() may end an expired session or touch last_seen: keep that even on read-only pages.
    if db.session.dirty:
        db.session.commit()
    return officer


def _unauthorized():
    if session.get("_user_id"):
        session.clear()
        flash(_l("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."), "warning")
    else:
        flash(login_manager.login_message, "info")
    target = url_for("auth.login", next=request.path if request.method == "GET" else None)
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)
