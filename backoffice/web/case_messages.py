"""A case's messages, shown on every case screen: the registry of case types and the fragment's context.

Each case blueprint registers its case type here (label and page), and includes
`notifications/_messages.html` with `case_context(...)`; the notifications blueprint serves the same fragment.
"""
from dataclasses import dataclass

from backoffice.masking import mask_recipient
from backoffice.services import notifications
from backoffice.services.notifications import message_templates
from backoffice.web.catalogue import gettext as _

# Without a receipt, an email's last known state is "sent": keep polling only while something is queued.
POLL_WHILE = {"queued"}

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
