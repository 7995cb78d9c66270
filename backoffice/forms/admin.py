"""Administration forms: officers, offices, departments, calendar days."""
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from backoffice.forms.base import Form, options, record_id
from backoffice.models import DepartmentCode, OfficeLevel, Role
from backoffice.web.catalogue import lazy_gettext as _l

ROLE_LABELS = {
    Role.reception_officer: _l("Cán bộ tiếp nhận"),
    Role.department_officer: _l("Cán bộ phòng nghiệp vụ"),
    Role.department_head: _l("Trưởng phòng"),
    Role.supervisor: _l("Lãnh đạo, giám sát"),
    Role.admin: _l("Quản trị hệ thống"),
}
LEVEL_LABELS = {
    OfficeLevel.national: _l("Trung ương"),
    OfficeLevel.provincial: _l("Tỉnh, thành phố"),
    OfficeLevel.local: _l("Cơ sở (quận, huyện, khu vực)"),
}


class OfficerForm(Form):
    """An officer's identity, role and placement."""

    username = StringField(_l("Tên đăng nhập"),
                           validators=[DataRequired(_l("Hãy nhập tên đăng nhập.")), Length(max=64)])
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Hãy nhập họ và tên.")), Length(max=200)])
    email = EmailField(_l("Thư điện tử"),
                       validators=[Optional(), Email(_l("Địa chỉ thư không hợp lệ.")), Length(max=200)])
    role = SelectField(_l("Vai trò"), choices=options((r.value, label) for r, label in ROLE_LABELS.items()))
    office_id = SelectField(_l("Cơ quan"), coerce=record_id)
    department_code = SelectField(
        _l("Phòng ban"), choices=options([("", _l("— Không —"))] + [(c.value, c.value) for c in DepartmentCode])
    )


class OfficeForm(Form):
    """An office in the tree."""

    code = StringField(_l("Mã cơ quan"),
                       validators=[Regexp(r"^[0-9]{5}$", message=_l("Mã cơ quan gồm đúng 5 chữ số."))])
    name = StringField(_l("Tên cơ quan"), validators=[DataRequired(_l("Hãy nhập tên cơ quan.")), Length(max=200)])
    level = SelectField(_l("Cấp"), choices=options((lvl.value, label) for lvl, label in LEVEL_LABELS.items()))
    parent_id = SelectField(_l("Cơ quan cấp trên"), coerce=record_id)
    address = StringField(_l("Địa chỉ"), validators=[Length(max=300)])
    phone = StringField(_l("Điện thoại"), validators=[Length(max=20)])
    email = EmailField(_l("Thư điện tử"),
                       validators=[Optional(), Email(_l("Địa chỉ thư không hợp lệ.")), Length(max=200)])


class DepartmentForm(Form):
    """A department's display name."""

    name = StringField(_l("Tên phòng ban"), validators=[DataRequired(_l("Hãy nhập tên phòng ban.")), Length(max=200)])


class CalendarDayForm(Form):
    """A holiday or a make-up working day."""

    day = DateField(_l("Ngày"), validators=[DataRequired(_l("Hãy chọn ngày."))])
    name = StringField(_l("Tên ngày"), validators=[DataRequired(_l("Hãy ghi tên ngày.")), Length(max=200)])
    is_working = BooleanField(_l("Là ngày làm việc (làm bù)"))
