"""Language choice: Vietnamese by default, English on request (a cookie set from the header switch)."""
import re
from urllib.parse import urlsplit

from babel import Locale
from flask import current_app, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, get_locale

from backoffice.extensions import babel
from backoffice.services.platform.calendar import BUSINESS_TZ
from backoffice.web.catalogue import catalogue, gettext

LANGUAGE_COOKIE = "lang"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def select_locale():
    """The language from the cookie, else Vietnamese (also for jobs and commands, which have no request); a Locale
    parsed once per language (Flask-Babel takes it as it is instead of parsing a name on every request)."""
    chosen = request.cookies.get(LANGUAGE_COOKIE) if has_request_context() else None
    name = chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    locale = _LOCALES.get(name)
    if locale is None:
        locale = _LOCALES[name] = Locale.parse(name)
    return locale


_LOCALES = {}


def local_time(moment, seconds=False):
    """A stored UTC moment as Vietnam wall-clock time, dd/mm/yyyy HH:MM (fast: lists render many)."""
    if moment is None:
        return ""
    t = moment.astimezone(BUSINESS_TZ)  # fields formatted directly: strftime costs twice the whole f-string
    shown = f"{t.day:02d}/{t.month:02d}/{t.year} {t.hour:02d}:{t.minute:02d}"
    return f"{shown}:{t.second:02d}" if seconds else shown


_plain = {}


def plain(table):
    """A label table ({value: lazy label}) as plain strings in this request's language, built once per language
    (a lazy string costs its translation at every use: lists are the hot path)."""
    key = (id(table), str(get_locale()))
    if key not in _plain:
        _plain[key] = {value: str(label) for value, label in table.items()}
    return _plain[key]


def plain_choices(field):
    """A SelectField's (value, label) pairs as plain strings in this request's language, for the `select` macro of
    _forms.html (WTForms' own rendering costs ~0.5 ms per select)."""
    key = (field.name, tuple(choice.value for choice in field.choices), str(get_locale()))
    if key not in _plain:
        _plain[key] = [(choice.value, str(choice.label)) for choice in field.choices]
    return _plain[key]


def shown(value):
    """A stored value as officers read it: ISO dates as dd/mm/yyyy, nothing as a dash."""
    if value is None or value == "":
        return "—"
    found = _ISO_DATE.match(value) if isinstance(value, str) else None
    return f"{found[3]}/{found[2]}/{found[1]}" if found else value


def return_address():
    """Where the language switch comes back to: this page with its filters (a GET's query holds no citizen data).
    A page answering a POST (a refused form, a counter search) has an address that answers no GET: back to the page
    the form was sent from."""
    if request.method == "GET":
        return request.full_path if request.query_string else request.path
    sent_from = urlsplit(request.referrer or "")
    if sent_from.netloc == request.host and sent_from.path.startswith("/"):
        return sent_from.path + (f"?{sent_from.query}" if sent_from.query else "")
    return url_for("home.index")


def init_app(app):
    """Bind Flask-Babel and expose the locale and date formatting to templates."""
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.jinja_env.globals.update(get_locale=get_locale, return_address=return_address, format_date=format_date,
                                 format_datetime=format_datetime, plain_choices=plain_choices)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["shown"] = shown
    # a stored Vietnamese string (a check's title) in the reader's language, escaped like any value
    app.jinja_env.filters["translated"] = gettext
    # The same translations as Flask-Babel's own callables, looked up once per request instead of once per string.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True)

