"""Forms of the reception desk: filters, counter search and the decisions."""
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from backoffice.catalogue import lazy_gettext as _l
from backoffice.forms.base import Form, options
from backoffice.models import DeclarationKind, DeclarationState, DocumentKind
from backoffice.models.declaration import Channel
from backoffice.services.rejection_reasons import REASONS

STATE_LABELS = {
    DeclarationState.submitted: _l("Mới nhận"), DeclarationState.extracting: _l("Đang đọc ảnh"),
    DeclarationState.ready: _l("Chờ xử lý"), DeclarationState.in_review: _l("Đang xử lý"),
    DeclarationState.awaiting_citizen: _l("Chờ công dân bổ sung"),
    DeclarationState.awaiting_second_approval: _l("Chờ phê duyệt lần hai"),
    DeclarationState.approved: _l("Đã duyệt"), DeclarationState.rejected: _l("Đã từ chối"),
}
KIND_LABELS = {
    DeclarationKind.register: _l("Đăng ký"), DeclarationKind.register_child: _l("Đăng ký cho trẻ em"),
    DeclarationKind.update: _l("Thay đổi thông tin"), DeclarationKind.stop: _l("Ngừng giao dịch"),
}
MATCH_LABELS = {"match": _l("Khớp"), "match_without_diacritics": _l("Khớp khi bỏ dấu"),
                "mismatch": _l("Không khớp"), "missing": _l("Không đọc được")}
EVENT_LABELS = {
    "declaration_submitted": _l("Tiếp nhận tờ khai"), "declaration_checked": _l("Đọc ảnh và kiểm tra xong"),
    "declaration_claimed": _l("Cán bộ nhận xử lý"), "declaration_released": _l("Trả về hàng chờ"),
    "declaration_approved": _l("Phê duyệt"), "declaration_rejected": _l("Từ chối"),
    "declaration_override_proposed": _l("Đề xuất phê duyệt khi có kiểm tra không đạt"),
    "declaration_awaiting_citizen": _l("Chờ công dân bổ sung"), "declaration_printed": _l("In giấy tờ"),
    "notification_sent": _l("Đã gửi tin nhắn"), "file_viewed": _l("Xem ảnh giấy tờ"),
    "notification_dead": _l("Tin nhắn dừng gửi sau nhiều lần lỗi"),
    "notification_uncertain": _l("Chưa rõ thư đã đến máy chủ thư"),
    "notification_confirmed_sent": _l("Xác nhận thư đã gửi"), "notification_resent": _l("Gửi lại tin nhắn"),
    "notification_requeued": _l("Đưa tin nhắn trở lại hàng đợi"),
}
CHANNEL_LABELS = {Channel.vssid_app: _l("Ứng dụng VssID"), Channel.portal: _l("Cổng dịch vụ công")}
DOCUMENT_LABELS = {DocumentKind.portrait: _l("Ảnh chân dung"), DocumentKind.id_front: _l("Mặt trước giấy tờ"),
                   DocumentKind.id_back: _l("Mặt sau giấy tờ"), DocumentKind.birth_certificate: _l("Giấy khai sinh")}


def _any(labels):
    return [("", _l("Tất cả"))] + [(key.value, label) for key, label in labels.items()]


# (value, label) of each queue filter select; the queue page renders them from a per-language cache.
QUEUE_FILTER_CHOICES = {
    "state": [("", _l("Chưa quyết định")), ("all", _l("Tất cả"))] + [(k.value, v) for k, v in STATE_LABELS.items()],
    "kind": _any(KIND_LABELS),
    "channel": _any(CHANNEL_LABELS),
}


class QueueFilterForm(Form):
    """Filters of the office queue (GET, no citizen data in them)."""

    class Meta:
        csrf = False

    state = SelectField(_l("Trạng thái"), validators=[Optional()], choices=options(QUEUE_FILTER_CHOICES["state"]))
    kind = SelectField(_l("Loại tờ khai"), choices=options(QUEUE_FILTER_CHOICES["kind"]), validators=[Optional()])
    channel = SelectField(_l("Kênh"), choices=options(QUEUE_FILTER_CHOICES["channel"]), validators=[Optional()])
    date_from = DateField(_l("Từ ngày"), validators=[Optional()])
    date_to = DateField(_l("Đến ngày"), validators=[Optional()])
    failing_only = BooleanField(_l("Chỉ tờ khai có kiểm tra không đạt"))


class CounterSearchForm(Form):
    """Find a citizen's declaration at the counter (POST: the term is citizen data)."""

    term = StringField(_l("Mã tờ khai, mã số BHXH, số định danh hoặc số điện thoại"),
                       validators=[DataRequired(_l("Hãy nhập nội dung cần tìm.")), Length(max=20)])


class VersionedForm(Form):
    """Every decision carries the version the officer saw, so a stale tab is refused."""

    version_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class ApproveForm(VersionedForm):
    """Approve; a justification is needed over failing checks."""

    justification = TextAreaField(_l("Lý do phê duyệt khi có kiểm tra không đạt"), validators=[Length(max=2000)])


class RejectForm(VersionedForm):
    """Reject with a catalogue reason."""

    code = SelectField(_l("Lý do từ chối"), choices=options((r.code, r.label) for r in REASONS.values()))
    free_text = TextAreaField(_l("Nội dung gửi công dân (bắt buộc với Lý do khác)"), validators=[Length(max=1000)])


class AwaitForm(VersionedForm):
    """Ask the citizen for a counter visit or a re-upload."""

    reason_code = SelectField(_l("Công dân cần"), choices=options([
        ("counter_visit", _l("Đến bộ phận một cửa đối chiếu giấy tờ gốc")),
        ("reupload_id_front", _l("Gửi lại ảnh mặt trước căn cước")),
        ("reupload_id_back", _l("Gửi lại ảnh mặt sau căn cước")),
        ("reupload_portrait", _l("Gửi lại ảnh chân dung")),
        ("reupload_birth_certificate", _l("Gửi lại ảnh giấy khai sinh")),
    ]))
