"""A case's messages on screen: delivery status, resend (3 per hour per case, audited, new password), re-queue."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, OutboxMessage
from backoffice.models.outbox import OutboxStatus
from backoffice.services import DomainError, notifications
from backoffice.services.notifications import messages
from backoffice.tasks.notifications import relay
from tests.conftest import login
from tests.notifications.conftest import approve

CASE_URL = "/notifications/cases/declaration/31"


@pytest.fixture
def issued(monkeypatch):
    """A stand-in for the declarations' credential issuer; records each password it hands out."""
    passwords = []

    def issue(case_id, actor):
        passwords.append(f"NewPass{len(passwords) + 1}x{case_id}")
        return {"temporary_password": passwords[-1]}

    monkeypatch.setitem(messages._credential_issuers, "declaration", issue)
    return passwords


def _dead_approval(office, sms_gateway):
    sms_gateway.plan = ["400"]  # the gateway refuses the first SMS: dead at once
    sms, email = approve(office.id, 31, password="FirstPass111")
    db.session.commit()
    relay()
    db.session.expire_all()
    return db.session.get(OutboxMessage, sms.id), db.session.get(OutboxMessage, email.id)


def _resend(client, message_id, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/notifications/{message_id}/resend", data={"next": CASE_URL}, headers=headers)


def test_the_case_shows_each_message_with_a_masked_recipient(app, client, office, sms_gateway, smtp_server):
    sms, _email = _dead_approval(office, sms_gateway)
    login(client, "tiepnhan.00131")
    page = client.get(CASE_URL).get_data(as_text=True)
    assert "0912****78" in page and "0912345678" not in page and "an***@example.vn" in page
    assert "Gửi lỗi" in page and "Đã gửi" in page
    fragment = client.get(CASE_URL, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith("<section id=\"case-messages\"") and "<html" not in fragment
    assert client.get("/notifications/cases/declaration/999").status_code == 404
    other = app.test_client()
    login(other, "tiepnhan.05600")
    assert other.get(CASE_URL).status_code == 404  # another office's case does not exist for them
    assert other.post(f"/notifications/{sms.id}/resend").status_code == 404


def test_resending_the_credentials_sms_issues_a_new_password(app, client, office, sms_gateway, smtp_server, issued):
    sms, _email = _dead_approval(office, sms_gateway)
    login(client, "tiepnhan.00131")
    response = _resend(client, sms.id)
    assert response.status_code == 303 and response.headers["Location"] == CASE_URL
    relay()

    db.session.expire_all()
    original = db.session.get(OutboxMessage, sms.id)
    replacement = db.session.scalar(select(OutboxMessage).where(OutboxMessage.resend_of_id == sms.id))
    assert original.status == OutboxStatus.cancelled and original.secret_box is None
    assert replacement.status == OutboxStatus.sent and replacement.idempotency_key != original.idempotency_key
    assert issued == ["NewPass1x31"]
    texts = [text for _id, text in sms_gateway.accepted.values()]
    assert len(texts) == 1 and "NewPass1x31" in texts[0] and "FirstPass111" not in texts[0]

    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notification_resent")).all()
    assert (entry.actor, entry.object_type, entry.object_id) == ("tiepnhan.00131", "declaration", "31")
    assert entry.details["new_credentials"] is True and "NewPass1x31" not in str(entry.details)


def test_resend_is_limited_to_three_per_hour_per_case(app, client, office, sms_gateway, smtp_server, issued):
    _sms, email = _dead_approval(office, sms_gateway)
    login(client, "tiepnhan.00131")
    current = email.id
    for _ in range(3):
        assert _resend(client, current, htmx=True).status_code == 200
        relay()
        current = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.resend_of_id == current))
        assert current is not None
    refused = _resend(client, current, htmx=True).get_data(as_text=True)
    assert "đã được gửi lại 3 lần trong một giờ qua" in refused
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.resend_of_id == current)) is None
    assert len(smtp_server.messages) == 4
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notification_resent")).all()) == 3


def test_what_cannot_be_resent(app, client, office, sms_gateway, smtp_server, monkeypatch):
    monkeypatch.delitem(messages._credential_issuers, "declaration", raising=False)
    sms, email = approve(office.id, 32)
    db.session.commit()
    login(client, "tiepnhan.00131")
    _resend(client, sms.id)
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.resend_of_id.is_not(None))) is None
    relay()
    # no issuer registered for the case type: the old password is never resent in clear
    with pytest.raises(DomainError, match="mật khẩu tạm thời"):
        notifications.resend(None, sms.id)
    db.session.rollback()
    admin = app.test_client()
    login(admin, "quantri.00131")
    assert admin.post(f"/notifications/{email.id}/resend").status_code == 403


def test_supervisors_see_dead_messages_and_requeue_them(app, client, office, sms_gateway, smtp_server, issued):
    smtp_server_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # the mail server is "down" and refuses: email fails too
    app.extensions.pop("notification_providers", None)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    sms, email = _dead_approval(office, sms_gateway)
    assert (sms.status, email.status) == (OutboxStatus.dead, OutboxStatus.dead)

    login(client, "giamsat.00131")
    page = client.get("/notifications/problems").get_data(as_text=True)
    assert f'id="problem-{sms.id}"' in page and f'id="problem-{email.id}"' in page
    assert "0912****78" in page and "0912345678" not in page

    app.config["SMTP_PORT"] = smtp_server_port
    app.extensions.pop("notification_providers", None)
    assert client.post(f"/notifications/{email.id}/requeue").status_code == 303
    assert client.post(f"/notifications/{sms.id}/requeue").status_code == 303
    relay()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, email.id).status == OutboxStatus.sent  # same row, same key
    replacement = db.session.scalar(select(OutboxMessage).where(OutboxMessage.resend_of_id == sms.id))
    assert replacement.status == OutboxStatus.sent and issued == ["NewPass1x31"]  # wiped password: a new one
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "notification_requeued")).all()
    assert len(actions) == 2
    assert f'id="problem-{sms.id}"' not in client.get("/notifications/problems").get_data(as_text=True)

    officer = app.test_client()
    login(officer, "tiepnhan.00131")
    assert officer.get("/notifications/problems").status_code == 403


def test_only_officers_who_may_act_on_the_case_resend(app, client, office, sms_gateway, smtp_server, issued):
    """A resent credentials SMS is a password reset: department roles, who may not see the declaration, and the
    national department head (read and urge, never act) are refused, and no new password is issued."""
    sms, _email = _dead_approval(office, sms_gateway)
    for username, status in (("canbo.00131", 403), ("truongphong.00131", 403), ("truongphong.00001", 404),
                             ("giamsat.05600", 404)):
        other = app.test_client()
        login(other, username)
        assert other.get(CASE_URL).status_code == status, username
        assert _resend(other, sms.id).status_code == status, username
    assert issued == []
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.resend_of_id == sms.id)) is None
    supervisor = app.test_client()
    login(supervisor, "giamsat.00100")  # the province's supervisor acts on its districts' cases
    assert _resend(supervisor, sms.id).status_code == 303 and issued == ["NewPass1x31"]
