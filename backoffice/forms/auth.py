"""Sign-in and password forms."""
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from backoffice.forms.base import Form
from backoffice.web.catalogue import lazy_gettext as _l


class LoginForm(Form):
    """Username and password."""

    username = StringField(_l("Tên đăng nhập"),
                           validators=[DataRequired(_l("Hãy nhập tên đăng nhập.")), Length(max=64)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Hãy nhập mật khẩu.")), Length(max=200)])


class ChangePasswordForm(Form):
    """Current password and a new one, typed twice."""

    current_password = PasswordField(_l("Mật khẩu hiện tại"),
                                     validators=[DataRequired(_l("Hãy nhập mật khẩu hiện tại."))])
    new_password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(_l("Hãy nhập mật khẩu mới.")), Length(min=10, max=200)]
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"), validators=[EqualTo("new_password", _l("Hai lần nhập mật khẩu mới không khớp."))]
    )
