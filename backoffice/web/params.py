"""Request parameters read at the edge: ids in paths, integers, dates and keyset cursors in queries, NUL refused.

Every view reads these through here, so a value the database cannot hold (an id above PostgreSQL's bigint, a
date before year 1 once shifted to a time zone, a naive timestamp compared with a timestamptz, a NUL character in
a text column) is answered with a 4xx and a clear message before it reaches a query, never with a 500.
"""
import re
from datetime import date, datetime

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from backoffice.web.catalogue import gettext as _

# PostgreSQL integer, the type of most keys: a larger value fails the query's cast (a 500) instead of finding nothing.
# The bigint keys (declarations) will not pass two billion rows, so one bound serves every id.
MAX_ID = 2**31 - 1
# The service's dates: wide enough for any birth date or filter an officer types, narrow enough that a day added
# or a time zone applied stays a valid date.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)
_INTEGER = re.compile(r"-?[0-9]{1,19}")  # ASCII digits; 19 digits bound int() before the range check
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadParameter(BadRequest):
    """A 400 whose description is the message shown to the officer (or the API client)."""


class IdConverter(IntegerConverter):
    """The converter of every `<int:...>` route: ASCII digits up to MAX_ID; anything else does not match (404)."""

    regex = r"[0-9]{1,19}"  # ASCII digits; a longer run cannot be an id and is not worth converting

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def integer_in(text, low, high):
    """int(text) when it is ASCII digits within [low, high], else None: the one reading of an integer typed or
    passed anywhere (a route's id, a query parameter, a form's select of records)."""
    return int(text) if _INTEGER.fullmatch(text) and low <= int(text) <= high else None


def id_or_none(value):
    """An id chosen in a form (a select's value): the id when it is ASCII digits in the ids' range, else None (it
    names nothing, as an id in a URL outside the range names nothing)."""
    return integer_in(str(value if value is not None else "").strip(), 1, MAX_ID)


def query_int(name, default=None, low=0, high=MAX_ID):
    """The integer query parameter `name` within [low, high]; `default` when absent or empty; 400 otherwise."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    value = integer_in(text, low, high)
    if value is None:
        raise BadParameter(_("Tham số %(name)s phải là số nguyên từ %(low)s đến %(high)s.",
                             name=name, low=low, high=high))
    return value


def in_service_dates(day):
    """Whether a day lies within the service's dates (FIRST_DATE to LAST_DATE)."""
    return FIRST_DATE <= day <= LAST_DATE


def parse_date(text):
    """An ISO date (YYYY-MM-DD, ASCII digits) between FIRST_DATE and LAST_DATE; BadParameter otherwise."""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not in_service_dates(day):
        raise BadParameter(_("Ngày phải theo dạng YYYY-MM-DD, từ %(first)s đến %(last)s.",
                             first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat()))
    return day


_TYPED_DAY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def day_or_none(text):
    """A day posted by a form, as links carry it (YYYY-MM-DD) or as officers type it (dd/mm/yyyy, the DayField's
    way), between FIRST_DATE and LAST_DATE; else None (it names no day, as id_or_none names no id)."""
    text = str(text or "").strip()
    typed = _TYPED_DAY.fullmatch(text)
    try:
        day = date(int(typed[3]), int(typed[2]), int(typed[1])) if typed else (
            date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None)
    except ValueError:
        return None
    return day if day and in_service_dates(day) else None


def query_date(name):
    """The date query parameter `name`, None when absent or empty (an empty date input); 400 when not a date."""
    text = request.args.get(name, "").strip()
    return parse_date(text) if text else None


def query_year(name, default):
    """A year query parameter within the service's dates."""
    return query_int(name, default, FIRST_DATE.year, LAST_DATE.year)


def keyset_cursor(at_name="after_at", id_name="after_id"):
    """(timestamp with its time zone, id) of the last row of the previous page, or None on the first page.

    The app writes these itself (isoformat of an aware timestamp); one half missing, a timestamp without a time
    zone or outside the service's dates, or an id out of range is a forged or damaged link: 400.
    """
    at_text, id_text = request.args.get(at_name, "").strip(), request.args.get(id_name, "").strip()
    if not at_text and not id_text:
        return None
    row_id = integer_in(id_text, 0, MAX_ID)
    try:
        at = datetime.fromisoformat(at_text) if at_text.isascii() else None
    except ValueError:
        at = None
    if (row_id is None or at is None or at.utcoffset() is None
            or not in_service_dates(at.date())):
        raise BadParameter(_("Liên kết trang tiếp theo không hợp lệ. Hãy mở lại danh sách từ trang đầu."))
    return at, row_id


def _has_nul(pairs):
    return any("\x00" in key or "\x00" in value for key, values in pairs for value in values)


def refuse_nul():
    """400 when the path, a query parameter or a form field holds a NUL character, which PostgreSQL cannot store
    or compare in text. The API's multipart body is checked by its own payload parsing (after the key check)."""
    if "\x00" in request.path or _has_nul(request.args.lists()):
        raise BadParameter(_("Địa chỉ hoặc tham số chứa ký tự không hợp lệ (NUL)."))
    if request.blueprint != "api" and request.mimetype in ("application/x-www-form-urlencoded",
                                                           "multipart/form-data"):
        if _has_nul(request.form.lists()):
            raise BadParameter(_("Biểu mẫu chứa ký tự không hợp lệ (NUL). Hãy nhập lại."))


def init_app(app):
    """Bound every `<int:...>` route parameter (before any blueprint adds a rule) and refuse NUL first thing."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
