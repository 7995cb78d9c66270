"""The base form: WTForms' built-in messages in Vietnamese (WTForms ships no Vietnamese catalogue)."""
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.fields import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, ValidationError

from backoffice.services.casework.queue import UNASSIGNED
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.params import FIRST_DATE, LAST_DATE, MAX_ID, in_service_dates, integer_in

VIETNAMESE = {
    "This field is required.": "Trường này bắt buộc.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ (ngày/tháng/năm).",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Not a valid integer value.": "Phải là số nguyên.",
    "Not a valid decimal value.": "Phải là số.",
    "Invalid email address.": "Địa chỉ thư không hợp lệ.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Giá trị phải trùng với %(other_name)s.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Không được dài quá %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Cần từ %(min)d đến %(max)d ký tự.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số phải không quá %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "This field must be filled.": "Trường này bắt buộc.",
    "CSRF token missing.": "Thiếu mã bảo vệ biểu mẫu; hãy tải lại trang.",
    "CSRF token expired.": "Biểu mẫu đã hết hạn; hãy tải lại trang.",
    "Invalid CSRF Token.": "Mã bảo vệ biểu mẫu không hợp lệ; hãy tải lại trang.",
    "CSRF failed.": "Mã bảo vệ biểu mẫu không hợp lệ; hãy tải lại trang.",
}


# an id typed or passed in a form (an office, an officer): one the database's integer keys can hold, else a
# query would fail on it (a 500) instead of finding nothing
ID_RANGE = NumberRange(min=1, max=MAX_ID)


def record_id(value):
    """The coerce of every select of records (an office, an officer): an integer the keys can hold, 0 meaning
    none. Past that, a select whose choices the service checks (validate_choice off) reached the query with it,
    and PostgreSQL refused the cast (a probe of the admin's office select: 500). A ValueError here is WTForms'
    "Invalid Choice: could not coerce", shown as "Lựa chọn không hợp lệ." beside the field."""
    number = integer_in(str(value).strip(), 0, MAX_ID)  # (an int's own text too: the one bounded reading)
    if number is None:
        raise ValueError(value)
    return number


def stripped(value):
    """A filter of GET filter fields: a value of spaces alone (`?state=++`) is no value. Optional() lets it through
    as valid, clearing the choice's error, and it reached an enum or an integer cast as it was (a probe: 500)."""
    return value.strip() if isinstance(value, str) else value


def assignee(form, field):
    """A queue's assignee filter (GET): an officer's id the keys can hold, or `none` for the unassigned
    (services.casework.queue.UNASSIGNED). Anything else makes the filter form invalid, and the queue is listed
    unfiltered, as for any bad filter (an id past PostgreSQL's integer failed the query's cast: 500)."""
    if field.data and field.data != UNASSIGNED and integer_in(field.data, 1, MAX_ID) is None:
        raise ValidationError(_l("Chọn cán bộ trong danh sách."))


# WTForms' own English where it speaks of its internals (a select whose value is not an option's)
ENGLISH = {"Invalid Choice: could not coerce.": "Not a valid choice."}


class _Translations:
    def gettext(self, message):
        return (VIETNAMESE if str(get_locale()) == "vi" else ENGLISH).get(message, message)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """Every form of the app derives from this one."""

    class Meta:
        def get_translations(self, form):
            return _Translations()


def options(pairs):
    """SelectField choices from (value, label) pairs (WTForms 3.3 wants SelectChoice objects)."""
    return [SelectChoice(value, label) for value, label in pairs]


class DayField(DateField):
    """A day typed dd/mm/yyyy whatever the browser's language (a date input shows the browser's own order, mm/dd
    in English); ISO yyyy-mm-dd is accepted too, for links. Shown by the `day_input` macro of _forms.html."""

    def __init__(self, label=None, validators=None, format=("%d/%m/%Y", "%Y-%m-%d"), **kwargs):
        super().__init__(label, validators, format=list(format), **kwargs)

    def process_formdata(self, valuelist):
        """A day outside the service's dates (web.params: 1900 to 2100) is no day: a time zone applied to 01/01/0001
        leaves the calendar, and no birth, deadline or period of this service lies there."""
        super().process_formdata(valuelist)
        if self.data is not None and not in_service_dates(self.data):
            self.data = None
            raise ValueError(_l("Ngày phải từ %(first)s đến %(last)s.", first=FIRST_DATE.strftime("%d/%m/%Y"),
                                last=LAST_DATE.strftime("%d/%m/%Y")))

    def _value(self):
        """A day read (from a link's yyyy-mm-dd too) is shown back as dd/mm/yyyy; what could not be read is shown
        as typed, for the officer to correct."""
        if self.data and not self.process_errors:
            return f"{self.data.day:02d}/{self.data.month:02d}/{self.data.year}"
        return super()._value()


class FilterForm(Form):
    """A queue's filters (GET, no citizen data in them): no CSRF token, and every value stripped of the spaces
    around it (`stripped`)."""

    class Meta:
        csrf = False

        def bind_field(self, form, unbound_field, options):
            filters = (*unbound_field.kwargs.get("filters", ()), stripped)
            return unbound_field.bind(form=form, **{**options, "filters": filters})
