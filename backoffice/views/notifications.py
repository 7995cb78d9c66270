"""Notifications: template previews (admins), failed messages (supervisors), a case's messages with resend,
and the SMS gateway's delivery-receipt webhook."""
import json
from dataclasses import dataclass

from flask import Blueprint, abort, flash, jsonify, request, url_for
from flask_login import current_user

from backoffice.catalogue import gettext as _
from backoffice.errors import error_response
from backoffice.extensions import csrf, db
from backoffice.htmx import is_htmx, render, see_other
from backoffice.masking import mask_recipient
from backoffice.models import OutboxMessage, Role
from backoffice.models.outbox import OutboxStatus
from backoffice.permissions import allow, citizen_data, public, scoped_case, scoped_get_to_act
from backoffice import web_params
from backoffice.services import DomainError, message_templates, notifications

bp = Blueprint("notifications", __name__)
PAGE_SIZE = 50
# Without a receipt, an email's last known state is "sent": keep polling only while something is queued.
POLL_WHILE = {"queued"}
# Content-Security-Policy for the raw email preview: its inline styles render, nothing can run.
EMAIL_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


@dataclass(frozen=True)
class CaseView:
    """How the message lists name a case type and link to its page."""

    label: str
    endpoint: str
    id_arg: str


CASE_VIEWS = {}


def register_case_view(case_type, label, endpoint, id_arg):
    """Declare a case type's name and page (each case blueprint does this for its own type)."""
    CASE_VIEWS[case_type] = CaseView(label, endpoint, id_arg)


def status_labels():
    """Vietnamese labels of the statuses shown on a case (DESIGN.md §7)."""
    return {"queued": _("Đang chờ gửi"), "sent": _("Đã gửi"), "delivered": _("Đã nhận"),
            "failed": _("Gửi lỗi"), "uncertain": _("Chưa rõ đã gửi"), "cancelled": _("Đã thay bằng tin gửi lại")}


def case_context(case_type, case_id, next_url):
    """Context of `notifications/_messages.html`; case screens include the fragment with it."""
    messages = notifications.case_messages(case_type, case_id)
    return {"messages": messages, "case_type": case_type, "case_id": str(case_id), "next_url": next_url,
            "events": message_templates.EVENTS, "status_labels": status_labels(), "mask": mask_recipient,
            "resends_left": notifications.RESEND_LIMIT - len(notifications.recent_resends(case_type, case_id)),
            "poll": any(message.shown_status in POLL_WHILE for message in messages)}


def _perform(call, done):
    """Run one service call: commit and say `done`, or roll back and show the domain error."""
    try:
        call()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done, "success")


def _local(url):
    """Only same-site paths are followed after a form post."""
    return url if url and url.startswith("/") and not url.startswith("//") else None


@bp.route("/notifications/cases/<case_type>/<case_id>")
@citizen_data
def case_messages(case_type, case_id):
    """A case's messages with their delivery status (htmx refreshes the fragment while some are queued).

    Shown to officers who may read the case itself (404 outside their scope, 403 when their role may not)."""
    scoped_case(current_user, case_type, case_id)
    context = case_context(case_type, case_id, _local(request.args.get("next")) or request.path)
    return render("notifications/case.html", "notifications/_messages.html", **context)


@bp.route("/notifications/<int:message_id>/resend", methods=["POST"])
@citizen_data
def resend(message_id):
    """Resend a failed or undelivered message (3 per hour per case); a credentials SMS gets a new password.

    Only for officers who may act on the message's case: reading it is not enough (a national head's "theo dõi")."""
    message = scoped_get_to_act(current_user, OutboxMessage, message_id)
    case_type, case_id = message.case_type, message.case_id
    _perform(lambda: notifications.resend(current_user, message_id),
             _("Đã đưa tin nhắn vào hàng gửi lại. Trạng thái sẽ cập nhật trong giây lát."))
    next_url = _local(request.form.get("next")) or url_for("notifications.case_messages", case_type=case_type,
                                                            case_id=case_id)
    if is_htmx():
        return render("notifications/case.html", "notifications/_messages.html",
                      **case_context(case_type, case_id, next_url))
    return see_other(next_url)


@bp.route("/notifications/problems")
@allow(Role.supervisor)
def problems():
    """Dead, still retrying, or uncertain messages in the supervisor's offices, newest first."""
    asked = request.args.get("status")
    status = OutboxStatus(asked) if asked in notifications.PROBLEM_STATUSES else OutboxStatus.dead
    before = web_params.query_int("before")
    rows = notifications.problem_messages(current_user, status, before, PAGE_SIZE + 1)
    return render("notifications/problems.html", "notifications/_problem_rows.html",
                  messages=rows[:PAGE_SIZE], problem=status, events=message_templates.EVENTS, mask=mask_recipient,
                  cases=CASE_VIEWS,
                  next_before=rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None)


@bp.route("/notifications/<int:message_id>/requeue", methods=["POST"])
@allow(Role.supervisor)
def requeue(message_id):
    """Put a dead or failed message back in the queue for a fresh round of attempts."""
    message = scoped_get_to_act(current_user, OutboxMessage, message_id)
    status = message.status
    _perform(lambda: notifications.requeue(current_user, message_id),
             _("Đã đưa tin nhắn #%(id)s trở lại hàng đợi gửi.", id=message_id))
    return see_other(url_for("notifications.problems", status=status.value))


@bp.route("/notifications/<int:message_id>/confirm-sent", methods=["POST"])
@allow(Role.supervisor)
def confirm_sent(message_id):
    """Settle an uncertain message as sent, once the mail server's log shows it accepted."""
    scoped_get_to_act(current_user, OutboxMessage, message_id)
    _perform(lambda: notifications.confirm_sent(current_user, message_id),
             _("Đã xác nhận tin nhắn #%(id)s đã được gửi.", id=message_id))
    return see_other(url_for("notifications.problems", status=OutboxStatus.uncertain.value))


@bp.route("/admin/notifications/templates")
@allow(Role.admin)
def templates():
    """Every message event, its channels and audience."""
    return render("notifications/templates.html", events=message_templates.EVENTS.values())


@bp.route("/admin/notifications/templates/<event>")
@allow(Role.admin)
def template_preview(event):
    """One event rendered with sample data: SMS text with its length, email subject and text."""
    spec = message_templates.EVENTS.get(event) or abort(404)
    previews = {channel: message_templates.sample(event, channel) for channel in spec.channels}
    sms = previews.get("sms")
    return render("notifications/template_preview.html", event=spec, previews=previews,
                  septets=message_templates.gsm7_septets(sms.text) if sms else 0,
                  segments=message_templates.sms_segments(sms.text) if sms else 0)


@bp.route("/admin/notifications/templates/<event>/email.html")
@allow(Role.admin)
def template_html(event):
    """The HTML email as the citizen's mail program shows it, under a CSP that lets nothing run."""
    spec = message_templates.EVENTS.get(event) or abort(404)
    if "email" not in spec.channels:
        abort(404)
    return message_templates.sample(event, "email").html, 200, {
        "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": EMAIL_PREVIEW_CSP}


@bp.route("/api/v1/sms/receipts", methods=["POST"])
@public
@csrf.exempt
def sms_receipts():
    """Delivery receipts from the SMS gateway, signed with HMAC-SHA256 (see docs/notifications.md)."""
    raw = request.get_data(cache=False)
    if not notifications.receipt_signature_ok(raw, request.headers.get("X-Timestamp", ""),
                                              request.headers.get("X-Signature", "")):
        return error_response(401, _("Chữ ký của biên nhận không hợp lệ hoặc đã quá hạn."))
    try:
        changed = notifications.apply_receipts(json.loads(raw))
    except ValueError:
        return error_response(400, _("Nội dung biên nhận không phải JSON hợp lệ."))
    except DomainError as error:
        db.session.rollback()
        return error_response(400, error.message)
    db.session.commit()
    return jsonify(updated=changed)
