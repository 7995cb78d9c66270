"""The layout's menu: rendered once per role, language, current entry and figures (web.navigation.menu_html), and
still right on every page: the current entry, the language, the figures."""
import re

from tests.conftest import login


def _menu(client, path):
    page = client.get(path).get_data(as_text=True)
    nav = page.split('<nav class="menu"')[1].split("</nav>")[0]
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    return nav, current


def test_menu_follows_the_page_the_language_and_the_figures(client, demo_logins):
    login(client, "canbo.00131")
    nav, current = _menu(client, "/reissue/")
    assert current == ["/reissue/"] and "Yêu cầu cấp lại" in nav and "Reissue requests" not in nav
    assert _menu(client, "/reissue/mine")[1] == ["/reissue/mine"]
    assert _menu(client, "/reissue/")[1] == ["/reissue/"]  # the kept rendering of the first page, still right
    client.post("/language", data={"language": "en", "next": "/"})
    nav, current = _menu(client, "/reissue/")
    assert current == ["/reissue/"] and "Reissue requests" in nav and "Yêu cầu cấp lại" not in nav
    client.post("/language", data={"language": "vi", "next": "/"})
    assert "Yêu cầu cấp lại" in _menu(client, "/reissue/")[0]


def test_each_role_gets_its_own_menu(client, demo_logins):
    login(client, "canbo.00131")
    officer_nav = _menu(client, "/")[0]
    other = client.application.test_client()
    login(other, "tiepnhan.00131")
    reception_nav = _menu(other, "/")[0]
    assert "/reissue/" in officer_nav and "/reissue/" not in reception_nav
    assert "/declarations/" in reception_nav and "/declarations/" not in officer_nav
