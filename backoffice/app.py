"""The app factory: create_app() wires extensions, blueprints and error handlers (see backoffice/__init__.py)."""
import os

from flask import Flask

import config as settings
from backoffice import jobs
from backoffice.commands import register_commands
from backoffice.engine import pool, sqlite
from backoffice.extensions import csrf, db, htmx_ext, limiter, login_manager, migrate
from backoffice.views import register_blueprints
from backoffice.web import errors, i18n, login, read_only, security
from backoffice.web import params as web_params
from backoffice.web.permissions import enforce


def create_app(config_object=None, **overrides):
    """Build the application from a settings class (default: from APP_ENV) and overrides."""
    app = Flask(__name__, instance_path=str(settings.INSTANCE_DIR))
    app.config.from_object(config_object or settings.load_config())
    app.config.update(overrides)
    settings.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    web_params.init_app(app)  # the bounded id converter before any route; NUL refused before any other hook

    db.init_app(app)
    with app.app_context():
        sqlite.configure(db.engine)
        pool.configure(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(settings.__file__), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    htmx_ext.init_app(app)
    limiter.init_app(app)
    jobs.init_app(app)
    login.init_app(app)
    security.init_app(app)
    read_only.init_app(app)  # before enforce(): the sign-in lookup is the first statement
    enforce(app)

    register_blueprints(app)
    errors.register(app)
    register_commands(app)
    return app
