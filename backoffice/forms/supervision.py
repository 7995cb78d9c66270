"""Forms of supervision: list filters (GET), the sample draw, blind verdicts, follow-ups, flags, the access report,
exports."""
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from backoffice.forms.base import ID_RANGE, DayField, Form, options
from backoffice.models import DepartmentCode
from backoffice.services.casework.sla import DUE_LABELS
from backoffice.services.complaints.labels import CATEGORY_LABELS, DEPARTMENT_LABELS
from backoffice.services.supervision import SOURCES
from backoffice.services.supervision.exports import ANY_CATEGORY, KINDS
from backoffice.services.supervision.labels import (
    FLAG_STATUS_LABELS,
    FOLLOW_UP_LABELS,
    OUTCOME_LABELS,
    RULE_LABELS,
)
from backoffice.services.supervision.rollups import BACKLOG_BUCKETS, DEADLINES
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.params import id_or_none

ANY = ("", _l("Tất cả"))


class _GetForm(Form):
    class Meta:
        csrf = False  # filters only: nothing changes, no citizen data in them


class PeriodForm(_GetForm):
    """The period and office of a dashboard or a list (Vietnam dates)."""

    date_from = DayField(_l("Từ ngày"), validators=[Optional()])
    date_to = DayField(_l("Đến ngày"), validators=[Optional()])
    office = SelectField(_l("Cơ quan"), coerce=id_or_none, validators=[Optional()], validate_choice=False)


def _case_types():
    return [ANY, *((case_type, source.label) for case_type, source in SOURCES.items())]


def _departments():
    return [ANY, *((code.value, DEPARTMENT_LABELS.get(code.value, code.value)) for code in DepartmentCode)]


YES = ("1", _l("Có"))


class _CaseFilters(PeriodForm):
    """The case type and department every list a dashboard number links to can be narrowed to."""

    case_type = SelectField(_l("Loại hồ sơ"), choices=options(_case_types()), validators=[Optional()])
    department = SelectField(_l("Phòng ban"), choices=options(_departments()), validators=[Optional()])
    office_only = SelectField(_l("Chỉ riêng cơ quan này"), choices=options([ANY, YES]), validators=[Optional()])


class DecisionFilterForm(_CaseFilters):
    """Filters of the decisions list."""

    outcome = SelectField(_l("Kết luận"), choices=options([ANY, *OUTCOME_LABELS.items()]), validators=[Optional()])
    officer = StringField(_l("Tên đăng nhập cán bộ"), validators=[Optional(), Length(max=64)])
    reason = StringField(_l("Mã lý do từ chối"), validators=[Optional(), Length(max=40)])
    failing = SelectField(_l("Duyệt khi kiểm tra không đạt"), choices=options([ANY, YES]), validators=[Optional()])


class ReceivedFilterForm(_CaseFilters):
    """Filters of the list of cases received (complaints: by category and triage)."""

    category = SelectField(_l("Lĩnh vực phản ánh"), validators=[Optional()], choices=options(
        [ANY, (ANY_CATEGORY, _l("Mọi lĩnh vực")), *CATEGORY_LABELS.items()]))
    triage = SelectField(_l("Chuyển phân loại thủ công"), choices=options([ANY, YES]), validators=[Optional()])


class ReviewedForm(PeriodForm):
    """The re-reviewed cases behind a disagreement rate: the deciding officer, the disagreements only."""

    officer = SelectField(_l("Cán bộ quyết định"), coerce=id_or_none, validators=[Optional()], validate_choice=False)
    disagreed = SelectField(_l("Chỉ các trường hợp bất đồng"), choices=options([ANY, YES]), validators=[Optional()])


class OpenCasesForm(_GetForm):
    """The open cases a backlog or deadline number links to."""

    bucket = SelectField(_l("Số ngày chờ"), validators=[Optional()],
                         choices=options([ANY, *((name, name) for name, _days in BACKLOG_BUCKETS)]))
    deadline = SelectField(_l("Tình trạng hạn"), validators=[Optional()],
                           choices=options([ANY, *((status, DUE_LABELS[status]) for status in DEADLINES)]))
    case_type = SelectField(_l("Loại hồ sơ"), choices=options(_case_types()), validators=[Optional()])
    department = SelectField(_l("Phòng ban"), choices=options(_departments()), validators=[Optional()])
    office = SelectField(_l("Cơ quan"), coerce=id_or_none, validators=[Optional()], validate_choice=False)


class AuditFilterForm(PeriodForm):
    """Filters of the audit log."""

    officer = StringField(_l("Tên đăng nhập"), validators=[Optional(), Length(max=64)])
    action = SelectField(_l("Hành động"), validators=[Optional()], validate_choice=False)
    object_type = StringField(_l("Loại đối tượng"), validators=[Optional(), Length(max=64)])
    reference = StringField(_l("Mã hồ sơ"), validators=[Optional(), Length(max=20)])


class FlagFilterForm(_GetForm):
    """Filters of the flags list."""

    status = SelectField(_l("Trạng thái"), choices=options([ANY, *FLAG_STATUS_LABELS.items()]),
                         validators=[Optional()], default="open")
    rule = SelectField(_l("Loại cảnh báo"), choices=options([ANY, *RULE_LABELS.items()]), validators=[Optional()])


class DrawForm(Form):
    """Draw a sample of decisions for blind re-review."""

    period_from = DayField(_l("Từ ngày"), validators=[DataRequired(_l("Hãy chọn ngày bắt đầu."))])
    period_to = DayField(_l("Đến ngày"), validators=[DataRequired(_l("Hãy chọn ngày kết thúc."))])
    method = RadioField(_l("Cỡ mẫu mỗi nhóm"), default="precision", choices=options([
        ("precision", _l("Theo độ chính xác mục tiêu")), ("fixed", _l("Số hồ sơ cố định"))]))
    precision = IntegerField(_l("Độ chính xác (± %)"), default=10, validators=[Optional(), NumberRange(1, 50)])
    confidence = IntegerField(_l("Độ tin cậy (%)"), default=90, validators=[Optional(), NumberRange(50, 99)])
    fixed_count = IntegerField(_l("Số hồ sơ mỗi nhóm"), validators=[Optional(), NumberRange(1, 1000)])
    seed = StringField(_l("Hạt giống (để trống: ngẫu nhiên)"), validators=[Optional(), Length(max=40)])
    calibration = BooleanField(_l("Mẫu hiệu chuẩn (nhiều lãnh đạo cùng kiểm tra)"))


class VerdictForm(Form):
    """The re-reviewer's own decision and reason."""

    outcome = RadioField(_l("Kết luận của bạn"), choices=options(OUTCOME_LABELS.items()),
                         validators=[DataRequired(_l("Hãy chọn kết luận của bạn."))])
    reason = TextAreaField(_l("Lý do"), validators=[DataRequired(_l("Hãy ghi lý do.")), Length(max=2000)])


class FollowUpForm(Form):
    """Settle a disagreement."""

    action = SelectField(_l("Xử lý"), choices=options(FOLLOW_UP_LABELS.items()))
    note = TextAreaField(_l("Căn cứ"), validators=[DataRequired(_l("Hãy ghi rõ căn cứ.")), Length(max=2000)])
    # who decides a corrected declaration again (checked by the service: an officer of its office, not the decider)
    officer_id = IntegerField(_l("Cán bộ quyết định lại"), validators=[Optional(), ID_RANGE])


class ResolveForm(Form):
    """Mark a flag explained or escalated."""

    status = SelectField(_l("Xử lý"), choices=options([("explained", _l("Đã giải trình")),
                                                       ("escalated", _l("Chuyển cấp trên"))]))
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])


class AccessForm(Form):
    """Who saw this citizen (POST: the number is citizen data)."""

    term = StringField(_l("Mã số BHXH hoặc số giấy tờ tùy thân"),
                       validators=[DataRequired(_l("Hãy nhập mã số BHXH hoặc số giấy tờ.")), Length(max=20)])


class AccessExportForm(AccessForm):
    """The report as a file."""

    file_format = SelectField(choices=options([("csv", "CSV"), ("pdf", "PDF")]))


class ExportForm(Form):
    """Export a filtered list; the full numbers need a reason."""

    kind = SelectField(choices=options([(k, k) for k in KINDS]))
    file_format = SelectField(_l("Định dạng"), choices=options([("csv", "CSV"), ("xlsx", "XLSX")]))
    full = BooleanField(_l("Xuất số giấy tờ và số điện thoại đầy đủ"))
    reason = StringField(_l("Lý do cần số đầy đủ"), validators=[Optional(), Length(max=500)])
