"""Request handling shared by every blueprint.

htmx, login, security headers, errors, navigation, i18n, catalogue, permissions (route decorators), actions
(call one service, commit or show the error), case messages.
"""
