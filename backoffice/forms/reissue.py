"""Forms of the reissue desk: queue filters and the steps of a request."""
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from backoffice.forms.base import DayField, FilterForm, Form, assignee, options, record_id
from backoffice.services.reissue.catalogue import REASONS
from backoffice.services.reissue.labels import AWAITING_LABELS, STATE_LABELS, TYPE_LABELS
from backoffice.web.catalogue import lazy_gettext as _l


def _any(labels):
    return [("", _l("Tất cả"))] + [(str(key), label) for key, label in labels.items()]


class QueueFilterForm(FilterForm):
    """Filters of a department queue (GET; no citizen data)."""

    kind = SelectField(_l("Loại yêu cầu"), choices=options(_any(TYPE_LABELS)), validators=[Optional()])
    state = SelectField(_l("Trạng thái"), choices=options(_any(STATE_LABELS)), validators=[Optional()])
    assignee = StringField(_l("Cán bộ"), validators=[Optional(), Length(max=12), assignee])
    due_by = DayField(_l("Hạn đến ngày"), validators=[Optional()])
    office_id = IntegerField(_l("Đơn vị"), validators=[Optional()])  # bounded where it is read (views.reissue._where)
    department = StringField(_l("Phòng"), validators=[Optional(), Length(max=20)])


class VersionedForm(Form):
    """Every step carries the version the officer saw, so a stale tab is refused."""

    version_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class RejectForm(VersionedForm):
    """Refuse with a reason from the type's catalogue: the page lists the type's own; the service checks the type."""

    code = SelectField(_l("Lý do từ chối"), choices=options(sorted(
        {(code, code) for reasons in REASONS.values() for code in reasons})))
    free_text = TextAreaField(_l("Nội dung gửi công dân (bắt buộc với Lý do khác)"), validators=[Length(max=1000)])


class AwaitForm(VersionedForm):
    """Pause the clock until the citizen acts."""

    reason_code = SelectField(_l("Công dân cần"), choices=options(AWAITING_LABELS.items()))


class ShipForm(VersionedForm):
    """Send by post with the tracking number."""

    tracking_number = StringField(_l("Số hiệu bưu gửi"), validators=[DataRequired(), Length(max=40)])


class NoteForm(VersionedForm):
    """A free-text note on a step: the verification reason, the identity check, a return or a stop."""

    note = TextAreaField(_l("Ghi chú"), validators=[Length(max=2000)])


class InternalNoteForm(Form):
    """An internal note: officers only, never the citizen."""

    body = TextAreaField(_l("Ghi chú nội bộ (công dân không thấy)"), validators=[DataRequired(), Length(max=4000)])


class AssignForm(Form):
    """The head gives the request to an officer (choices set per department)."""

    officer_id = SelectField(_l("Giao cho"), coerce=record_id, choices=[])
    reason = StringField(_l("Lý do (bắt buộc khi giao lại)"), validators=[Length(max=300)])
