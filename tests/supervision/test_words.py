"""What the supervisor's walk found shown as stored codes: audit entries, object types, rejection reasons and
departments are read in words, in Vietnamese and in English; the dashboard shows deadlines per department."""
import re

# ruff: noqa: F811 - fixtures imported from the complaint and reissue tests
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.services.platform import calendar
from backoffice.services.reissue import demo, workflow
from backoffice.services.supervision import auditlog, rollups
from backoffice.services.supervision.labels import object_label, reason_label
from tests.complaints.casework_fixtures import new_complaint, people, router  # noqa: F401
from tests.conftest import login
from tests.reissue.conftest import officer, world  # noqa: F401


def _entry(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
                              ).first()


def test_audit_entries_in_words_states_officers_and_reasons(world, app, client):
    card = demo.create_from_payload(world["card_post"])
    db.session.commit()
    clerk, head = officer("canbo.00131"), officer("truongphong.00131")
    workflow.assign(head, card.id, clerk.id)
    workflow.start(clerk, card.id, card.version_id)
    workflow.await_citizen(clerk, card.id, card.version_id, "counter_visit")
    workflow.resume(clerk, card.id, card.version_id)
    workflow.reject(clerk, card.id, card.version_id, "CARD_EXPIRED")
    db.session.commit()
    with app.test_request_context("/"):
        words, details = auditlog.in_words(_entry("reissue_rejected"))
        assert words == "Từ chối yêu cầu cấp lại"
        assert dict(details) == {"Từ trạng thái": "Đang xử lý", "Sang trạng thái": "Từ chối",
                                 "Lý do": "Thẻ đã hết hạn"}  # no raw state, no "None"
        words, details = auditlog.in_words(_entry("reissue_awaiting_citizen"))
        assert words == "Yêu cầu cấp lại, chuyển, thay đổi: Chờ công dân bổ sung"  # a step with no label of its own
        assert ("Công dân cần", "Đến cơ quan BHXH đối chiếu") in details
        _words, details = auditlog.in_words(_entry("reissue_assigned"))
        assert ("Giao cho", f"{clerk.full_name} (canbo.00131)") in details  # an officer, not a state
        assert object_label("stored_file") == "Ảnh giấy tờ" and object_label("reissue") != "reissue"
        assert reason_label("ID_UNREADABLE") == "Ảnh giấy tờ không đọc được"
    login(client, "giamsat.00100")
    client.set_cookie("lang", "en")
    english = client.get("/supervision/audit", query_string={"action": "reissue_rejected"}).get_data(as_text=True)
    assert "Reissue request rejected</td>" in english and "The card has expired" in english
    english = client.get("/supervision/audit", query_string={"action": "reissue_awaiting_citizen"}).get_data(
        as_text=True)
    assert ": Waiting for the citizen</td>" in english and "Reissue request" in english


def test_the_dashboard_shows_overdue_and_due_soon_cases_per_department(world, people, router, client):
    card = demo.create_from_payload(world["card_pickup"])
    complaint = new_complaint()
    db.session.commit()
    later = calendar.now() + timedelta(days=60)  # every deadline long past
    rollups.refresh_backlog(now=later.astimezone(card.received_at.tzinfo))
    db.session.commit()
    login(client, "giamsat.00100")
    page = client.get("/supervision/").get_data(as_text=True)
    table = page.split('data-testid="deadline-table"', 1)[1].split("</table>", 1)[0]
    plain = re.sub(r"\s*<td>(?:<a href=\"[^\"]*\">)?([^<]*)(?:</a>)?</td>", r"<td>\1</td>", table)
    assert "Phòng Quản lý thu – Sổ, thẻ</th><td>2</td><td>0</td>" in plain  # the card and the complaint
    assert "deadline=overdue&amp;department=THU_SO_THE" in table  # the number links to its open cases
    assert "sẽ hiện khi" not in page  # no placeholder left
    assert card.department_code == complaint.department_code == "THU_SO_THE"
    access = client.post("/supervision/access", data={"term": "7900000003"}).get_data(as_text=True)
    buttons = access.split('<div class="actions">', 1)[1].split("</div>", 1)[0]
    assert "Tải CSV" in buttons and "Tải PDF có chữ ký" in buttons  # the two downloads side by side


def test_the_who_saw_files_name_actions_and_case_types_in_vietnamese(desk, client, monkeypatch):
    from backoffice.services.supervision import access_report

    desk.decide("tiepnhan.00131", sin="0131000777")
    login(client, "giamsat.00100")
    client.set_cookie("lang", "en")  # the files are Vietnamese documents whatever the reader's language
    as_csv = client.post("/supervision/access/export", data={"term": "0131000777", "file_format": "csv"})
    text = as_csv.get_data(as_text=True)
    assert ",Tờ khai," in text and ",declaration," not in text
    rendered = []
    monkeypatch.setattr(access_report, "html_to_pdf", lambda html: rendered.append(html) or b"%PDF-1.4")
    client.post("/supervision/access/export", data={"term": "0131000777", "file_format": "pdf"})
    assert "<td>Cán bộ nhận xử lý</td>" in rendered[0] and "declaration_claimed" not in rendered[0]
    assert "Claimed by an officer" not in rendered[0] and "None" not in rendered[0]
    assert "a4 landscape" in rendered[0] and '<th width="31%">Cán bộ</th>' in rendered[0]  # names fit their column
    assert "Claimed by an officer" in client.post("/supervision/access", data={"term": "0131000777"}).get_data(
        as_text=True)  # the page itself stays in the reader's language


def test_a_blank_number_is_blank_in_an_export_not_stars(desk, client):
    decided = desk.decide("tiepnhan.00131", id_number="001090123456")
    decided.id_number = None
    db.session.commit()
    login(client, "giamsat.00100")
    text = client.post("/supervision/export", data={"kind": "decisions", "file_format": "csv",
                                                    "date_from": "2026-03-10", "date_to": "2026-03-10"}
                       ).get_data(as_text=True)
    row = text.splitlines()[1].split(",")
    assert row[-2] == "" and row[-1].startswith("0912****")
