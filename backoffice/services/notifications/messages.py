"""The only way to send anything: notify() writes outbox rows in the caller's transaction (DESIGN.md §7).

Also here: an officer's resend (at most 3 per hour per case, audited; a credentials SMS gets a NEW
temporary password from the case type's credential issuer), a supervisor's re-queue of dead messages,
and SMS delivery receipts.
"""
import hashlib
import hmac
import json
import secrets as _random
import time
from datetime import timedelta

from flask import current_app
from jinja2 import TemplateError
from sqlalchemy import select, text

from backoffice import jobs
from backoffice.extensions import db
from backoffice.models import OutboxMessage
from backoffice.models.base import utcnow
from backoffice.models.outbox import Channel, DeliveryStatus, OutboxStatus
from backoffice.services import Conflict, DomainError, NotFound
from backoffice.services.notifications import message_templates
from backoffice.services.platform import audit, citizen_fields, scope, secret_box
from backoffice.services.platform.calendar import BUSINESS_TZ

RELAY_JOB = "backoffice.tasks.notifications.relay"
RESEND_LIMIT = 3
RESEND_WINDOW = timedelta(hours=1)
PROBLEM_STATUSES = (OutboxStatus.dead, OutboxStatus.failed, OutboxStatus.uncertain)
# Gateways spell receipt states in many ways; only final states change what officers see.
_RECEIPT_STATES = {
    "delivered": DeliveryStatus.delivered, "delivrd": DeliveryStatus.delivered,
    "undelivered": DeliveryStatus.undelivered, "undeliv": DeliveryStatus.undelivered,
    "failed": DeliveryStatus.undelivered, "rejected": DeliveryStatus.undelivered,
    "rejectd": DeliveryStatus.undelivered, "expired": DeliveryStatus.undelivered,
}
_credential_issuers = {}


def register_credential_issuer(case_type, issuer):
    """Declare how a case type issues a new temporary password for a resent credentials SMS.

    `issuer(case_id, actor)` stores the new password's hash (expiring, to be changed at first login)
    in the caller's transaction, which invalidates the previous password, and returns the clear
    secrets, e.g. {"temporary_password": "..."}; they are sealed into the new SMS and nowhere else.
    """
    _credential_issuers[case_type] = issuer


def normalise_phone(phone):
    """A Vietnamese mobile number in national form (0912345678), or a DomainError."""
    number = citizen_fields.mobile_phone(phone)
    if number is None:
        raise DomainError("Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.",
                          field="phone")
    return number


def notify(event, *, case_type, case_id, office_id, phone=None, email=None, context=None, secrets=None,
           actor=None):
    """Write the event's messages (SMS to `phone`, email to `email`) to the outbox in the caller's transaction.

    Nothing leaves before the transaction commits, and a rollback sends nothing. `secrets` (the
    temporary password) are sealed and rendered into the SMS only. Returns the new OutboxMessage rows.
    """
    spec = message_templates.EVENTS.get(event)
    if spec is None:
        raise ValueError(f"unknown notification event {event!r}")
    if set(secrets or {}) != set(spec.secrets):
        raise ValueError(f"{event} needs exactly the secrets {spec.secrets}")
    recipients = {Channel.sms: normalise_phone(phone) if phone else None,
                  Channel.email: email.strip() if email else None}
    messages = [_write(spec, channel, recipients[channel], case_type=case_type, case_id=case_id,
                       office_id=office_id, context=context or {}, secrets=secrets, actor=actor)
                for channel in spec.channels if recipients[channel]]
    db.session.flush()
    if messages:
        jobs.enqueue(RELAY_JOB, queue="notifications")
    return messages


def _write(spec, channel, recipient, *, case_type, case_id, office_id, context, secrets, actor, resend_of=None):
    # Render now: a template or context error fails the decision's own transaction, loudly, instead of
    # producing a message that dies in the worker hours later.
    try:
        message_templates.render(spec.name, channel, context, secrets)
    except TemplateError as error:
        raise ValueError(f"{spec.name} ({channel}) cannot be rendered: {error}") from error
    json.dumps(context)  # the context is stored as JSON: refuse dates and objects here, not at flush
    key = _random.token_hex(16)
    message = OutboxMessage(
        idempotency_key=key, event=spec.name, channel=channel, recipient=recipient, context=context,
        case_type=case_type, case_id=str(case_id), office_id=office_id, status=OutboxStatus.pending,
        attempts=0, next_attempt_at=utcnow(), last_error="", delivery_detail="",
        created_by_id=actor.id if actor is not None else None,
        resend_of_id=resend_of.id if resend_of is not None else None)
    if secrets and channel == Channel.sms:
        message.secret_box = secret_box.seal(secrets, key)
    db.session.add(message)
    return message


def _locked(message_id):
    message = db.session.get(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
    if message is None:
        raise NotFound("Không tìm thấy tin nhắn.")
    return message


def _lock_case(message):
    # Two officers resending on the same case at once must not both slip under the hourly limit.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                           {"key": f"outbox:{message.case_type}:{message.case_id}"})


def _resend_refusal(message):
    if message.status in (OutboxStatus.pending, OutboxStatus.sending, OutboxStatus.handover):
        return "Tin nhắn đang chờ gửi; hãy đợi kết quả trước khi gửi lại."
    if message.status == OutboxStatus.cancelled:
        return "Tin nhắn này đã được thay bằng một tin gửi lại; hãy gửi lại từ tin mới nhất."
    if message.delivery_status == DeliveryStatus.delivered:
        return "Tin nhắn đã đến máy người nhận; không cần gửi lại."
    return None


def recent_resends(case_type, case_id):
    """Creation times of the case's resends within the last hour, oldest first."""
    return db.session.scalars(
        select(OutboxMessage.created_at).where(
            OutboxMessage.case_type == case_type, OutboxMessage.case_id == str(case_id),
            OutboxMessage.resend_of_id.is_not(None), OutboxMessage.created_at > utcnow() - RESEND_WINDOW)
        .order_by(OutboxMessage.created_at)).all()


def resend(actor, message_id):
    """Send a failed or undelivered message again as a new message; 3 per hour per case, audited."""
    original = _locked(message_id)
    refusal = _resend_refusal(original)
    if refusal:
        raise DomainError(refusal)
    _lock_case(original)
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.resend_of_id == original.id)):
        raise Conflict("Tin nhắn này đã được gửi lại; hãy tải lại trang để xem tin mới nhất.")
    recent = recent_resends(original.case_type, original.case_id)
    if len(recent) >= RESEND_LIMIT:
        free_at = (recent[0] + RESEND_WINDOW).astimezone(BUSINESS_TZ).strftime("%H:%M")
        raise DomainError(f"Hồ sơ này đã được gửi lại {RESEND_LIMIT} lần trong một giờ qua. "
                          f"Bạn có thể gửi lại sau {free_at}.")
    replacement = _replace(original, actor)
    audit.record("notification_resent", actor=actor, object_type=original.case_type, object_id=original.case_id,
                 office_id=original.office_id, details=_audit_details(original, replacement))
    return replacement


def _audit_details(original, replacement):
    return {"message_id": original.id, "new_message_id": replacement.id, "event": original.event,
            "channel": original.channel.value, "new_credentials": replacement.secret_box is not None}


def _replace(original, actor):
    """A new message (new idempotency key) in place of `original`, with a new password where it carried one."""
    spec = message_templates.EVENTS[original.event]
    secrets = None
    if spec.secrets and original.channel == Channel.sms:
        issuer = _credential_issuers.get(original.case_type)
        if issuer is None:
            raise DomainError("Chưa thể cấp lại mật khẩu tạm thời cho loại hồ sơ này. Vui lòng báo quản trị hệ thống.")
        secrets = issuer(original.case_id, actor)
    if original.status in PROBLEM_STATUSES:
        original.status = OutboxStatus.cancelled  # a failed row would otherwise be retried beside its replacement
    original.secret_box = None  # the old password is void from now on
    replacement = _write(spec, original.channel, original.recipient, case_type=original.case_type,
                         case_id=original.case_id, office_id=original.office_id, context=dict(original.context),
                         secrets=secrets, actor=actor, resend_of=original)
    db.session.flush()
    jobs.enqueue(RELAY_JOB, queue="notifications")
    return replacement


def requeue(actor, message_id):
    """Give a dead or failed message a fresh round of attempts (supervisors); audited.

    A credentials SMS whose password was already wiped is replaced by one with a new password.
    """
    message = _locked(message_id)
    if message.status not in PROBLEM_STATUSES:
        raise DomainError("Chỉ có thể đưa lại vào hàng đợi các tin nhắn đang lỗi.")
    spec = message_templates.EVENTS[message.event]
    if spec.secrets and message.channel == Channel.sms and message.secret_box is None:
        result = _replace(message, actor)
    else:
        message.status, message.attempts, message.claim_token = OutboxStatus.pending, 0, None
        message.next_attempt_at = utcnow()
        db.session.flush()
        jobs.enqueue(RELAY_JOB, queue="notifications")
        result = message
    audit.record("notification_requeued", actor=actor, object_type=message.case_type, object_id=message.case_id,
                 office_id=message.office_id, details=_audit_details(message, result))
    return result


def confirm_sent(actor, message_id):
    """Settle an uncertain message as sent (supervisors), after finding it in the provider's log; audited."""
    message = _locked(message_id)
    if message.status != OutboxStatus.uncertain:
        raise DomainError("Chỉ xác nhận đã gửi được các tin nhắn chưa rõ kết quả.")
    message.status, message.sent_at = OutboxStatus.sent, utcnow()
    message.provider_message_id = message.provider_message_id or f"confirmed:{message.idempotency_key}"
    db.session.flush()
    audit.record("notification_confirmed_sent", actor=actor, object_type=message.case_type,
                 object_id=message.case_id, office_id=message.office_id,
                 details={"message_id": message.id, "event": message.event, "channel": message.channel.value})
    return message


def case_messages(case_type, case_id):
    """The messages of one case, oldest first."""
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.case_type == case_type, OutboxMessage.case_id == str(case_id))
        .order_by(OutboxMessage.id)).all()


def problem_messages(officer, status, before=None, limit=50):
    """Dead or failed messages of the cases the officer may act on, newest first, keyset-paged on id.

    A message's office is its case's office (notify() copies it), so the list filters on it without a join."""
    query = (select(OutboxMessage)
             .where(OutboxMessage.status == status, OutboxMessage.office_id.in_(scope.act_office_ids(officer)))
             .order_by(OutboxMessage.id.desc()).limit(limit))
    if before:
        query = query.where(OutboxMessage.id < before)
    return db.session.scalars(query).all()


def receipt_signature_ok(raw_body, timestamp, signature):
    """True when `signature` is the hex HMAC-SHA256 of "<timestamp>.<body>" and the timestamp is recent."""
    secret = current_app.config["SMS_RECEIPT_SECRET"]
    if not secret or not timestamp or not signature:
        return False
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    if age > current_app.config["SMS_RECEIPT_TOLERANCE_SECONDS"]:
        return False  # an old receipt replayed later is refused
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.removeprefix("sha256="))


def _apply_receipt(item):
    state = _RECEIPT_STATES.get(str(item.get("status", "")).strip().lower())
    if state is None:
        return None  # intermediate states (accepted, en route) change nothing officers act on
    if item.get("id"):
        condition = OutboxMessage.provider_message_id == str(item["id"])
    elif item.get("ref"):
        condition = OutboxMessage.idempotency_key == str(item["ref"])
    else:
        return None
    message = db.session.scalar(select(OutboxMessage).where(condition, OutboxMessage.channel == Channel.sms)
                                .with_for_update())
    if message is None or message.delivery_status == DeliveryStatus.delivered:
        return None  # delivered is final: a late "failed" for an earlier hop does not undo it
    message.delivery_status, message.delivery_detail = state, str(item.get("detail") or "")[:200]
    message.delivered_at = utcnow()
    return message


def apply_receipts(payload):
    """Record gateway delivery receipts ({"id" or "ref", "status", "detail"}, one or a list); how many changed."""
    items = payload if isinstance(payload, list) else [payload]
    if not all(isinstance(item, dict) for item in items):
        raise DomainError("Biên nhận phải là một đối tượng JSON hoặc một danh sách đối tượng.")
    changed = [message for message in map(_apply_receipt, items) if message is not None]
    db.session.flush()
    return len(changed)
