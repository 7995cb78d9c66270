"""The supervisor's day in Chromium at 1366×768, in Vietnamese and in English: the dashboard with its charts and a
backlog number's list, flags explained and escalated, a sample drawn from every case type, blind re-review, the
results with their intervals and a correction, calibration, the who-saw report as PDF and CSV, the audit log
filtered, an export. Each page is screenshot (SHOTS_DIR, else the test's tmp dir), fits the width, and breaks no
CSP rule."""
import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backoffice.extensions import db
from backoffice.services.platform import calendar
from backoffice.services.reissue import demo as reissue_demo
from backoffice.services.supervision import flags, rollups
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures
    browser_context_args,
    browser_type_launch_args,
    csp_violations,
    live_server,
)
from tests.browser.test_shell import sign_in
from tests.complaints.casework_fixtures import people, router  # noqa: F401
from tests.reissue.conftest import world  # noqa: F401
from tests.supervision.conftest import WORKDAY_10AM, add_officer
from tests.supervision.test_sources import _approved_answer, _reissue_decisions

pytestmark = pytest.mark.browser
WORDS = {
    "vi": {"start": "Bắt đầu kiểm tra", "record": "Ghi kết luận", "reason": "Lý do", "reject": "Từ chối",
           "draw": "Chọn mẫu", "export": "Xuất tệp", "csv": "Tải CSV", "pdf": "Tải PDF có chữ ký",
           "report": "Tra cứu", "filter": "Lọc", "record_flag": "Ghi"},
    "en": {"start": "Start re-review", "record": "Record the conclusion", "reason": "Reason", "reject": "Reject",
           "draw": "Draw the sample", "export": "Export", "csv": "Download CSV", "pdf": "Download signed PDF",
           "report": "Look up", "filter": "Filter", "record_flag": "Save"},
}


@pytest.fixture
def app_settings(app_settings):
    app_settings["WTF_CSRF_ENABLED"] = True
    return app_settings


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fits(page):
    """Nothing wider than the window (no horizontal scrolling at 1366 px)."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def _shot(page, shots, name):
    _fits(page)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_supervisors_day(page, live_server, desk, world, people, router, csp_violations, shots,  # noqa: F811
                             language):
    add_officer("tiepnhan2.00131")
    for n in range(3):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=n))
    desk.decide("tiepnhan.00131", failing=True, second="giamsat.00131", at=WORKDAY_10AM + timedelta(minutes=9),
                review_seconds=5)
    desk.now = calendar.now().astimezone(WORKDAY_10AM.tzinfo)
    _reissue_decisions(world)
    reissue_demo.create_from_payload(world["book"])
    _approved_answer()
    rollups.refresh()
    flags.detect(end=WORKDAY_10AM + timedelta(days=1), days=2)
    db.session.commit()
    words = WORDS[language]
    today = calendar.today()
    sign_in(page, live_server, "giamsat.00100")
    if language == "en":
        page.get_by_role("button", name="English").click()
    base = f"{live_server}/supervision"

    page.goto(f"{base}/?date_from=2026-03-01&date_to={today.isoformat()}")
    expect(page.locator("#chart-throughput")).to_have_attribute("data-drawn", "1")
    expect(page.locator("#chart-backlog")).to_have_attribute("data-drawn", "1")
    _shot(page, shots, f"{language}-01-dashboard")
    page.get_by_test_id("backlog-table").get_by_role("link").first.click()
    expect(page.get_by_test_id("open-cases")).to_be_visible()
    _shot(page, shots, f"{language}-02-open-cases")

    page.goto(f"{base}/flags")
    _shot(page, shots, f"{language}-03-flags")
    rows = page.locator("tr[data-testid^=flag-]")
    if rows.count():
        first = rows.first
        first.locator("select").select_option("explained")
        first.locator("input[name=note]").fill("Đã gọi cán bộ: đối chiếu bản gốc tại quầy")
        first.get_by_role("button", name=words["record_flag"]).click()
        _shot(page, shots, f"{language}-04-flag-explained")

    page.goto(f"{base}/samples")
    page.locator("#period_from").fill("2026-03-01")
    page.locator("#period_to").fill(today.isoformat())
    page.locator("input[name=method][value=fixed]").check()
    page.locator("#fixed_count").fill("3")
    page.locator("#seed").fill("2026")
    page.get_by_role("button", name=words["draw"]).click()
    _shot(page, shots, f"{language}-05-sample")
    page.get_by_test_id("start-review").click()
    for n in range(12):
        main = page.locator("main")
        if not page.get_by_test_id("verdict-form").count():
            break
        for hidden in ("tiepnhan.00131", "canbo.cs.00131", "truongphong.00131"):
            expect(main).not_to_contain_text(hidden)
        _shot(page, shots, f"{language}-06-review-{n}")
        page.locator("input[name=outcome]").nth(1 if n % 2 == 0 else 0).check()
        page.locator("textarea[name=reason]").fill("Ảnh mặt trước bị lóa, không đọc được số")
        with page.expect_navigation():  # the next case (or the results) replaces the page: wait for it
            page.get_by_role("button", name=words["record"]).click()
    expect(page.get_by_test_id("results")).to_be_visible()
    _shot(page, shots, f"{language}-07-results")
    officer_select = page.locator("select[name=officer_id]")
    if officer_select.count():
        form = officer_select.first.locator("xpath=ancestor::form")
        form.locator("select[name=action]").select_option("corrected")
        officer_select.first.select_option(index=1)
        form.locator("input[name=note]").fill("Ảnh không khớp, cần quyết định lại")
        form.locator("button").click()
        expect(page.locator("[data-testid^=correction-]").first).to_be_visible()
        _shot(page, shots, f"{language}-08-corrected")

    page.goto(f"{base}/access")
    page.locator("#term").fill("7900000002")
    page.locator("#term").press("Enter")
    _shot(page, shots, f"{language}-09-access")
    for fmt in ("csv", "pdf"):
        with page.expect_download() as downloading:
            page.get_by_role("button", name=words[fmt]).click()
        data = Path(downloading.value.path()).read_bytes()
        assert data.startswith(b"%PDF" if fmt == "pdf" else "\ufeff".encode())

    page.goto(f"{base}/audit?action=review_verdict_recorded")
    _shot(page, shots, f"{language}-10-audit")
    page.goto(f"{base}/decisions?date_from=2026-03-01&date_to={today.isoformat()}")
    _shot(page, shots, f"{language}-11-decisions")
    with page.expect_download() as downloading:
        page.get_by_test_id("export-decisions").get_by_role("button", name=words["export"]).click()
    assert Path(downloading.value.path()).read_bytes().startswith("\ufeff".encode())
    assert csp_violations == []
