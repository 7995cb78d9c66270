"""Supervision screens: dashboards by reach, blind re-review page, flags, who-saw report, audit log, exports."""
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Declaration, Role
from backoffice.models.supervision import ExportJob
from backoffice.services.supervision import exports, flags, rollups, sampling
from tests.conftest import login
from tests.supervision.conftest import WORKDAY_10AM, add_officer, officer

DAY = date(2026, 3, 10)
PERIOD = {"date_from": "2026-03-10", "date_to": "2026-03-10"}


def _refresh():
    rollups.refresh()
    db.session.commit()


def test_dashboard_for_a_supervisor_links_numbers_and_draws_from_data_attributes(desk, client):
    for n in range(3):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=n))
    desk.decide("tiepnhan.00131", "rejected", at=WORKDAY_10AM + timedelta(minutes=9))
    _refresh()
    login(client, "giamsat.00100")
    page = client.get("/supervision/", query_string=PERIOD).get_data(as_text=True)
    assert re.search(r"Đã quyết định</dt><dd><a href=\"/supervision/decisions\?[^\"]*\">4</a>", page)
    assert "75.0%" in page and "25.0%" in page
    assert 'data-chart="{' in page and "vendor/chart.umd.min.js" in page
    assert "<script>" not in page  # no inline script: the CSP has none
    # rejection reasons in words, with their table (the walk found the codes shown as they are stored)
    assert '<th scope="row">Ảnh giấy tờ không đọc được</th>' in page and ">ID_UNREADABLE<" not in page
    listed = client.get("/supervision/decisions", query_string={**PERIOD, "outcome": "rejected"}).get_data(as_text=True)
    assert listed.count("Từ chối</td>") == 1


def test_officers_see_their_own_figures_only_and_admins_nothing(desk, client):
    add_officer("tiepnhan2.00131")
    desk.decide("tiepnhan.00131")
    desk.decide("tiepnhan2.00131")
    desk.decide("tiepnhan2.00131")
    _refresh()
    login(client, "tiepnhan.00131")
    page = client.get("/supervision/", query_string=PERIOD).get_data(as_text=True)
    assert re.search(r"Đã quyết định</dt><dd><a [^>]*>1</a>", page)
    listed = client.get("/supervision/decisions", query_string=PERIOD).get_data(as_text=True)
    assert listed.count("tiepnhan2.00131") == 0 and listed.count("tiepnhan.00131") >= 1
    admin = client.application.test_client()
    login(admin, "quantri.00131")
    assert admin.get("/supervision/").status_code == 403


def test_the_blind_review_page_holds_neither_the_decision_nor_the_officer(desk, client):
    decided = desk.decide("tiepnhan.00131", failing=True, second="giamsat.00131")
    sample = sampling.draw(officer("giamsat.00100"), DAY, DAY, method="fixed", fixed_count=5, seed=1)
    db.session.commit()
    item = sample.items[0]
    login(client, "giamsat.00100")
    page = client.get(f"/supervision/review/{item.id}").get_data(as_text=True)
    body = page.split('<main id="main"', 1)[1]
    decided = db.session.get(Declaration, decided.id)
    for secret in ("Cán bộ tiếp nhận", "tiepnhan.00131", "giamsat.00131", "Lãnh đạo giám sát BHXH Quận",
                   "Đã duyệt", "Đã từ chối", decided.justification, decided.reference):
        assert secret not in body, secret
    assert "Đối chiếu sổ người tham gia" in body and "Không đạt" in body  # the stored snapshot of the checks
    assert f"/files/{decided.documents[0].stored_file.key}" in body  # the same documents
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "review_case_opened")).actor == \
        "giamsat.00100"
    answered = client.post(f"/supervision/review/{item.id}", data={"outcome": "rejected",
                                                                   "reason": "Tên trên sổ không khớp"})
    assert answered.status_code == 303
    results = client.get(f"/supervision/samples/{sample.id}").get_data(as_text=True)
    assert "Tên trên sổ không khớp" in results and "100.0%" in results

    colleague = add_officer("giamsat2.00131", role=Role.supervisor)
    local = sampling.draw(colleague, DAY, DAY, method="fixed", fixed_count=5, seed=1)
    db.session.commit()
    checker = client.application.test_client()
    login(checker, "giamsat.00131")  # confirmed the approval: never re-reviews it
    refused = checker.get(f"/supervision/review/{local.items[0].id}", follow_redirects=True)
    assert "Bạn không kiểm tra lại quyết định của chính mình." in refused.get_data(as_text=True)
    # the menu keeps "Kiểm tra lại" current on a blind re-review (its path lies under "Số liệu"'s)
    assert re.findall(r'aria-current="page">([^<]+)<', page)[0] == "Kiểm tra lại"
    assert "Số liệu" not in re.findall(r'aria-current="page">([^<]+)<', page)
    assert checker.get(f"/supervision/review/{item.id}").status_code == 404  # Hà Nội's sample: not their subtree


def test_draw_from_the_page(desk, client):
    desk.decide("tiepnhan.00131")
    login(client, "giamsat.00100")
    assert client.get("/supervision/samples").status_code == 200
    drawn = client.post("/supervision/samples", data={"period_from": "2026-03-10", "period_to": "2026-03-10",
                                                      "method": "fixed", "fixed_count": "3", "seed": "11",
                                                      "precision": "10", "confidence": "90"})
    assert drawn.status_code == 303 and "/supervision/samples/" in drawn.headers["Location"]
    empty = client.post("/supervision/samples", data={"period_from": "2025-01-01", "period_to": "2025-01-02",
                                                      "method": "precision", "precision": "10", "confidence": "90"})
    assert empty.status_code == 422 and "Không có quyết định nào" in empty.get_data(as_text=True)


def test_flags_page_links_cases_and_resolves(desk, client):
    quick = desk.decide("tiepnhan.00131", review_seconds=3)
    flags.detect(end=WORKDAY_10AM + timedelta(days=1))
    db.session.commit()
    login(client, "giamsat.00100")
    page = client.get("/supervision/flags").get_data(as_text=True)
    assert f'href="/declarations/{quick.id}"' in page and "Quyết định quá nhanh" in page
    flag = flags.flags_page(officer("giamsat.00100"))[0]
    assert client.post(f"/supervision/flags/{flag.id}", data={"status": "escalated", "note": ""}).status_code == 303
    assert "Đã chuyển cấp trên" in client.get("/supervision/flags?status=").get_data(as_text=True)


def test_who_saw_report_page_and_its_files(desk, client):
    decided = desk.decide("tiepnhan.00131", sin="0131000555")
    login(client, "giamsat.00100")
    shown = client.post("/supervision/access", data={"term": "0131000555"})
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and decided.reference in page and "Cán bộ nhận xử lý" in page
    as_csv = client.post("/supervision/access/export", data={"term": "0131000555", "file_format": "csv"})
    assert as_csv.data.startswith("\ufeff".encode()) and decided.reference.encode() in as_csv.data
    as_pdf = client.post("/supervision/access/export", data={"term": "0131000555", "file_format": "pdf"})
    assert as_pdf.data.startswith(b"%PDF") and as_pdf.mimetype == "application/pdf"
    uses = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "access_report")).all()
    assert uses.count("access_report_exported") == 2 and uses.count("access_report_run") == 3


def test_audit_log_in_words_in_both_languages_with_keyset_pages(desk, client):
    for n in range(30):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=n))
    login(client, "giamsat.00100")
    page = client.get("/supervision/audit", query_string={"action": "declaration_claimed"}).get_data(as_text=True)
    assert page.count("Cán bộ nhận xử lý</td>") == 30 and "Chưa kiểm tra chuỗi lần nào." in page
    first = client.get("/supervision/audit").get_data(as_text=True)
    more = re.search(r'href="(/supervision/audit\?after=\d+)"', first)
    assert more and client.get(more.group(1).replace("&amp;", "&")).status_code == 200
    client.set_cookie("lang", "en")
    english = client.get("/supervision/audit", query_string={"action": "declaration_claimed"}).get_data(as_text=True)
    assert english.count("Claimed by an officer</td>") == 30 and "Audit log" in english
    assert "The chain has not been checked yet." in english


def test_exports_from_the_lists(desk, client, monkeypatch):
    desk.decide("tiepnhan.00131", id_number="001090123456")
    login(client, "giamsat.00100")
    as_csv = client.post("/supervision/export", data={"kind": "decisions", "file_format": "csv", **PERIOD})
    text = as_csv.get_data(as_text=True)
    assert text.startswith("\ufeff") and "0010****3456" in text and "001090123456" not in text
    as_xlsx = client.post("/supervision/export", data={"kind": "decisions", "file_format": "xlsx", **PERIOD})
    rows = list(load_workbook(io.BytesIO(as_xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Thời điểm" and len(rows) == 2
    refused = client.post("/supervision/export", data={"kind": "decisions", "file_format": "csv", "full": "y",
                                                       "reason": "x", **PERIOD})
    assert refused.status_code == 303  # no reason, no full numbers
    monkeypatch.setattr(exports, "JOB_THRESHOLD", 0)
    queued = client.post("/supervision/export", data={"kind": "audit", "file_format": "xlsx"})
    assert queued.status_code == 303 and "/supervision/exports/" in queued.headers["Location"]
    job = db.session.scalar(select(ExportJob))
    from backoffice.tasks.supervision import build_export

    build_export(job.id)
    ready = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert "Tải tệp" in ready
    downloaded = client.get(f"/supervision/exports/{job.id}/file")
    assert downloaded.status_code == 200 and load_workbook(io.BytesIO(downloaded.data)).active.max_row > 1
    other = client.application.test_client()
    login(other, "giamsat.00131")
    assert other.get(f"/supervision/exports/{job.id}/file").status_code == 404


def test_an_office_filter_outside_the_ids_names_no_office(desk, client):
    """An office id past the database's integer range (found by the bad-input walk: a 500) shows the whole scope."""
    login(client, "giamsat.00100")
    for office in ("2147483648", "99999999999999999999", "-1", "٣"):
        assert client.get(f"/supervision/?office={office}").status_code == 200


def test_a_list_cursor_outside_the_ids_is_a_400(desk, client):
    login(client, "giamsat.00100")
    for after in ("99999999999999999999", "-5", "abc"):
        assert client.get(f"/supervision/audit?after={after}").status_code == 400
    assert client.get("/supervision/audit?after=12").status_code == 200
