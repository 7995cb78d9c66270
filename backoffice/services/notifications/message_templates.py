"""The message catalog: one entry per event, rendered from templates/notifications/ (DESIGN.md §7).

Email keeps full Vietnamese; SMS is folded to ASCII (no diacritics, Đ→D) and must fit two GSM-7
segments. Secrets (the temporary password) are rendered into SMS only: email templates never see them.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from jinja2 import Environment, StrictUndefined, select_autoescape

from backoffice.models.outbox import Channel
from backoffice.web.catalogue import lazy_gettext as _l

CITIZEN = "citizen"
OFFICER = "officer"


@dataclass(frozen=True)
class Event:
    """What happened, who hears about it, on which channels, and sample data for previews and tests."""

    name: str
    label: str
    channels: tuple
    sample: dict
    audience: str = CITIZEN
    secrets: tuple = ()
    sample_secrets: dict = field(default_factory=dict)


_DECLARATION = {"full_name": "Nguyễn Thị Ánh Tuyết Hoàng Phương", "reference": "TK-00131-2026-0001234",
                "office_name": "BHXH Quận Bắc Từ Liêm"}
_BOTH = (Channel.sms, Channel.email)

EVENTS = {event.name: event for event in (
    Event("declaration_approved", _l("Tờ khai được duyệt (thông tin đăng nhập)"), _BOTH,
          {**_DECLARATION, "login": "0123456789", "password_valid_hours": 72},
          secrets=("temporary_password",), sample_secrets={"temporary_password": "Ab3dEf7hJk2m"}),
    Event("declaration_rejected", _l("Tờ khai bị từ chối"), _BOTH,
          {**_DECLARATION, "reason": "Ảnh chụp căn cước bị mờ, không đọc được số định danh và họ tên.",
           "next_step": "Chụp lại hai mặt căn cước rõ nét, đủ sáng rồi gửi lại tờ khai trên ứng dụng VssID."}),
    # A supervisor's correction of an approval after a re-review: the account it opened is locked meanwhile.
    Event("declaration_account_locked", _l("Tài khoản tạm khóa khi tờ khai được xem xét lại"), _BOTH, _DECLARATION),
    Event("declaration_awaiting_citizen", _l("Tờ khai chờ công dân bổ sung"), _BOTH,
          {**_DECLARATION, "what_needed": "Mang căn cước gốc đến bộ phận một cửa để đối chiếu và ký tờ khai.",
           "office_address": "Số 1 đường Văn Tiến Dũng, phường Đông Ngạc, Hà Nội",
           "due_date": "2026-12-31"}),
    Event("reissue_status_changed", _l("Yêu cầu cấp lại: đổi trạng thái"), _BOTH,
          {**_DECLARATION, "reference": "R7K2M9QX4T", "request_label": "Cấp lại thẻ BHYT do hỏng, mất",
           "status_label": "Đã hoàn thành",
           "next_step": "Nhận thẻ mới tại bộ phận một cửa của BHXH Quận Bắc Từ Liêm, mang theo căn cước."}),
    # To the phone registered BEFORE the request: someone redirecting a pensioner's money is found out in time.
    Event("reissue_payout_change_requested", _l("Yêu cầu đổi cách nhận lương hưu (cảnh báo)"), _BOTH,
          {**_DECLARATION, "reference": "R7K2M9QX4T", "due_date": "2026-12-09", "office_phone": "1900 9068"},
          secrets=("stop_code",), sample_secrets={"stop_code": "48213907"}),
    Event("complaint_status_changed", _l("Phản ánh, kiến nghị: đổi trạng thái"), _BOTH,
          {**_DECLARATION, "reference": "P7K2M9QX4T", "status_label": "Đã thụ lý",
           "detail": "Thời hạn giải quyết dự kiến: 18/12/2026."}),
    # The approved answer: in full by email; the SMS only says it was sent, with the reference.
    Event("complaint_answered", _l("Phản ánh, kiến nghị: văn bản trả lời"), _BOTH,
          {**_DECLARATION, "reference": "P7K2M9QX4T",
           "answer": "Quá trình đóng BHXH của Ông/Bà từ 01/2015 đến 12/2020 đã được cập nhật đầy đủ trên sổ."}),
    Event("officer_notice", _l("Thông báo nội bộ cho cán bộ"), (Channel.email,),
          {"officer_name": "Trần Văn Bình", "title": "Hồ sơ sắp quá hạn xử lý",
           "body": "Tờ khai TK-00131-2026-0001234 đã dùng 75% thời hạn xử lý.",
           "link": "https://backoffice.example/declarations/1234"}, audience=OFFICER),
)}

SMS_SEGMENT_LIMIT = 2
# GSM 03.38: basic set (one septet) and extension set (escape + one septet); only ASCII survives folding.
_GSM7_BASIC = set("@$\n\r !\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
_GSM7_EXTENDED = set("^{}\\[~]|")
_FOLD = str.maketrans({"Đ": "D", "đ": "d", "`": "'", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
                       "…": "..."})


class MessageTooLong(ValueError):
    """A rendered SMS would need more than two GSM-7 segments."""


@dataclass(frozen=True)
class Rendered:
    """A message ready for a provider."""

    channel: Channel
    text: str
    subject: str = ""
    html: str = ""


def fold_ascii(text):
    """Vietnamese to plain GSM-7 ASCII: drop diacritics, Đ→D, anything else unknown becomes '?'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c in _GSM7_BASIC or c in _GSM7_EXTENDED else "?" for c in stripped)


def gsm7_septets(text):
    """Length in GSM-7 septets (extension characters take two)."""
    return sum(2 if c in _GSM7_EXTENDED else 1 for c in text)


def sms_segments(text):
    """How many SMS parts the text needs: 160 septets alone, 153 each when concatenated."""
    septets = gsm7_septets(text)
    return 1 if septets <= 160 else -(-septets // 153)


def _clip(value, length):
    """Cut free text to `length` characters on a word boundary, with '...' when cut."""
    value = " ".join(str(value).split())
    if len(value) <= length:
        return value
    return value[: length - 3].rsplit(" ", 1)[0] + "..."


def _vn_date(value):
    """ISO date → dd/mm/yyyy."""
    return date.fromisoformat(str(value)).strftime("%d/%m/%Y")


def _environment():
    app = current_app._get_current_object()
    env = app.extensions.get("notification_templates")
    if env is None:
        # StrictUndefined: a missing variable is an error, never an empty hole in a citizen's message.
        env = Environment(loader=app.jinja_loader, undefined=StrictUndefined, trim_blocks=True,
                          lstrip_blocks=True, autoescape=select_autoescape(["html"]))
        env.filters.update(clip=_clip, vn_date=_vn_date)
        app.extensions["notification_templates"] = env
    return env


def _block(template, name, context):
    return "".join(template.blocks[name](template.new_context(context))).strip()


def render(event_name, channel, context, secrets=None):
    """Render one message; SMS gets the secrets and is folded and length-checked, email never sees them."""
    event = EVENTS[event_name]
    env = _environment()
    if channel == Channel.sms:
        raw = env.get_template(f"notifications/{event.name}.sms.txt").render({**context, **(secrets or {})})
        text = fold_ascii(" ".join(raw.split()))
        if sms_segments(text) > SMS_SEGMENT_LIMIT:
            raise MessageTooLong(f"{event.name}: {gsm7_septets(text)} septets")
        return Rendered(channel, text)
    text_template = env.get_template(f"notifications/{event.name}.email.txt")
    return Rendered(channel, text_template.render(context).strip() + "\n",
                    subject=_block(text_template, "subject", context),
                    html=env.get_template(f"notifications/{event.name}.email.html").render(context))


def sample(event_name, channel):
    """The event rendered with its sample data (admin preview, template tests)."""
    event = EVENTS[event_name]
    return render(event_name, channel, event.sample, event.sample_secrets)
