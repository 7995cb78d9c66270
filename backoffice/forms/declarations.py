"""Forms of the reception desk: filters, counter search and the decisions."""
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from backoffice.forms.base import DayField, FilterForm, Form, options
from backoffice.services.declarations.labels import AWAITING_LABELS, CHANNEL_LABELS, KIND_LABELS, STATE_LABELS
from backoffice.services.declarations.reasons import REASONS
from backoffice.web.catalogue import lazy_gettext as _l


def _any(labels):
    return [("", _l("Tất cả"))] + [(key.value, label) for key, label in labels.items()]


# (value, label) of each queue filter select; the queue page renders them from a per-language cache.
QUEUE_FILTER_CHOICES = {
    "state": [("", _l("Chưa quyết định")), ("all", _l("Tất cả"))] + [(k.value, v) for k, v in STATE_LABELS.items()],
    "kind": _any(KIND_LABELS),
    "channel": _any(CHANNEL_LABELS),
}


class QueueFilterForm(FilterForm):
    """Filters of the office queue (GET, no citizen data in them)."""

    state = SelectField(_l("Trạng thái"), validators=[Optional()], choices=options(QUEUE_FILTER_CHOICES["state"]))
    kind = SelectField(_l("Loại tờ khai"), choices=options(QUEUE_FILTER_CHOICES["kind"]), validators=[Optional()])
    channel = SelectField(_l("Kênh"), choices=options(QUEUE_FILTER_CHOICES["channel"]), validators=[Optional()])
    date_from = DayField(_l("Từ ngày"), validators=[Optional()])
    date_to = DayField(_l("Đến ngày"), validators=[Optional()])
    failing_only = BooleanField(_l("Chỉ tờ khai có kiểm tra không đạt"))


class Within(Length):
    """Length checked on the server only: a `maxlength` attribute would make the browser cut pasted text without
    a word, so the form refuses text over the limit with a message instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_flags = {}


TOO_LONG = _l("Tối đa %(max)d ký tự (bạn đã nhập %(length)d); hãy rút gọn, nội dung không bị cắt bớt.")


class CounterSearchForm(Form):
    """Find a citizen's declaration at the counter (POST: the term is citizen data)."""

    term = StringField(_l("Mã tờ khai, mã số BHXH, số định danh, số điện thoại hoặc họ tên"),
                       validators=[DataRequired(_l("Hãy nhập nội dung cần tìm.")),
                                   Within(max=100, message=_l("Nội dung tìm kiếm dài tối đa 100 ký tự."))])


class VersionedForm(Form):
    """Every decision carries the version the officer saw, so a stale tab is refused."""

    version_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class ApproveForm(VersionedForm):
    """Approve; a justification is needed over failing checks."""

    justification = TextAreaField(_l("Lý do phê duyệt khi có kiểm tra không đạt (ít nhất 20 ký tự)"),
                                  validators=[Within(max=2000, message=TOO_LONG)])


class RejectForm(VersionedForm):
    """Reject with a catalogue reason."""

    # nothing pre-selected: a reason is chosen on purpose (the service refuses an empty one, next to this field)
    code = SelectField(_l("Lý do từ chối"), choices=options(
        [("", _l("— Chọn lý do —"))] + [(r.code, _l(r.label)) for r in REASONS.values()]))
    free_text = TextAreaField(_l("Nội dung gửi công dân (bắt buộc với Lý do khác, ít nhất 10 ký tự)"),
                              validators=[Within(max=1000, message=TOO_LONG)])


class AwaitForm(VersionedForm):
    """Ask the citizen for a counter visit or a re-upload."""

    reason_code = SelectField(_l("Công dân cần"), choices=options(AWAITING_LABELS.items()))


class ReturnForm(VersionedForm):
    """The second approver sends a proposal back to the officer who made it, saying why."""

    note = TextAreaField(_l("Lý do trả lại cho cán bộ đề xuất (ít nhất 10 ký tự)"),
                         validators=[DataRequired(_l("Hãy ghi lý do trả lại.")),
                                     Within(min=10, max=1000, message=_l("Lý do trả lại dài từ 10 đến 1000 ký tự."))])


class ExtendForm(VersionedForm):
    """Give a waiting citizen more time, once, saying why."""

    note = TextAreaField(_l("Lý do gia hạn (ít nhất 10 ký tự)"),
                         validators=[DataRequired(_l("Hãy ghi lý do gia hạn.")),
                                     Within(min=10, max=1000, message=_l("Lý do gia hạn dài từ 10 đến 1000 ký tự."))])
