"""Every number on the dashboard links to the list of exactly the cases it counts (issue 17, §5): decisions by
office, department, outcome, rejection reason and over a failing check; cases received, complaints by category and
triage; the open cases by age and by deadline status (the SLA badge) per department. The filters arrive in the query
string: a value a list does not offer is a 400 naming the filter, never a 500."""
# ruff: noqa: F811 - fixtures imported from the complaint and reissue tests
import re
from datetime import timedelta
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from backoffice.extensions import db
from backoffice.models import AuditEntry, Complaint, ReissueRequest
from backoffice.models.base import utcnow
from backoffice.services.complaints import routing
from backoffice.services.platform.calendar import local_date
from backoffice.services.reissue import demo, workflow
from backoffice.services.supervision import rollups, sampling
from tests.complaints.casework_fixtures import new_complaint, people, router  # noqa: F401
from tests.conftest import login
from tests.reissue.conftest import officer, world  # noqa: F401

LIST_ROWS = {"/supervision/decisions": "decision-rows", "/supervision/received": "received-rows",
             "/supervision/open-cases": 'data-testid="open-cases"', "/supervision/reviewed": 'data-testid="reviewed"'}
EMPTY = ("Không có quyết định nào", "Không có hồ sơ tiếp nhận nào", "Không có hồ sơ đang mở nào",
         "Chưa có hồ sơ nào được kiểm tra lại")


def _do(call, *args):
    result = call(*args)
    db.session.commit()
    return result


def _receive(router, category, triage, **fields):
    router.route = routing.Route(category, routing.TRIAGE if triage else routing.DEPARTMENT_OF[category],
                                 0.4 if triage else 0.95)
    return new_complaint(**fields)


@pytest.fixture
def cases(world, people, router):
    """Reissue decisions in two departments (one rejected with a reason, one approval over a failing check), complaints
    received in three categories (two sent to triage), and open cases overdue and due soon."""
    clerk, maker = officer("canbo.00131"), officer("canbo.cs.00131")
    card = demo.create_from_payload(world["card_pickup"])
    refused = demo.create_from_payload(world["card_post"])
    book = demo.create_from_payload(world["book"])
    transfer = demo.create_from_payload(world["transfer"])
    db.session.commit()
    book.checks = [{"code": "register", "title": "Đối chiếu sổ", "status": "fail", "evidence": {}}]
    db.session.commit()
    _do(workflow.start, clerk, card.id, card.version_id)
    _do(workflow.complete, clerk, card.id, card.version_id)
    _do(workflow.reject, clerk, refused.id, refused.version_id, "CARD_EXPIRED")
    _do(workflow.start, clerk, book.id, book.version_id)
    _do(workflow.complete, clerk, book.id, book.version_id)
    _do(workflow.start, maker, transfer.id, transfer.version_id)
    # complaints: routed and triaged, in the card department (two categories) and the benefits department
    complaints = [_receive(router, "contribution_history", False, social_insurance_number="7900000001"),
                  _receive(router, "contribution_history", True, social_insurance_number="7900000002"),
                  _receive(router, "personal_info", False, social_insurance_number="7900000003"),
                  _receive(router, "benefits", True, social_insurance_number="7900000004")]
    now = utcnow()
    # deadlines: one complaint overdue, one due soon; the open transfer (benefits department) overdue
    for model, case_id, due_at, due_soon_at in (
            (Complaint, complaints[0].id, now - timedelta(hours=2), now - timedelta(days=3)),
            (Complaint, complaints[2].id, now + timedelta(days=1), now - timedelta(hours=1)),
            (ReissueRequest, transfer.id, now - timedelta(hours=1), now - timedelta(days=2))):
        db.session.execute(update(model).where(model.id == case_id).values(due_at=due_at, due_soon_at=due_soon_at,
                                                                            paused=False))
    db.session.commit()
    rollups.refresh()
    db.session.commit()
    day = local_date(db.session.scalars(select(AuditEntry.at).order_by(AuditEntry.id.desc())).first())
    # a re-review: the first drawn decision disagreed with, another agreed with
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, day, day, method="fixed", fixed_count=5, seed=7)
    db.session.commit()
    for item, outcome in zip(sample.items, ("rejected" if sample.items[0].original_outcome == "approved"
                                            else "approved", None)):
        sampling.record_verdict(supervisor, item.id, outcome or item.original_outcome, "Kiểm tra lại theo mẫu")
        db.session.commit()
    return {"period": {"date_from": day.isoformat(), "date_to": day.isoformat()}, "complaints": complaints,
            "transfer": transfer, "refused": refused, "book": book}


def _rows(client, link):
    """The status and the number of cases a linked list shows."""
    answer = client.get(unescape(link))
    body = answer.get_data(as_text=True)
    path = link.split("?", 1)[0]
    marker = LIST_ROWS[path]
    table = body.split(marker, 1)[1].split("</tbody>", 1)[0]
    table = table.split("<tbody", 1)[-1]  # the rows only, whether the marker is on the table or on its body
    rows = [row for row in table.split("<tr>")[1:] if not any(word in row for word in EMPTY)]
    return answer.status_code, len(rows)


def _numbers(page):
    """(link, number shown) of every linked whole number of the dashboard's content (not the menus)."""
    content = page.split('data-testid="totals"', 1)[1]
    return [(link, int(text)) for link, text in re.findall(r'<a href="([^"]+)">\s*(\d+)\s*</a>', content)]


@pytest.mark.parametrize("username", ["giamsat.00100", "giamsat.00131", "truongphong.00131"])
def test_every_number_on_the_dashboard_equals_the_rows_of_its_list(cases, client, username):
    login(client, username)
    page = client.get("/supervision/", query_string=cases["period"]).get_data(as_text=True)
    numbers = _numbers(page)
    assert len(numbers) > 15
    paths = {link.split("?", 1)[0] for link, _n in numbers}
    assert paths == set(LIST_ROWS), paths
    for link, shown in numbers:
        status, listed = _rows(client, link)
        assert (status, listed) == (200, shown), (unescape(link), shown, listed)
    # times (in minutes: class "time", not counts) link to the decisions they are of
    times = re.findall(r'<a class="time" href="([^"]+)">', page)
    assert times and all(_rows(client, link)[0] == 200 for link in times)


def test_the_complaint_and_deadline_numbers_and_their_lists(cases, client):
    login(client, "giamsat.00100")
    page = client.get("/supervision/", query_string=cases["period"]).get_data(as_text=True)
    table = page.split('data-testid="complaint-categories"', 1)[1].split("</table>", 1)[0]
    plain = re.sub(r'<a href="[^"]*">([^<]*)</a>', r"\1", table)
    assert '<th scope="row">Quá trình đóng</th><td>2</td><td>1</td><td>50.0%</td>' in plain
    assert '<th scope="row">Chế độ, chính sách</th><td>1</td><td>1</td><td>100.0%</td>' in plain
    complaints = cases["complaints"]
    triaged = client.get("/supervision/received", query_string={**cases["period"], "category": "contribution_history",
                                                                 "triage": "1"}).get_data(as_text=True)
    assert complaints[1].reference in triaged and complaints[0].reference not in triaged
    deadlines = page.split('data-testid="deadline-table"', 1)[1].split("</table>", 1)[0]
    overdue = re.findall(r'href="([^"]*deadline=overdue[^"]*)"', deadlines)
    assert len(overdue) == 2  # the card department's complaint, the benefits department's transfer
    listed = client.get(unescape(next(link for link in overdue if "THU_SO_THE" in link))).get_data(as_text=True)
    assert complaints[0].reference in listed and cases["transfer"].reference not in listed
    assert 'class="badge due-overdue"' in listed and "Quá hạn" in listed
    due_soon = client.get("/supervision/open-cases", query_string={"deadline": "due_soon"}).get_data(as_text=True)
    assert complaints[2].reference in due_soon and complaints[0].reference not in due_soon
    # the list exports as shown: the same cases, the deadline status in words
    assert 'data-testid="export-open"' in due_soon
    exported = client.post("/supervision/export", data={"kind": "open", "file_format": "csv", "deadline": "due_soon"})
    lines = exported.get_data(as_text=True).lstrip("\ufeff").strip().splitlines()
    assert exported.status_code == 200 and lines[0].startswith("Mã hồ sơ,Loại hồ sơ,Cơ quan") and len(lines) > 1
    assert complaints[2].reference in lines[1] or any(complaints[2].reference in line for line in lines)
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(
        re.findall(r'<tr><td>(?:<a href="[^"]+">)?([A-Z0-9]{8,})<', due_soon))
    assert all(line.endswith("Sắp đến hạn") for line in lines[1:])
    # the rejection reason's row lists that reason's rejections; the failing-check column its approvals
    assert cases["refused"].reference in client.get("/supervision/decisions", query_string={
        **cases["period"], "outcome": "rejected", "reason": "CARD_EXPIRED"}).get_data(as_text=True)
    assert "decision-rows" in client.get("/supervision/decisions", query_string={
        **cases["period"], "reason": "NO_SUCH"}).get_data(as_text=True)
    failing = client.get("/supervision/decisions", query_string={**cases["period"], "failing": "1"}).get_data(
        as_text=True)
    assert cases["book"].reference in failing and cases["refused"].reference not in failing
    # in English, the deadline list speaks the SLA badge's words
    client.set_cookie("lang", "en")
    english = client.get(unescape(overdue[0])).get_data(as_text=True)
    assert "Overdue" in english


@pytest.mark.parametrize("path, query, message", [
    ("/supervision/open-cases", {"deadline": "late"}, "Tình trạng hạn"),
    ("/supervision/open-cases", {"deadline": "overdue", "department": "NOPE"}, "Phòng ban"),
    ("/supervision/open-cases", {}, "Hãy chọn khoảng số ngày chờ hoặc tình trạng hạn"),
    ("/supervision/open-cases", {"bucket": "0-1", "office": str(2**63)}, None),
    ("/supervision/decisions", {"department": "X"}, "Phòng ban"),
    ("/supervision/decisions", {"case_type": "visa"}, "Loại hồ sơ"),
    ("/supervision/decisions", {"failing": "0"}, "Duyệt khi kiểm tra không đạt"),
    ("/supervision/decisions", {"reason": "R" * 41}, "Mã lý do từ chối"),
    ("/supervision/received", {"category": "weather"}, "Lĩnh vực phản ánh"),
    ("/supervision/received", {"triage": "yes"}, "Chuyển phân loại thủ công"),
    ("/supervision/received", {"office_only": "2"}, "Chỉ riêng cơ quan này"),
    ("/supervision/reviewed", {"disagreed": "yes"}, "Chỉ các trường hợp bất đồng"),
    ("/supervision/reviewed", {"officer": str(2**63)}, None),
])
def test_a_filter_value_a_list_does_not_offer_is_a_clear_400(client, demo_logins, path, query, message):
    login(client, "giamsat.00100")
    answer = client.get(path, query_string=query)
    if message is None:  # an office id no office can have names none: the whole reach, not a database error
        assert answer.status_code == 200
        return
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)


FILTERS = {"/supervision/decisions": ("case_type", "department", "reason", "failing", "outcome", "office_only",
                                      "office"),
           "/supervision/received": ("case_type", "department", "category", "triage", "office_only", "office"),
           "/supervision/open-cases": ("bucket", "deadline", "case_type", "department", "office"),
           "/supervision/reviewed": ("officer", "disagreed", "date_from", "date_to")}
VALUES = st.one_of(st.text(max_size=12), st.sampled_from(["1", "0", "all", "overdue", "due_soon", "0-1", "30+",
                                                          "THU_SO_THE", "reissue", "benefits", str(2**63), "-1"]))


@pytest.mark.parametrize("username", ["giamsat.00100", "truongphong.00131", "tiepnhan.00131"])
def test_no_filter_value_answers_5xx(client, demo_logins, username):
    login(client, username)

    @given(path=st.sampled_from(sorted(FILTERS)), data=st.data())
    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def walk(path, data):
        query = data.draw(st.dictionaries(st.sampled_from(FILTERS[path]), VALUES, max_size=4))
        answer = client.get(path, query_string=query)
        assert answer.status_code in (200, 400), (path, query, answer.status_code)

    walk()


def test_the_list_of_cases_received_exports_as_filtered(cases, client):
    login(client, "truongphong.00131")  # a department head exports their subject's receipts
    answer = client.post("/supervision/export", data={"kind": "received", "file_format": "csv",
                                                      "date_from": cases["period"]["date_from"],
                                                      "date_to": cases["period"]["date_to"],
                                                      "category": "contribution_history", "triage": "True"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and text.startswith("\ufeff")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and cases["complaints"][1].reference in lines[1] and "Quá trình đóng" in lines[1]
