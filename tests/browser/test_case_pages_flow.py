"""The case pages of reissue requests and complaints at 1366×768 in Chromium, in Vietnamese and in English: the key
panels (request, register data, checks, documents, actions) inside the window with no page scroll, the timeline
behind its tab, the keys shown and working, and a pension transfer read by both offices, by name."""
# ruff: noqa: F811 - fixtures imported from casework_fixtures
import json
import os

import pytest
from playwright.sync_api import expect

from backoffice.extensions import db
from backoffice.services.platform import api_keys
from backoffice.services.reissue import demo
from tests.api.conftest import jpeg
from tests.browser.test_shell import sign_in
from tests.complaints.casework_fixtures import new_complaint, people, router  # noqa: F401

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1366, 768


@pytest.fixture
def cases(people, router):
    """Register records, a channel key, and the payloads of the demo people."""
    people_rows = demo.seed_register()
    _, key = api_keys.create("vssid_app")
    db.session.commit()
    return demo.demo_payloads(people_rows), {"Authorization": f"Bearer {key}"}


def _submit(page, live_server, auth, payload, files=None):
    parts = {"payload": json.dumps(payload)}
    for name, content in (files or {}).items():
        parts[name] = {"name": f"{name}.jpg", "mimeType": "image/jpeg", "buffer": content}
    response = page.request.post(f"{live_server}/api/v1/reissue-requests", headers=auth, multipart=parts)
    assert response.status == 201, response.text()
    return response.json()["reference"]


def _press(page, key):
    """A key, once the page's script has bound its keys (a key pressed mid-navigation is lost under load)."""
    page.wait_for_load_state("load")
    page.keyboard.press(key)


def _open(page, live_server, path, language):
    page.goto(f"{live_server}{path}")
    if language == "en" and page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    # the new page's `lang` is parsed before its stylesheet applies: under load, a layout measured then is the
    # unstyled page's (1797 px tall once, during another test run)
    page.wait_for_load_state("load")


def _one_screen(page, name, *panels):
    """No page scroll either way, and each panel wholly inside the window."""
    height, inner_height, width, inner_width = page.evaluate(
        "[document.scrollingElement.scrollHeight, innerHeight, document.scrollingElement.scrollWidth, innerWidth]")
    assert height <= inner_height + 2 and width <= inner_width + 2, (height, width)
    for panel in panels:
        box = panel.bounding_box()
        assert box is not None, panel
        assert box["x"] >= 0 and box["y"] >= 0, (panel, box)
        assert box["x"] + box["width"] <= WIDTH + 1 and box["y"] + box["height"] <= HEIGHT + 1, (panel, box)
    if os.environ.get("CASE_SHOTS"):  # to look at them: CASE_SHOTS=/some/folder
        page.screenshot(path=os.path.join(os.environ["CASE_SHOTS"], f"{name}.png"))


def _timeline_behind_its_tab(page):
    timeline = page.get_by_test_id("timeline")
    page.locator("body").click(position={"x": 5, "y": 5})
    _press(page, "m")  # the messages tab, by its key
    expect(page.locator("#tab-messages")).to_be_visible()
    expect(timeline).to_be_hidden()
    page.get_by_test_id("tab-timeline").click()
    expect(timeline).to_be_visible()
    expect(page.locator("#tab-messages")).to_be_hidden()
    expect(page.get_by_test_id("tab-timeline")).to_have_attribute("aria-selected", "true")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_reissue_case_on_one_screen(page, live_server, cases, csp_violations, language):
    payloads, auth = cases
    card = dict(payloads["card_pickup"], data_change=["address"])
    card_reference = _submit(page, live_server, auth, card, {"proof": jpeg()})
    transfer_reference = _submit(page, live_server, auth, payloads["transfer"])
    sign_in(page, live_server, "canbo.00131")
    page.goto(f"{live_server}/reissue/")
    page.get_by_role("link", name=card_reference).click()
    _open(page, live_server, page.url.removeprefix(live_server), language)
    _one_screen(page, f"reissue-card-{language}", page.get_by_test_id("request"), page.get_by_test_id("register"),
                page.get_by_test_id("checks"), page.get_by_test_id("documents"), page.locator("#actions"))
    expect(page.get_by_test_id("viewer-proof")).to_be_visible()  # the photo in its own viewer
    page.get_by_test_id("viewer-proof").focus()
    _press(page, "+")
    expect(page.get_by_test_id("viewer-proof")).to_have_class("viewer zoom-1")
    expect(page.get_by_test_id("shortcuts")).to_contain_text("A")
    _timeline_behind_its_tab(page)
    page.locator("body").click(position={"x": 5, "y": 5})
    _press(page, "a")  # the state's main action: start
    expect(page.get_by_test_id("state")).to_have_text("Đang xử lý" if language == "vi" else "In review")
    assert csp_violations == []

    page.context.clear_cookies()  # the other department's officer
    sign_in(page, live_server, "canbo.cs.00131")
    page.goto(f"{live_server}/reissue/")
    page.get_by_role("link", name=transfer_reference).click()
    _open(page, live_server, page.url.removeprefix(live_server), language)
    transfer = page.get_by_test_id("transfer")
    _one_screen(page, f"reissue-transfer-{language}", page.get_by_test_id("request"), page.get_by_test_id("register"),
                page.get_by_test_id("checks"), page.get_by_test_id("documents"), transfer, page.locator("#actions"))
    # offices, wards and provinces by name, never as codes
    expect(transfer).to_contain_text("BHXH Quận Bắc Từ Liêm")
    expect(transfer).to_contain_text("BHXH Quận Thanh Xuân")
    expect(page.get_by_test_id("request")).to_contain_text("Phường Ba Đình, Thành phố Hà Nội")
    for panel in ("request", "checks", "transfer"):
        assert "00109" not in page.get_by_test_id(panel).inner_text()


def test_pension_transfer_seen_from_both_offices(page, live_server, cases, browser):
    payloads, auth = cases
    reference = _submit(page, live_server, auth, payloads["transfer"])
    sign_in(page, live_server, "canbo.cs.00131")
    page.goto(f"{live_server}/reissue/")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    _press(page, "a")  # start
    expect(page.get_by_test_id("state")).to_have_text("Đang xử lý")
    expect(page.get_by_test_id("transfer-owner")).to_contain_text("Đơn vị bạn là nơi chuyển đi.")
    _press(page, "a")  # send to the destination
    expect(page.get_by_test_id("state")).to_have_text("Chờ nơi chuyển đến xác nhận")
    expect(page.get_by_test_id("awaiting-destination")).to_contain_text("BHXH Quận Thanh Xuân")

    other = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="vi-VN").new_page()
    sign_in(other, live_server, "canbo.cs.00109")
    other.goto(f"{live_server}/reissue/mine")
    other.get_by_test_id("incoming").get_by_role("link", name=reference).click()
    expect(other.get_by_test_id("reference")).to_have_text(reference)
    expect(other.get_by_test_id("transfer-owner")).to_contain_text("Đơn vị bạn là nơi chuyển đến.")
    expect(other.get_by_test_id("transfer")).to_contain_text("BHXH Quận Bắc Từ Liêm")
    _one_screen(other, "reissue-transfer-destination", other.get_by_test_id("transfer"), other.locator("#actions"))
    _press(other, "a")  # acknowledge
    expect(other.get_by_test_id("state")).to_have_text("Hoàn thành")
    other.context.close()
    page.reload()
    expect(page.get_by_test_id("transfer-owner")).to_contain_text("BHXH Quận Thanh Xuân")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_complaint_case_on_one_screen(page, live_server, cases, csp_violations, language):
    complaint = new_complaint()
    sign_in(page, live_server, "truongphong.00131")
    _open(page, live_server, f"/complaints/{complaint.id}", language)
    _one_screen(page, f"complaint-{language}", page.get_by_test_id("request"), page.get_by_test_id("register"),
                page.get_by_test_id("classifier"), page.get_by_test_id("documents"), page.locator("#actions"))
    expect(page.get_by_test_id("classifier")).to_contain_text("95%")
    expect(page.get_by_test_id("shortcuts")).to_contain_text("A")
    _timeline_behind_its_tab(page)
    page.locator("body").click(position={"x": 5, "y": 5})
    _press(page, "a")  # accept: the focus goes to the kind of complaint
    expect(page.locator("#kind")).to_be_focused()
    assert csp_violations == []
