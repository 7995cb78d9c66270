"""Vietnamese by default, English on request; error pages in Vietnamese."""
from tests.conftest import login


def test_vietnamese_by_default_and_english_on_switch(client, demo_logins):
    login(client, "tiepnhan.00131")
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)
    response = client.post("/language", data={"language": "en", "next": "/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Sign out" in page and 'lang="en"' in page and "Reception officer" in page
    client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)  # unknown language falls back to Vietnamese


def test_error_pages_are_vietnamese(client, demo_logins):
    login(client, "tiepnhan.00131")
    missing = client.get("/khong-co-trang-nay")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.get_data(as_text=True)
    forbidden = client.get("/admin/officers")
    assert forbidden.status_code == 403 and "Không có quyền truy cập" in forbidden.get_data(as_text=True)


def test_unexpected_errors_are_a_vietnamese_500_without_traceback(app, client, demo_logins):
    from backoffice.web.permissions import signed_in

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", signed_in(broken))
    login(client, "tiepnhan.00131")
    response = client.get("/broken")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Lỗi hệ thống" in body and "Traceback" not in body and "boom" not in body


def test_the_desk_speaks_english_too(client, demo_logins):
    login(client, "tiepnhan.00131")
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get("/declarations/").get_data(as_text=True)
    assert "Take the next declaration" in page and "Counter search" in page and "Declarations of the office" in page
    assert ">Channel</label>" in page and ">From</label>" in page  # lazy form labels, resolved per request


def test_catalogue_translates_per_request_and_falls_back_outside_one(app):
    from flask.globals import app_ctx

    from backoffice.web.catalogue import gettext, lazy_gettext

    label = lazy_gettext("%(n)s không đạt", n=2)
    outer = app_ctx._get_current_object()
    outer.pop()  # the fixture's context: each request below brings its own, as under gunicorn
    try:
        with app.test_request_context("/", headers={"Cookie": "lang=en"}):
            assert gettext("Kênh") == "Channel" and str(label) == "2 failed"
            assert gettext("%(n)s không đạt", n=3) == "3 failed"
        with app.test_request_context("/"):
            assert gettext("Kênh") == "Kênh" and str(label) == "2 không đạt"
        with app.app_context():  # a job or a command: no request, Vietnamese
            assert gettext("Kênh") == "Kênh"
        assert gettext("Kênh") == "Kênh"  # no context at all
    finally:
        outer.push()


def test_every_message_in_the_code_has_an_english_translation():
    """What `make translations-update` would extract is all in the English catalogue, translated, not fuzzy."""
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with open(root / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    in_code = {message[2] if isinstance(message[2], str) else message[2][0]
               for message in extract_from_dir(root, method_map, options_map, keywords=keywords)}
    with open(root / "backoffice/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    missing = sorted(m for m in in_code if not (catalogue.get(m) and catalogue[m].string and not catalogue[m].fuzzy))
    assert len(in_code) > 250 and not missing, missing
