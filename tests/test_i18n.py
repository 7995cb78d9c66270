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
    from backoffice.permissions import signed_in

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
