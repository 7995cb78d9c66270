"""Language choice: Vietnamese by default, English on request (a cookie set from the header switch)."""
from flask import current_app, request
from flask_babel import format_date, format_datetime, get_locale

from backoffice.extensions import babel

LANGUAGE_COOKIE = "lang"


def select_locale():
    """The language from the cookie, else Vietnamese."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    """Bind Flask-Babel and expose the locale and date formatting to templates."""
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.jinja_env.globals.update(get_locale=get_locale, format_date=format_date, format_datetime=format_datetime)
