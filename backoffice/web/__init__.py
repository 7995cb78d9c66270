"""Request handling shared by every blueprint: htmx, login, security headers, errors, navigation, i18n, permissions (route decorators), actions, paging."""
