"""Notifications: template previews (admins), failed messages (supervisors), a case's messages with resend,
and the SMS gateway's delivery-receipt webhook."""
import json

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user

from backoffice.extensions import csrf, db
from backoffice.masking import mask_recipient
from backoffice.models import OutboxMessage, Role
from backoffice.models.outbox import OutboxStatus
from backoffice.services import DomainError, notifications
from backoffice.services.notifications import message_templates
from backoffice.web import params as web_params
from backoffice.web.actions import perform
from backoffice.web.case_messages import CASE_VIEWS, case_context
from backoffice.web.catalogue import gettext as _
from backoffice.web.errors import error_response
from backoffice.web.htmx import is_htmx, render, see_other
from backoffice.web.paging import page
from backoffice.web.permissions import allow, citizen_data, public, scoped_case, scoped_get_to_act

bp = Blueprint("notifications", __name__)
PAGE_SIZE = 50
# Content-Security-Policy for the raw email preview: its inline styles render, nothing can run.
EMAIL_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


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
    perform(notifications.resend, current_user, message_id,
            done=_("Đã đưa tin nhắn vào hàng gửi lại. Trạng thái sẽ cập nhật trong giây lát."))
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
    listing = page(notifications.problem_messages(current_user, status, before, PAGE_SIZE + 1), PAGE_SIZE)
    return render("notifications/problems.html", "notifications/_problem_rows.html",
                  messages=listing.rows, problem=status, events=message_templates.EVENTS, mask=mask_recipient,
                  cases=CASE_VIEWS,
                  next_before=listing.next_cursor)


@bp.route("/notifications/<int:message_id>/requeue", methods=["POST"])
@allow(Role.supervisor)
def requeue(message_id):
    """Put a dead or failed message back in the queue for a fresh round of attempts."""
    message = scoped_get_to_act(current_user, OutboxMessage, message_id)
    status = message.status
    perform(notifications.requeue, current_user, message_id,
            done=_("Đã đưa tin nhắn #%(id)s trở lại hàng đợi gửi.", id=message_id))
    return see_other(url_for("notifications.problems", status=status.value))


@bp.route("/notifications/<int:message_id>/confirm-sent", methods=["POST"])
@allow(Role.supervisor)
def confirm_sent(message_id):
    """Settle an uncertain message as sent, once the mail server's log shows it accepted."""
    scoped_get_to_act(current_user, OutboxMessage, message_id)
    perform(notifications.confirm_sent, current_user, message_id,
            done=_("Đã xác nhận tin nhắn #%(id)s đã được gửi.", id=message_id))
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
