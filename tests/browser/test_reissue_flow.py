"""End to end in Chromium: a BHYT card reissue from the API to the printed card (QR decoded back), and a pension
transfer acknowledged by the destination office."""
import io
import json

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from backoffice.extensions import db
from backoffice.services.platform import api_keys, passwords
from backoffice.services.reissue import demo
from tests.browser.test_shell import sign_in
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def payloads(demo_logins):
    """The reissue officers, register records and a channel key."""
    demo.seed_officers(passwords.hash_password(DEMO_PASSWORD))
    people = demo.seed_register()
    _, key = api_keys.create("vssid_app")
    db.session.commit()
    return demo.demo_payloads(people), {"Authorization": f"Bearer {key}"}


def _submit(page, live_server, auth, payload):
    response = page.request.post(f"{live_server}/api/v1/reissue-requests", headers=auth,
                                 multipart={"payload": json.dumps(payload)})
    assert response.status == 201, response.text()
    return response.json()["reference"]


def test_card_from_api_to_printed_card(page, live_server, payloads):
    payload, auth = payloads
    reference = _submit(page, live_server, auth, payload["card_pickup"])
    sign_in(page, live_server, "canbo.00131")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Yêu cầu cấp lại").click()
    expect(page.locator("#reissue-rows")).to_contain_text(reference)
    expect(page.get_by_test_id("due-badge").first).to_have_text("Trong hạn")
    page.get_by_role("button", name="Nhận yêu cầu tiếp theo").click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("state")).to_have_text("Đang xử lý")
    # the case fits one 1366 x 768 screen's width: the action column is not pushed off to the right
    box = page.get_by_test_id("step-complete").bounding_box()
    assert box["x"] + box["width"] <= 1366
    page.get_by_test_id("step-complete").click()
    expect(page.get_by_test_id("state")).to_have_text("Hoàn thành")
    with page.expect_download() as download_info:
        page.get_by_test_id("print-card").click(modifiers=["Alt"])  # Alt-click downloads the link
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))
    page_one = pdf.pages[0]
    assert "THẺ BẢO HIỂM Y TẾ" in page_one.extract_text()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(page_one.images[0].data)))]
    assert len(decoded) == 1 and decoded[0].startswith("HT2797900000003|")
    status = page.request.get(f"{live_server}/api/v1/reissue-requests/{reference}", headers=auth).json()
    assert status["status"] == "completed" and status["result"]["card_number"] == "HT2797900000003"


def test_pension_transfer_acknowledged_by_the_destination(page, live_server, payloads, browser):
    payload, auth = payloads
    reference = _submit(page, live_server, auth, payload["transfer"])
    sign_in(page, live_server, "canbo.cs.00131")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Yêu cầu cấp lại").click()
    page.get_by_role("button", name="Nhận yêu cầu tiếp theo").click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    page.get_by_test_id("step-send_to_destination").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ nơi chuyển đến xác nhận")

    destination = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    sign_in(destination, live_server, "canbo.cs.00109")
    destination.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Hồ sơ của tôi").click()
    destination.get_by_test_id("incoming").get_by_role("link", name=reference).click()
    destination.get_by_test_id("step-acknowledge_transfer").click()
    expect(destination.get_by_test_id("state")).to_have_text("Hoàn thành")

    page.reload()  # the origin sees the outcome too
    expect(page.get_by_test_id("state")).to_have_text("Hoàn thành")
    expect(page.get_by_test_id("timeline")).to_contain_text("canbo.cs.00109")
