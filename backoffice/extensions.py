"""Extension instances, bound to the app in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import event
from sqlalchemy.engine import Engine

from backoffice.engine.sessions import Session
from backoffice.models.base import Base

# hide_parameters: a database error's message (and the engine's INFO log) would otherwise carry the statement's
# parameters, i.e. a citizen's ID number, phone, name and date of birth, into the application log.
# Flask-SQLAlchemy merges SQLALCHEMY_ENGINE_OPTIONS over these, so a deployment's pool settings keep it.
ENGINE_OPTIONS = {"hide_parameters": True}

db = SQLAlchemy(model_class=Base, engine_options=ENGINE_OPTIONS, session_options={"class_": Session})
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx_ext = Htmx()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


@event.listens_for(Engine, "handle_error")
def _drop_row_values(context):
    """Keep PostgreSQL's DETAIL line out of the error's text: it quotes the row's values.

    "Key (id_number)=(…) already exists" and "Failing row contains (…)" repeat what hide_parameters hides. The
    primary message (constraint, column) stays; the detail stays readable in code as error.diag.message_detail.
    """
    original = context.original_exception
    diag = getattr(original, "diag", None)
    if diag is None or not diag.message_detail:
        return
    primary = diag.message_primary or type(original).__name__
    original.args = (primary,)
    if context.sqlalchemy_exception is not None:
        context.sqlalchemy_exception.args = (f"({type(original).__module__}.{type(original).__name__}) {primary}",)
