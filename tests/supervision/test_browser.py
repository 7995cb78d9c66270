"""In Chromium: a supervisor draws a sample, re-reviews blind, sees the disagreement, downloads the CSV; the
dashboard draws its charts without breaking the CSP; a department queue narrowed with htmx (no reload) downloads
with the rows shown, not the ones the page was first rendered with."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from backoffice.extensions import db
from backoffice.services.reissue import demo
from backoffice.services.supervision import rollups
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures
    browser_context_args,
    browser_type_launch_args,
    csp_violations,
    live_server,
)
from tests.browser.test_shell import sign_in
from tests.reissue.conftest import world  # noqa: F401 - the reissue requests' payloads
from tests.supervision.conftest import WORKDAY_10AM

pytestmark = pytest.mark.browser


@pytest.fixture
def app_settings(app_settings):
    app_settings["WTF_CSRF_ENABLED"] = True
    return app_settings


def test_draw_review_blind_disagree_and_download(page, live_server, desk, csp_violations):  # noqa: F811
    for n in range(2):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=n))
    rollups.refresh()
    db.session.commit()

    sign_in(page, live_server, "giamsat.00100")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Kiểm tra lại").click()
    page.get_by_label("Từ ngày").fill("2026-03-10")
    page.get_by_label("Đến ngày").fill("2026-03-10")
    page.get_by_label("Số hồ sơ cố định").check()
    page.get_by_label("Số hồ sơ mỗi nhóm").fill("5")
    page.get_by_label("Hạt giống (để trống: ngẫu nhiên)").fill("2026")
    page.get_by_role("button", name="Chọn mẫu").click()
    expect(page.locator("#toasts")).to_contain_text("Đã chọn mẫu kiểm tra lại.")

    page.get_by_test_id("start-review").click()
    for _ in range(2):
        main = page.locator("main")
        expect(main).to_contain_text("Kết quả kiểm tra cán bộ đã thấy")
        for hidden in ("Cán bộ tiếp nhận", "tiepnhan.00131", "Đã duyệt"):
            expect(main).not_to_contain_text(hidden)
        page.get_by_label("Từ chối").check()
        page.get_by_label("Lý do").fill("Ảnh mặt trước bị lóa, không đọc được số")
        page.get_by_role("button", name="Ghi kết luận").click()
    expect(page.get_by_test_id("results")).to_contain_text("100.0%")
    expect(page.get_by_test_id("disagreements")).to_contain_text("Ảnh mặt trước bị lóa")

    with page.expect_download() as downloading:
        page.get_by_test_id("export-review").get_by_role("button", name="Xuất tệp").click()
    content = open(downloading.value.path(), encoding="utf-8").read()
    assert content.startswith("\ufeff") and content.count("Ảnh mặt trước bị lóa") == 2

    page.goto(f"{live_server}/supervision/?date_from=2026-03-10&date_to=2026-03-10")
    expect(page.locator("#chart-throughput")).to_have_attribute("data-drawn", "1")
    # a number is a link to its cases: the two decisions of the day, then back to the figures
    page.get_by_test_id("totals").get_by_role("link", name="2", exact=True).click()
    expect(page.locator("#decision-rows tr")).to_have_count(2)
    page.go_back()
    page.get_by_role("link", name="Hồ sơ tiếp nhận").click()
    expect(page.get_by_role("heading", name="Hồ sơ tiếp nhận")).to_be_visible()
    assert csp_violations == []


def test_the_queue_downloads_as_filtered_now(page, live_server, world, csp_violations):  # noqa: F811
    books = [demo.create_from_payload(world["book"]) for _ in range(2)]
    cards = [demo.create_from_payload(world["card_pickup"]) for _ in range(3)]
    db.session.commit()
    sign_in(page, live_server, "giamsat.00131")
    page.goto(f"{live_server}/reissue/")
    expect(page.get_by_test_id("reissue-row")).to_have_count(5)
    page.locator("#kind").select_option("si_book")  # htmx swaps the rows; the page is not reloaded
    expect(page.get_by_test_id("reissue-row")).to_have_count(2)
    with page.expect_download() as downloading:
        page.get_by_test_id("export-reissue_queue").get_by_role("button", name="Xuất tệp").click()
    lines = open(downloading.value.path(), encoding="utf-8-sig").read().splitlines()
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(r.reference for r in books)
    assert not any(card.reference in "\n".join(lines) for card in cards)
    assert csp_violations == []
