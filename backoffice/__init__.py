"""The BHXH back office: create_app() wires extensions, blueprints and error handlers.

The factory lives in `backoffice.app` and is imported when called: importing a light part of the
package (the `idcard` command, issue 19) must not load every blueprint, service and model first.
"""


def create_app(config_object=None, **overrides):
    """Build the application (backoffice.app.create_app)."""
    from backoffice.app import create_app as factory

    return factory(config_object, **overrides)
