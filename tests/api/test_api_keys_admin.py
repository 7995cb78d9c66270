"""API keys: the admin screens (admins only, key shown once) and flask apikey create | revoke | list."""
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import ApiKey, AuditEntry
from backoffice.services.platform import api_keys
from tests.conftest import login

KEY = re.compile(r"bhxh_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def test_admin_creates_a_key_that_is_shown_once_and_works(client, demo_logins):
    login(client, "quantri.00001")
    created = client.post("/admin/api-keys", data={"channel": "portal"})
    page = created.get_data(as_text=True)
    assert created.status_code == 200 and 'data-testid="api-key"' in page
    key = KEY.search(page).group(0)
    record = db.session.scalar(select(ApiKey))
    assert record.channel == "portal" and api_keys.authenticate(key).id == record.id
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    assert key not in listing and f"bhxh_{record.prefix}_" in listing and "Đang dùng" in listing
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "api_key")) == "api_key_created"


def test_admin_revokes_a_key(client, demo_logins):
    record, key = api_keys.create("vssid_app")
    db.session.commit()
    login(client, "quantri.00001")
    response = client.post(f"/admin/api-keys/{record.id}/revoke")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/api-keys")
    assert api_keys.authenticate(key).revoked_at is not None
    page = client.get("/admin/api-keys").get_data(as_text=True)
    assert "Đã thu hồi" in page
    assert client.get("/api/v1/declarations/ABCDEFGHJK",
                      headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_an_invalid_channel_is_explained(client, demo_logins):
    login(client, "quantri.00001")
    response = client.post("/admin/api-keys", data={"channel": "sms"})
    assert response.status_code == 400 and "Lựa chọn không hợp lệ." in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiKey)) is None


@pytest.mark.parametrize("username", ["tiepnhan.00131", "giamsat.00100", "truongphong.00131"])
def test_only_admins_manage_keys(client, demo_logins, username):
    record, _ = api_keys.create("vssid_app")
    db.session.commit()
    login(client, username)
    assert client.get("/admin/api-keys").status_code == 403
    assert client.post("/admin/api-keys", data={"channel": "portal"}).status_code == 403
    assert client.post(f"/admin/api-keys/{record.id}/revoke").status_code == 403
    assert db.session.get(ApiKey, record.id).revoked_at is None


def test_menu_shows_api_keys_to_admins(client, demo_logins):
    login(client, "quantri.00001")
    assert 'href="/admin/api-keys"' in client.get("/").get_data(as_text=True)


def test_cli_create_prints_the_key_once_and_revoke_by_prefix(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["apikey", "create", "vssid_app"])
    assert created.exit_code == 0, created.output
    key = KEY.search(created.output).group(0)
    assert api_keys.authenticate(key).channel == "vssid_app"
    prefix = key.split("_")[1]
    listed = runner.invoke(args=["apikey", "list"])
    assert key not in listed.output and prefix in listed.output and "đang dùng" in listed.output
    revoked = runner.invoke(args=["apikey", "revoke", prefix])
    assert revoked.exit_code == 0 and api_keys.authenticate(key).revoked_at is not None
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["api_key_created", "api_key_revoked"]


def test_cli_refuses_unknown_channel_and_prefix(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["apikey", "create", "sms"]).exit_code != 0
    missing = runner.invoke(args=["apikey", "revoke", "deadbeef"])
    assert missing.exit_code != 0 and "Không tìm thấy" in missing.output
