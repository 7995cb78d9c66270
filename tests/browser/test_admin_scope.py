"""Admin screens in Chromium, by level: a provincial admin manages their province, without the national actions."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_provincial_admin_promotes_an_officer_of_their_province(page, live_server, demo_logins, csp_violations):
    sign_in(page, live_server, "quantri.00100")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Cán bộ").click()
    expect(page.locator("tr", has_text="quantri.00001")).to_have_count(0)  # the national office lies above
    expect(page.locator("tr", has_text="canbo.05600")).to_have_count(0)  # another province
    page.locator("tr", has_text="canbo.00131").get_by_role("link", name="Sửa").click()
    page.get_by_label("Vai trò").select_option("supervisor")
    page.get_by_label("Phòng ban").select_option("")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#toasts")).to_contain_text("Đã lưu thông tin cán bộ")
    expect(page.locator("tr", has_text="canbo.00131")).to_contain_text("Lãnh đạo, giám sát")

    own = page.locator("tr", has_text="quantri.00100")
    expect(own.get_by_role("button", name="Khoá")).to_have_count(0)  # no one locks themselves
    own.get_by_role("link", name="Sửa").click()
    expect(page.get_by_label("Vai trò")).to_be_disabled()
    expect(page.get_by_label("Cơ quan")).to_be_disabled()

    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Cơ quan, phòng ban").click()
    page.get_by_role("link", name="BHXH Quận Thanh Xuân").click()
    expect(page.get_by_label("Cơ quan cấp trên")).to_be_disabled()
    expect(page.get_by_text("Chỉ quản trị viên cấp Trung ương được chuyển cơ quan")).to_be_visible()
    page.get_by_label("Điện thoại").fill("024 3555 0000")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#toasts")).to_contain_text("Đã lưu cơ quan")

    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Khoá API").click()
    expect(page.get_by_role("button", name="Tạo khoá mới")).to_have_count(0)
    expect(page.get_by_text("chỉ quản trị viên cấp Trung ương được tạo hoặc thu hồi")).to_be_visible()
    assert csp_violations == []
