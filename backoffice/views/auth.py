"""Sign in, sign out, change password, switch language."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from backoffice.extensions import db, limiter
from backoffice.forms.auth import ChangePasswordForm, LoginForm
from backoffice.services import DomainError
from backoffice.services.platform import auth
from backoffice.web.catalogue import gettext as _
from backoffice.web.htmx import see_other
from backoffice.web.i18n import LANGUAGE_COOKIE
from backoffice.web.permissions import public, signed_in

bp = Blueprint("auth", __name__)


def _account_key():
    return "login-account:" + request.form.get("username", "").strip().lower()[:64]


def _failed(response):
    return response.status_code == 200  # a successful sign-in answers 303


def _safe_next(target):
    parts = urlsplit(target or "")
    return target if target and not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    """The sign-in page; a success rotates the session."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"), code=303)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            officer = auth.sign_in(form.username.data, form.password.data, request.remote_addr)
        except DomainError as error:
            db.session.commit()  # keep the audit entry of the failure
            flash(error.message, "error")
        else:
            db.session.commit()
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # rotation: nothing from the anonymous session survives
            login_user(officer)
            session.permanent = True
            flash(_("Xin chào, %(name)s.", name=officer.full_name), "success")
            return redirect(next_url or url_for("home.index"), code=303)
    return render_template("auth/login.html", form=form)


@bp.errorhandler(429)
def locked_out(_error):
    """Too many failures: the login page with a clear message, as 429."""
    flash(_("Tài khoản tạm khoá do đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút "
            "hoặc liên hệ quản trị viên để đặt lại mật khẩu."), "error")
    return render_template("auth/login.html", form=LoginForm(), locked=True), 429


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    """Sign out (POST only, with CSRF)."""
    auth.sign_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return see_other(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change one's own password (required after an admin set it)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "current_password").errors.append(error.message)
        else:
            db.session.commit()
            login_user(current_user)  # the old sessions ended; store the new token
            flash(_("Đã đổi mật khẩu."), "success")
            return see_other(url_for("home.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Remember the chosen language in a cookie and go back."""
    language = request.form.get("language", "vi")
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = see_other(_safe_next(request.form.get("next")) or url_for("home.index"))
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
