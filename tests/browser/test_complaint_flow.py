"""End to end in Chromium: a complaint sent through the API, accepted and assigned by the head of office A, a consult
to office B answered there, the answer drafted, returned, approved and the case closed (refused while a consult is
open), the citizen's status read back through the API; the case page in English too."""
# ruff: noqa: F811 - fixtures imported from casework_fixtures
import json

import pytest
from playwright.sync_api import expect

from backoffice.extensions import db
from backoffice.services.platform import api_keys
from tests.browser.test_shell import sign_in
from tests.complaints.casework_fixtures import officer, people, router  # noqa: F401

pytestmark = pytest.mark.browser
TEXT = ("Tôi đóng BHXH ở công ty cũ từ 2015 đến 2017 nhưng trên VssID quá trình đóng thiếu hai năm đó, "
        "công ty cũ nay đã chuyển về Hà Đông. Đề nghị kiểm tra giúp tôi.")
ANSWER = ("Cơ quan BHXH đã phối hợp xác minh và cập nhật bổ sung quá trình đóng BHXH của Ông từ 01/2015 đến 12/2017. "
          "Quá trình đóng đã hiển thị đầy đủ trên ứng dụng VssID.")


@pytest.fixture
def auth(people, router):
    _, key = api_keys.create("vssid_app")
    db.session.commit()
    return {"Authorization": f"Bearer {key}"}


def _menu(page, name, exact=True):
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=name, exact=exact).click()


def _consult(page, question):
    if not page.get_by_label("Mã đơn vị được hỏi").is_visible():
        page.locator("summary", has_text="Hỏi ý kiến đơn vị khác").click()
    page.get_by_label("Mã đơn vị được hỏi").fill("00109")
    page.get_by_label("Phòng được hỏi").select_option("THU_SO_THE")
    page.get_by_label("Nội dung cần phối hợp").fill(question)
    page.get_by_label("Thời hạn (ngày làm việc)").fill("3")
    page.get_by_test_id("step-consult").click()
    expect(page.get_by_test_id("state")).to_have_text("Đang hỏi ý kiến đơn vị khác")


def _answer_consult(browser, live_server, text):
    other = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    sign_in(other, live_server, "canbo.00109")
    _menu(other, "Yêu cầu phối hợp", exact=False)  # the entry shows how many wait
    other.get_by_test_id("consult").first.get_by_label("Trả lời").fill(text)
    other.get_by_test_id("answer-consult").first.click()
    expect(other.get_by_text("Không có yêu cầu phối hợp nào đang chờ.")).to_be_visible()
    other.context.close()


def test_complaint_from_the_api_to_closed_with_a_consult(page, live_server, auth, browser):
    response = page.request.post(f"{live_server}/api/v1/complaints", headers=auth, multipart={"payload": json.dumps(
        {"text": TEXT, "topic": "benefits", "phone": "0912345678", "full_name": "Nguyễn Văn An",
         "social_insurance_number": "7900000001", "office_code": "00131"})})
    assert response.status == 201, response.text()
    reference = response.json()["reference"]

    sign_in(page, live_server, "truongphong.00131")
    _menu(page, "Phản ánh")
    page.locator("#complaint-rows").get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("complaint-text")).to_contain_text("công ty cũ")
    page.get_by_label("Loại đơn").select_option("petition")
    page.get_by_test_id("step-accept").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã thụ lý")
    page.get_by_label("Giao cho").select_option(str(officer("canbo.00131").id))
    page.get_by_test_id("step-assign").click()
    expect(page.get_by_test_id("state")).to_have_text("Đang giải quyết")

    clerk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    sign_in(clerk, live_server, "canbo.00131")
    _menu(clerk, "Phản ánh của tôi")
    clerk.get_by_role("link", name=reference).click()
    _consult(clerk, "Đề nghị xác nhận quá trình đóng 2015-2017 của ông An tại công ty cũ.")
    _answer_consult(browser, live_server, "Đã xác nhận: công ty cũ đóng đủ 36 tháng, đã chuyển dữ liệu.")
    clerk.reload()
    expect(clerk.get_by_test_id("consult-answer")).to_contain_text("đóng đủ 36 tháng")
    expect(clerk.get_by_test_id("state")).to_have_text("Đang giải quyết")
    clerk.get_by_label("Mẫu trả lời").select_option(index=0)
    expect(clerk.get_by_label("Văn bản trả lời")).to_contain_text(reference)
    clerk.get_by_label("Văn bản trả lời").fill(ANSWER)
    clerk.get_by_test_id("step-draft").click()
    expect(clerk.get_by_test_id("state")).to_have_text("Chờ duyệt văn bản trả lời")

    page.reload()
    page.get_by_label("Ý kiến trả lại").fill("Ghi rõ tổng số tháng được bổ sung.")
    page.get_by_test_id("step-return_draft").click()
    expect(page.get_by_test_id("state")).to_have_text("Đang giải quyết")
    clerk.reload()
    clerk.get_by_label("Văn bản trả lời").fill(ANSWER + " Tổng cộng 36 tháng.")
    clerk.get_by_test_id("step-draft").click()
    page.reload()
    expect(page.get_by_test_id("diff")).to_contain_text("36 tháng.")
    page.get_by_test_id("step-approve").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã trả lời")

    # a second consult after approval: the case cannot close while it is open
    clerk.reload()
    _consult(clerk, "Đề nghị gửi bản sao bảng kê đóng BHXH để lưu hồ sơ.")
    page.reload()
    expect(page.get_by_test_id("step-close")).to_have_count(0)  # consulting: no close offered
    _answer_consult(browser, live_server, "Đã gửi bản sao bảng kê qua hệ thống, xin xác nhận.")
    page.reload()
    page.get_by_test_id("step-close").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã kết thúc")
    expect(page.get_by_test_id("letter")).to_be_visible()

    status = page.request.get(f"{live_server}/api/v1/complaints/{reference}", headers=auth).json()
    assert status["status"] == "closed" and status["answer"].endswith("Tổng cộng 36 tháng.")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("state")).to_have_text("Closed")
    expect(page.get_by_text("Consults with other offices")).to_be_visible()
    expect(page.get_by_role("navigation", name="Functions").get_by_role("link", name="Complaints",
                                                                      exact=True)).to_be_visible()
