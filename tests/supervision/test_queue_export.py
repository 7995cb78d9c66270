"""A supervisor exports a department queue as it is filtered (issue 17, §6: "any filtered list: queues, …"): the
file holds exactly the rows the queue shows, in its order, as CSV with a BOM and as XLSX; the filters ride along;
a department outside the case type's queues is refused with a message; officers cannot export a queue."""
# ruff: noqa: F811 - fixtures imported from the reissue tests
import csv
import io
import re

from openpyxl import load_workbook

from backoffice.extensions import db
from backoffice.services.platform import offices
from backoffice.services.reissue import demo
from tests.conftest import login
from tests.reissue.conftest import world  # noqa: F401


def _queue_references(client, query):
    page = client.get("/reissue/", query_string=query).get_data(as_text=True)
    rows = page.split('id="reissue-rows"')[1].split("</tbody>")[0]
    return re.findall(r'<tr data-testid="reissue-row">\s*<td><a href="[^"]+">([^<]+)</a>', rows)


def _export(client, **data):
    """The export's answer, read to its end (a streamed body holds its request open until then)."""
    answer = client.post("/supervision/export", data={"kind": "reissue_queue", "file_format": "csv", **data})
    answer.get_data()
    return answer


def test_a_supervisor_exports_a_department_queue_as_filtered(client, world):
    made = [demo.create_from_payload(world[name]) for name in ("card_pickup", "card_post", "book", "card_pickup")]
    db.session.commit()
    office = offices.by_code("00131")
    login(client, "giamsat.00131")
    where = {"office_id": office.id, "department": "THU_SO_THE"}
    shown = _queue_references(client, where)
    assert len(shown) == 4 and set(shown) == {r.reference for r in made}
    page = client.get("/reissue/", query_string=where).get_data(as_text=True)
    assert 'data-testid="export-reissue_queue"' in page  # the form sits on the queue page

    answer = _export(client, **where)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and text.startswith("\ufeff") and "attachment" in answer.headers[
        "Content-Disposition"]
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0][0] == "Mã hồ sơ" and [line[0] for line in lines[1:]] == shown  # the queue's rows, its order
    assert all(line[1] and line[3] and line[6] for line in lines[1:])  # kind, state, deadline status in words

    cards = list(csv.reader(io.StringIO(_export(client, **where, case_kind="bhyt_card").get_data(as_text=True))))
    assert sorted(line[0] for line in cards[1:]) == sorted(r.reference for r in made if r.kind == "bhyt_card")
    books = client.post("/supervision/export", data={"kind": "reissue_queue", "file_format": "xlsx", **where,
                                                      "state": "received"})
    sheet = load_workbook(io.BytesIO(books.data), read_only=True).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Mã hồ sơ" and len(values) == 1 + len(_queue_references(client, {**where,
                                                                                            "state": "received"}))


def test_queue_export_filters_and_refusals(client, world):
    from tests.reissue.conftest import officer

    card, book = demo.create_from_payload(world["card_pickup"]), demo.create_from_payload(world["book"])
    book.assignee_id = officer("canbo.00131").id
    db.session.commit()
    office = offices.by_code("00131")
    login(client, "giamsat.00131")
    where = {"office_id": office.id, "department": "THU_SO_THE"}
    unassigned = _export(client, **where, assignee="none").get_data(as_text=True)
    assert card.reference in unassigned and book.reference not in unassigned
    theirs = _export(client, **where, assignee=str(book.assignee_id)).get_data(as_text=True)
    assert book.reference in theirs and card.reference not in theirs
    typed = _export(client, **where, assignee="99999999999999", due_by="9999-12-31")  # no id, no day: no filter
    assert typed.status_code == 200 and card.reference in typed.get_data(as_text=True)
    past = _export(client, **where, due_by="01/01/2001").get_data(as_text=True)  # typed dd/mm/yyyy: none due then
    assert past.strip().count("\n") == 0 and card.reference not in past
    refused = _export(client, office_id=office.id, department="CNTT")  # no reissue queue in that department
    assert refused.status_code == 303
    assert "Phòng này không có hàng chờ" in client.get(refused.headers["Location"]).get_data(as_text=True)
    officer_client = client.application.test_client()
    login(officer_client, "canbo.00131")
    refused = _export(officer_client, **where)  # their own figures only: no queue file
    assert refused.status_code == 303 and "attachment" not in refused.headers.get("Content-Disposition", "")
    assert "Bạn chỉ xuất được" in officer_client.get(refused.headers["Location"]).get_data(as_text=True)
