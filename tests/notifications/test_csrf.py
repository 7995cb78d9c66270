"""With CSRF on (as in production): officer actions need the token, the gateway's webhook does not."""
import pytest

from backoffice.extensions import db
from backoffice.tasks.notifications import relay
from tests.conftest import csrf_token
from tests.notifications.conftest import approve


@pytest.fixture
def app_settings(app_settings):
    """CSRF protection switched on."""
    return {**app_settings, "WTF_CSRF_ENABLED": True}


def test_resend_needs_the_csrf_token_and_the_webhook_is_exempt(app, client, office, sms_gateway, smtp_server):
    _sms, email = approve(office.id, 41)
    db.session.commit()
    relay()
    client.post("/login", data={"username": "tiepnhan.00131", "password": "mat-khau-thu-nghiem",
                                "csrf_token": csrf_token(client)})
    assert client.post(f"/notifications/{email.id}/resend").status_code == 400
    token = csrf_token(client, "/notifications/cases/declaration/41")
    assert client.post(f"/notifications/{email.id}/resend", data={"csrf_token": token}).status_code == 303
    assert client.post("/api/v1/sms/receipts", json={"id": "x", "status": "delivered"}).status_code == 401
