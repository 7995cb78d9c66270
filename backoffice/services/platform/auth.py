"""Signing in and out, and changing one's own password."""
import hashlib
import hmac

from flask import current_app

from backoffice.services import DomainError
from backoffice.services.platform import audit, passwords, sessions

BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
_DUMMY_HASH = passwords.hash_password("not-a-real-password")


def sign_in(username, password, ip=""):
    """Check the credentials, open a fresh session and audit the attempt either way."""
    officer = sessions.officer_by_username(username)
    # Verify against a dummy hash for unknown names so timing does not reveal which logins exist.
    matches = passwords.verify_password(officer.password_hash if officer else _DUMMY_HASH, password)
    if officer is None or not officer.active or not matches:
        _record_failure(officer, username)
        raise DomainError(BAD_LOGIN)
    sessions.start(officer, ip)
    audit.record("login", actor=officer, office_id=officer.office_id)
    return officer


def unknown_login_digest(username):
    """The keyed hash (HMAC-SHA256 with SECRET_KEY) under which an unknown login name is audited.

    A password typed into the name field must not be kept in the audit log; the hash still shows repeated tries of
    one name, and whoever holds the key can check a suspected name against it.
    """
    key = current_app.config["SECRET_KEY"].encode()
    name = username.strip().lower().encode()
    return hmac.new(key, b"login-name:" + name, hashlib.sha256).hexdigest()


def _record_failure(officer, username):
    if officer is None:
        audit.record("login_failed", actor_label="unknown", details={"username_hmac": unknown_login_digest(username)})
    else:  # a real login is not a secret: name the officer whose account was tried
        audit.record("login_failed", actor_label=officer.username, object_type="officer", object_id=officer.id,
                     office_id=officer.office_id)


def sign_out(officer):
    """End the current session."""
    if officer.session_token:
        sessions.end(officer.session_token)
    audit.record("logout", actor=officer, office_id=officer.office_id)


def change_password(officer, current, new):
    """Change one's own password; it ends every other session."""
    if not passwords.verify_password(officer.password_hash, current):
        raise DomainError("Mật khẩu hiện tại không đúng.", field="current_password")
    if current == new:
        raise DomainError("Mật khẩu mới phải khác mật khẩu hiện tại.", field="new_password")
    passwords.check_strength(new, officer.username)
    officer.password_hash = passwords.hash_password(new)
    officer.must_change_password = False
    sessions.end_all(officer.id)
    sessions.start(officer)
    audit.record("password_changed", actor=officer, object_type="officer", object_id=officer.id,
                 office_id=officer.office_id)
