"""Navigation by role, derived from the permission rules so a menu never shows a forbidden page."""
from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.forms.admin import ROLE_LABELS
from backoffice.permissions import rule_for

# (endpoint, label); extended as each domain lands.
MENU = (
    ("home.index", _l("Trang chính")),
    ("declarations.queue", _l("Tờ khai")),
    ("admin.officers_list", _l("Cán bộ")),
    ("admin.offices_list", _l("Cơ quan, phòng ban")),
    ("admin.calendar_year", _l("Lịch làm việc")),
    ("api_keys.index", _l("Khoá API")),
    ("notifications.templates", _l("Mẫu tin nhắn")),
    ("notifications.problems", _l("Tin nhắn lỗi")),
)


def menu_for(officer):
    """The menu entries this officer's role may open; an entry is current on its page and the pages under it
    (a declaration's review page keeps "Tờ khai" current)."""
    entries = []
    for endpoint, label in MENU:
        rule = rule_for(current_app.view_functions[endpoint])
        if rule != "public" and officer.role in rule:
            url = url_for(endpoint)
            under = url != "/" and request.path.startswith(url.rstrip("/") + "/")
            entries.append({"endpoint": endpoint, "url": url, "label": label,
                            "active": request.path == url or under})
    return entries


def context():
    """Template globals: the menu and role names."""
    if not current_user.is_authenticated:
        return {"menu": [], "role_labels": ROLE_LABELS}
    return {"menu": menu_for(current_user), "role_labels": ROLE_LABELS}
