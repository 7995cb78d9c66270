"""Navigation by role, derived from the permission rules so a menu never shows a forbidden page."""
from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from backoffice.forms.admin import ROLE_LABELS
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.permissions import PUBLIC, allows, rule_for

# (endpoint, label); extended as each domain lands.
MENU = (
    ("home.index", _l("Trang chính")),
    ("declarations.queue", _l("Tờ khai")),
    ("declarations.second_approvals", _l("Chờ phê duyệt lần hai")),
    ("reissue.department_queue", _l("Yêu cầu cấp lại")),
    ("reissue.mine", _l("Hồ sơ của tôi")),
    ("complaints.department_queue", _l("Phản ánh")),
    ("complaints.mine", _l("Phản ánh của tôi")),
    ("complaints.consults", _l("Yêu cầu phối hợp")),
    ("complaints.new", _l("Ghi nhận phản ánh")),
    ("admin.officers_list", _l("Cán bộ")),
    ("admin.offices_list", _l("Cơ quan, phòng ban")),
    ("admin.calendar_year", _l("Lịch làm việc")),
    ("api_keys.index", _l("Khoá API")),
    ("notifications.templates", _l("Mẫu tin nhắn")),
    ("notifications.problems", _l("Tin nhắn lỗi")),
    ("supervision.dashboard", _l("Số liệu")),
    ("supervision.samples", _l("Kiểm tra lại")),
    ("supervision.flag_list", _l("Cảnh báo")),
    ("supervision.access", _l("Ai đã xem")),
    ("supervision.audit_log", _l("Nhật ký")),
)


# endpoint -> count(officer): a number shown beside the entry (work waiting for this officer), registered by the
# blueprint that owns the page (web never imports views).
_COUNTS = {}


# page endpoint -> the menu entry current on it, when its path lies under another entry's (registered by the
# blueprint that owns the page: a blind re-review at /supervision/review/… belongs to "Kiểm tra lại").
_SECTIONS = {}


def register_section(endpoint, menu_endpoint):
    """Make `menu_endpoint`'s entry the current one on the page of `endpoint`."""
    _SECTIONS[endpoint] = menu_endpoint


def register_count(endpoint, count):
    """Show `count(officer)` beside the menu entry of `endpoint` (nothing when it is 0)."""
    _COUNTS[endpoint] = count


def _entries(role):
    """(endpoint, url, label) of the entries a role may open, built once per role and app (url_for costs)."""
    cache = current_app.extensions.setdefault("menu_entries", {})
    if role not in cache:
        rules = {endpoint: rule_for(current_app.view_functions[endpoint]) for endpoint, _ in MENU}
        cache[role] = tuple((endpoint, url_for(endpoint), label) for endpoint, label in MENU
                            if rules[endpoint] != PUBLIC and allows(rules[endpoint], role))
    return cache[role]


def menu_for(officer):
    """The menu entries this officer's role may open; an entry is current on its page and the pages under it
    (a declaration's review page keeps "Tờ khai" current)."""
    path = request.path
    entries = _entries(officer.role)
    # the deepest entry holding the page is current ("Chờ phê duyệt lần hai", not "Tờ khai", on its own page)
    section = _SECTIONS.get(request.endpoint)
    holding = [url for endpoint, url, _ in entries if endpoint == section] or [
        url for _, url, _ in entries if path == url or (url != "/" and path.startswith(url.rstrip("/") + "/"))]
    current = max(holding, key=len, default=None)
    return [{"endpoint": endpoint, "url": url, "label": label, "active": url == current,
             "count": _COUNTS[endpoint](officer) if endpoint in _COUNTS else 0}
            for endpoint, url, label in entries]


def menu_html(menu):
    """The layout's menu (_menu.html) for these entries, rendered once per role, language, current entry and
    figures: every page shows it and it holds no citizen data, so the rendered text is kept (a few hundred keys)."""
    if not menu:
        return ""
    key = (str(get_locale()), tuple((item["url"], item["active"], item["count"]) for item in menu))
    cache = current_app.extensions.setdefault("menu_html", {})
    shown = cache.get(key)
    if shown is None:
        if len(cache) > 2048:
            cache.clear()
        shown = cache[key] = Markup(render_template("_menu.html", menu=menu))
    return shown


def context():
    """Template globals: the menu (its entries, and the layout's rendering of them) and role names."""
    if not current_user.is_authenticated:
        return {"menu": [], "menu_html": menu_html, "role_labels": ROLE_LABELS}
    return {"menu": menu_for(current_user), "menu_html": menu_html, "role_labels": ROLE_LABELS}
