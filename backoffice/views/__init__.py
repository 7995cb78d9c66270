"""Blueprints, one per domain; views are thin (parse → one service call → commit → render)."""


def register_blueprints(app):
    """Attach every blueprint to the app."""
    from backoffice import navigation
    from backoffice.views import admin, api, api_keys, auth, declarations, files, health, home, notifications

    for module in (auth, home, admin, files, health, notifications, declarations, api, api_keys):
        app.register_blueprint(module.bp)
    app.context_processor(navigation.context)
