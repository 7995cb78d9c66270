"""End to end in Chromium: a declaration sent through the intake API is approved at the desk."""
import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AccountStatus, ETransactionAccount, Office, OutboxMessage, Participant
from backoffice.services.platform import api_keys
from backoffice.tasks.worker import AppSimpleWorker
from tests.browser.test_shell import sign_in
from tests.declarations.conftest import sample

pytestmark = pytest.mark.browser
SIN = "0131000777"


def test_api_submission_to_approval(app, page, live_server, demo_logins):
    card = sample(8)  # a card still valid (7 has expired: it rightly fails the ID check)
    person = card.identity
    office = db.session.scalar(select(Office).where(Office.code == "00131"))
    db.session.add(Participant(social_insurance_number=SIN, full_name=person.full_name,
                               date_of_birth=person.date_of_birth, sex=person.sex, id_number=person.id_number,
                               phone="0912345678", office_id=office.id))
    _, key = api_keys.create("vssid_app")
    db.session.commit()
    payload = {"kind": "register", "social_insurance_number": SIN, "full_name": person.full_name,
               "date_of_birth": person.date_of_birth.isoformat(), "sex": person.sex, "id_type": "cccd",
               "id_number": person.id_number, "phone": "0912345678", "email": "cong.dan@example.vn",
               "address": {"province_code": "01", "ward_code": "00070", "street": "Số 7 Tràng Thi"},
               "receiving_office_code": "00131", "channel": "vssid_app"}
    photo = {"mimeType": "image/jpeg"}
    response = page.request.post(f"{live_server}/api/v1/declarations", headers={"Authorization": f"Bearer {key}"},
                                 multipart={"payload": json.dumps(payload),
                                            "id_front": {**photo, "name": "front.jpg", "buffer": card.front},
                                            "id_back": {**photo, "name": "back.jpg", "buffer": card.back},
                                            "portrait": {**photo, "name": "portrait.jpg", "buffer": card.front}})
    assert response.status == 201, response.text()
    reference = response.json()["reference"]

    runner = app.extensions["jobs"]  # the extraction job waits in Redis; one worker pass runs it
    AppSimpleWorker([runner.queue("extraction")], connection=runner.redis, app=app).work(burst=True)

    sign_in(page, live_server, "tiepnhan.00131")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Tờ khai").click()
    expect(page.locator("#queue-rows")).to_contain_text(reference)
    # the whole filter bar fits a 1366 px counter screen in both languages (it wraps, never runs off the edge)
    for language, back, filter_button in (("English", "Tiếng Việt", "Filter"), ("Tiếng Việt", "English", "Lọc")):
        page.get_by_role("button", name=language).click()
        expect(page.get_by_role("button", name=back)).to_be_visible()
        box = page.get_by_role("button", name=filter_button, exact=True).bounding_box()
        assert box["x"] + box["width"] <= 1366 - 24, box
    page.get_by_role("button", name="Nhận tờ khai tiếp theo").click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("check-id_fields")).to_contain_text("Đạt")
    page.get_by_test_id("approve").click()
    expect(page.locator("#toasts")).to_contain_text("Đã phê duyệt tờ khai")
    expect(page.get_by_test_id("state")).to_have_text("Đã duyệt")

    db.session.expire_all()
    account = db.session.scalar(select(ETransactionAccount).where(ETransactionAccount.social_insurance_number == SIN))
    assert account.status == AccountStatus.active and account.must_change_password
    sent = sorted((m.event, m.channel.value) for m in db.session.scalars(select(OutboxMessage)))
    assert sent == [("declaration_approved", "email"), ("declaration_approved", "sms")]
    status = page.request.get(f"{live_server}/api/v1/declarations/{reference}",
                              headers={"Authorization": f"Bearer {key}"}).json()
    assert status["status"] == "approved"
