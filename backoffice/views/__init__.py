"""Blueprints, one per domain; views are thin (parse → one service call → commit → render)."""


def register_blueprints(app):
    """Attach every blueprint to the app."""
    from backoffice.views import (
        admin,
        api,
        api_keys,
        auth,
        complaints,
        declarations,
        files,
        health,
        home,
        notifications,
        reissue,
        supervision,
    )
    from backoffice.web import navigation

    for module in (auth, home, admin, files, health, notifications, declarations, reissue, complaints, api, api_keys,
                   supervision):
        app.register_blueprint(module.bp)
    app.context_processor(navigation.context)
