"""Forms of the complaint screens: queue filters, the counter's intake, and each step of a complaint."""
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from backoffice.forms.base import DayField, FilterForm, Form, assignee, options, record_id
from backoffice.services.complaints.catalogue import INVALID_REASONS
from backoffice.services.complaints.intake import OFFICER_CHANNELS
from backoffice.services.complaints.labels import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DEPARTMENT_LABELS,
    INVALID_LABELS,
    KIND_LABELS,
    STATE_LABELS,
)
from backoffice.web.catalogue import lazy_gettext as _l

CONSULTABLE = ("THU_SO_THE", "CS_BHXH", "CS_BHYT", "CNTT")


def _any(labels):
    return [("", _l("Tất cả"))] + [(str(key), label) for key, label in labels.items() if key]


class QueueFilterForm(FilterForm):
    """Filters of a department queue (GET; no citizen data)."""

    kind = SelectField(_l("Loại đơn"), choices=options(_any(KIND_LABELS)), validators=[Optional()])
    state = SelectField(_l("Trạng thái"), choices=options(_any(STATE_LABELS)), validators=[Optional()])
    assignee = StringField(_l("Cán bộ"), validators=[Optional(), Length(max=12), assignee])
    due_by = DayField(_l("Hạn đến ngày"), validators=[Optional()])


class IntakeForm(Form):
    """A complaint received at the counter, by phone or on paper."""

    channel = SelectField(_l("Kênh tiếp nhận"), choices=options((c, CHANNEL_LABELS[c]) for c in OFFICER_CHANNELS))
    text = TextAreaField(_l("Nội dung phản ánh"), validators=[DataRequired(), Length(max=20_000)])
    topic = SelectField(_l("Chủ đề công dân chọn (nếu có)"),
                        choices=options([("", _l("Không chọn"))] + list(CATEGORY_LABELS.items())),
                        validators=[Optional()])
    full_name = StringField(_l("Họ và tên"), validators=[Length(max=200)])
    social_insurance_number = StringField(_l("Mã số BHXH (nếu có)"), validators=[Optional(), Length(max=10)])
    phone = StringField(_l("Số điện thoại di động"), validators=[DataRequired(), Length(max=20)])
    email = StringField(_l("Email (nếu có)"), validators=[Optional(), Length(max=200)])


class VersionedForm(Form):
    """Every step carries the version the officer saw, so a stale tab is refused."""

    version_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class AcceptForm(VersionedForm):
    """The head accepts the complaint and decides its kind."""

    kind = SelectField(_l("Loại đơn"), choices=options((k, v) for k, v in KIND_LABELS.items() if k))
    complex_case = BooleanField(_l("Vụ việc phức tạp (khiếu nại: thêm thời hạn)"))


class RerouteForm(VersionedForm):
    """To another department of the same office, by the right category, or back to triage."""

    category = SelectField(_l("Lĩnh vực đúng"), choices=options(
        [*CATEGORY_LABELS.items(), ("triage", _l("Trả về bộ phận phân loại"))]))
    reason = StringField(_l("Lý do chuyển"), validators=[DataRequired(), Length(max=500)])


class AssignForm(Form):
    """The head gives the complaint to an officer (choices set per department)."""

    officer_id = SelectField(_l("Giao cho"), coerce=record_id, choices=[])
    reason = StringField(_l("Lý do (bắt buộc khi giao lại)"), validators=[Length(max=300)])


class RejectForm(VersionedForm):
    """Not handled, for a catalogue reason (the competent body or the other reference filled in)."""

    code = SelectField(_l("Lý do"), choices=options(
        (code, label) for code, label in INVALID_LABELS.items() if code in INVALID_REASONS))
    competent_body = StringField(_l("Cơ quan có thẩm quyền (khi không thuộc ngành BHXH)"),
                                 validators=[Length(max=200)])
    reference = StringField(_l("Số phản ánh trùng"), validators=[Length(max=20)])


class DraftForm(VersionedForm):
    """The answer's new version."""

    body = TextAreaField(_l("Văn bản trả lời"), validators=[DataRequired(), Length(max=20_000)])


class CommentForm(VersionedForm):
    """The head's comments when returning a draft."""

    comment = TextAreaField(_l("Ý kiến trả lại"), validators=[DataRequired(), Length(max=4000)])


class ConsultForm(VersionedForm):
    """A question to a department of another office, with its own deadline in working days."""

    office_code = StringField(_l("Mã đơn vị được hỏi"), validators=[DataRequired(), Length(max=10)])
    department_code = SelectField(_l("Phòng được hỏi"), choices=options(
        (code, label) for code, label in DEPARTMENT_LABELS.items() if code in CONSULTABLE))
    question = TextAreaField(_l("Nội dung cần phối hợp"), validators=[DataRequired(), Length(max=4000)])
    working_days = IntegerField(_l("Thời hạn (ngày làm việc)"), default=3,
                                validators=[DataRequired(), NumberRange(min=1, max=60)])


class ConsultAnswerForm(Form):
    """The consulted department's answer."""

    answer = TextAreaField(_l("Trả lời"), validators=[DataRequired(), Length(max=4000)])


class MergeForm(VersionedForm):
    """Merge this duplicate into another complaint."""

    into_reference = StringField(_l("Gộp vào phản ánh số"), validators=[DataRequired(), Length(max=20)])


class NoteForm(Form):
    """An internal note, or a national head's urge."""

    note_text = TextAreaField(_l("Ghi chú nội bộ (công dân không thấy)"),
                              validators=[DataRequired(), Length(max=4000)])


class UrgeForm(Form):
    """A national department head's đôn đốc."""

    urge_text = TextAreaField(_l("Nội dung đôn đốc"), validators=[DataRequired(), Length(max=2000)])
