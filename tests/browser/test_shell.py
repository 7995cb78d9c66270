"""The page shell in Chromium: sign in per role, navigation, lockout, language, htmx, sign out."""
import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

MENUS = {
    "tiepnhan.00131": ["Trang chính", "Tờ khai", "Chờ phê duyệt lần hai", "Phản ánh", "Ghi nhận phản ánh", "Số liệu"],
    "canbo.00131": ["Trang chính", "Yêu cầu cấp lại", "Hồ sơ của tôi", "Phản ánh", "Phản ánh của tôi",
                    "Yêu cầu phối hợp", "Ghi nhận phản ánh", "Số liệu"],
    "truongphong.00131": ["Trang chính", "Yêu cầu cấp lại", "Hồ sơ của tôi", "Phản ánh", "Phản ánh của tôi",
                          "Yêu cầu phối hợp", "Ghi nhận phản ánh", "Số liệu"],
    "giamsat.00131": ["Trang chính", "Chờ phê duyệt lần hai", "Yêu cầu cấp lại", "Phản ánh", "Tin nhắn lỗi", "Số liệu",
                      "Kiểm tra lại", "Cảnh báo", "Ai đã xem", "Nhật ký"],
    "quantri.00131": ["Trang chính", "Cán bộ", "Cơ quan, phòng ban", "Lịch làm việc", "Khoá API", "Mẫu tin nhắn"],
}
ROLES = {"tiepnhan.00131": "Cán bộ tiếp nhận", "canbo.00131": "Cán bộ phòng nghiệp vụ",
         "truongphong.00131": "Trưởng phòng", "giamsat.00131": "Lãnh đạo, giám sát",
         "quantri.00131": "Quản trị hệ thống"}


def sign_in(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_label("Mật khẩu").press("Enter")  # the keyboard is enough


@pytest.mark.parametrize("username", list(MENUS))
def test_each_role_signs_in_and_sees_its_menu(page, live_server, demo_logins, csp_violations, username):
    sign_in(page, live_server, username)
    expect(page.get_by_test_id("role")).to_have_text(ROLES[username])
    expect(page.locator("nav.menu a")).to_have_text(MENUS[username])
    expect(page.locator("#toasts")).to_contain_text("Xin chào")
    assert csp_violations == []


def test_too_many_failures_lock_the_account(page, live_server, demo_logins):
    for _ in range(10):
        sign_in(page, live_server, "tiepnhan.00131", "sai-mat-khau")
        expect(page.locator("#toasts")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    sign_in(page, live_server, "tiepnhan.00131")
    expect(page.locator("#toasts")).to_contain_text("Tài khoản tạm khoá do đăng nhập sai quá nhiều lần")
    expect(page).to_have_url(f"{live_server}/login")


def test_language_switch_and_back(page, live_server, demo_logins):
    sign_in(page, live_server, "giamsat.00131")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_test_id("role")).to_have_text("Supervisor")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_sign_out_and_the_old_page_is_gone(page, live_server, demo_logins):
    sign_in(page, live_server, "tiepnhan.00131")
    expect(page.get_by_test_id("role")).to_be_visible()
    page.get_by_test_id("logout").click()
    expect(page.locator("#toasts")).to_contain_text("Bạn đã đăng xuất.")
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")


def test_admin_locks_an_officer_with_htmx(page, live_server, demo_logins, csp_violations):
    sign_in(page, live_server, "quantri.00131")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Cán bộ").click()
    row = page.locator("tr", has_text="canbo.00131")
    row.get_by_role("button", name="Khoá").click()
    expect(row).to_contain_text("Đã khoá")  # the row was swapped in place
    expect(page.locator("#toasts")).to_contain_text("mọi phiên đăng nhập của họ đã kết thúc")
    expect(row.get_by_role("button", name="Mở khoá")).to_be_visible()
    assert csp_violations == []
