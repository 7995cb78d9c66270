"""Sign-in: argon2, rotation, timeouts, revocation, lockout, first-login password change, CSRF, headers."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backoffice.extensions import db
from backoffice.models import AuditEntry, Officer, OfficerSession
from backoffice.services.platform import auth, officers, passwords
from tests.conftest import DEMO_PASSWORD, csrf_token, login

RECEPTION = "tiepnhan.00131"


def officer(username):
    return db.session.scalar(select(Officer).where(Officer.username == username))


def actions():
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_passwords_are_argon2id(demo_logins):
    assert officer(RECEPTION).password_hash.startswith("$argon2id$")
    assert passwords.verify_password(officer(RECEPTION).password_hash, DEMO_PASSWORD)


def test_sign_in_and_out_are_audited_and_logout_kills_the_cookie(client, demo_logins):
    response = login(client, RECEPTION)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Cán bộ tiếp nhận" in page
    stolen = client.get_cookie("bo_session").value

    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 303
    client.set_cookie("bo_session", stolen)  # replaying the old cookie must not work
    assert client.get("/").status_code == 303
    assert actions() == ["login", "logout"]


def test_wrong_password_is_refused_in_vietnamese_and_audited(client, demo_logins):
    response = login(client, RECEPTION, "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert actions() == ["login_failed"]


def test_an_unknown_login_name_is_audited_as_a_keyed_hash_only(client, demo_logins):
    typed = "Mat-Khau-Go-Nham-2024"  # a password typed into the name field
    for _ in range(2):
        assert login(client, typed, "sai").status_code == 200
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert len(entries) == 2
    stored = " ".join(f"{e.actor} {e.object_id} {e.details}" for e in entries).lower()
    assert typed.lower() not in stored
    digest = auth.unknown_login_digest(typed)
    assert [e.details for e in entries] == [{"username_hmac": digest}] * 2  # repeated tries of one name show
    assert [e.actor for e in entries] == ["unknown", "unknown"]
    assert digest == auth.unknown_login_digest("  mat-khau-go-nham-2024 ")  # the name as the lookup reads it
    assert digest != hashlib.sha256(typed.lower().encode()).hexdigest()  # keyed: not a dictionary lookup away
    client.application.config["SECRET_KEY"] = "another-secret-key-that-is-long-enough"
    assert auth.unknown_login_digest(typed) != digest


def test_a_failed_sign_in_of_a_real_login_names_the_officer(client, demo_logins):
    login(client, RECEPTION.upper(), "sai-mat-khau")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).one()
    reception = officer(RECEPTION)
    assert (entry.actor, entry.object_type, entry.object_id, entry.office_id) == (
        RECEPTION, "officer", str(reception.id), reception.office_id)
    assert entry.details == {}


def test_login_rotates_the_session(client, demo_logins):
    client.get("/login")
    anonymous = client.get_cookie("bo_session").value
    login(client, RECEPTION)
    assert client.get_cookie("bo_session").value != anonymous
    login(client.application.test_client(), RECEPTION)
    assert db.session.scalar(select(db.func.count()).select_from(OfficerSession)) == 2


@pytest.mark.parametrize("field, age", [("last_seen_at", timedelta(minutes=31)),
                                        ("created_at", timedelta(hours=12, minutes=1))])
def test_idle_and_absolute_timeouts_end_the_session(client, demo_logins, field, age):
    login(client, RECEPTION)
    assert client.get("/").status_code == 200
    moment = db.session.scalar(select(OfficerSession.created_at)) - age
    db.session.execute(update(OfficerSession).values({field: moment, "last_seen_at": moment}))
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert "Phiên làm việc đã hết hạn" in client.get("/login").get_data(as_text=True)
    assert db.session.scalar(select(OfficerSession.ended_at)) is not None


def test_deactivating_an_officer_ends_their_sessions_at_once(client, demo_logins):
    login(client, RECEPTION)
    assert client.get("/").status_code == 200
    admin = officer("quantri.00131")
    officers.set_active(admin, officer(RECEPTION).id, False)
    db.session.commit()
    assert client.get("/").status_code == 303
    assert login(client, RECEPTION).status_code == 200  # and cannot sign in again


def test_ten_failures_lock_the_account_with_a_clear_message(client, demo_logins):
    for _ in range(10):
        assert login(client, RECEPTION, "sai").status_code == 200
    locked = login(client, RECEPTION)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Tài khoản tạm khoá do đăng nhập sai quá nhiều lần" in locked.get_data(as_text=True)
    assert login(client, "giamsat.00131").status_code == 303  # other accounts are not affected


@pytest.fixture
def app_settings(app_settings):
    app_settings["LOGIN_ATTEMPTS_PER_IP"] = "15 per 15 minutes"
    return app_settings


def test_per_ip_limit_spans_accounts(client, demo_logins):
    for number in range(15):
        assert login(client, f"khong-ton-tai-{number}", "sai").status_code == 200
    assert login(client, RECEPTION).status_code == 429


def test_admin_set_password_must_be_changed_at_first_login(client, demo_logins):
    admin = officer("quantri.00131")
    created, temporary = officers.create(admin, username="moi.00131", full_name="Nguyễn Văn Mới", email="",
                                         role="reception_officer", office_id=admin.office_id)
    db.session.commit()
    assert login(client, "moi.00131", temporary).status_code == 303
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/password"
    too_short = client.post("/password", data={"current_password": temporary, "new_password": "ngan",
                                               "confirm": "ngan"})
    assert "ít nhất 10 ký tự" in too_short.get_data(as_text=True)
    new = "mat-khau-moi-rat-dai"
    changed = client.post("/password", data={"current_password": temporary, "new_password": new, "confirm": new})
    assert changed.status_code == 303
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert officer("moi.00131").must_change_password is False


def test_unauthenticated_htmx_request_gets_hx_redirect(client):
    response = client.get("/admin/officers", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login")


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_open_redirect_after_login_is_refused(client, demo_logins):
    response = client.post("/login?next=https://evil.example/", data={"username": RECEPTION, "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/"


class TestWithCsrf:
    @pytest.fixture
    def app_settings(self, app_settings):
        app_settings["WTF_CSRF_ENABLED"] = True
        return app_settings

    def test_posts_without_a_token_are_refused(self, client, demo_logins):
        response = login(client, RECEPTION)
        assert response.status_code == 400
        assert "Phiên biểu mẫu đã hết hạn" in response.get_data(as_text=True)

    def test_htmx_header_token_is_accepted(self, client, demo_logins):
        token = csrf_token(client)
        assert client.post("/login", data={"username": RECEPTION, "password": DEMO_PASSWORD,
                                           "csrf_token": token}).status_code == 303
        page = client.get("/").get_data(as_text=True)
        header_token = page.split('"X-CSRFToken": "')[1].split('"')[0]
        assert client.post("/logout", headers={"X-CSRFToken": header_token, "HX-Request": "true"}).status_code == 204
        assert client.post("/logout").status_code == 400  # a plain form post without its token
