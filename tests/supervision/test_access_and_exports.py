"""Who saw this citizen, and exports (CSV with a BOM, XLSX opened by openpyxl, masking, full values audited)."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.services import DomainError
from backoffice.services.platform import audit
from backoffice.services.supervision import access_report, exports, sampling
from backoffice.services.supervision.filters import ListFilters
from tests.supervision.conftest import WORKDAY_10AM, add_officer, officer

SIN = "0131009999"
ID_NUMBER = "001090123456"


def test_access_report_lists_every_officer_who_saw_the_citizen(desk):
    d = desk.decide("tiepnhan.00131", sin=SIN, id_number=ID_NUMBER)
    curious = add_officer("tiepnhan7.00131")
    audit.bind_origin("10.0.0.7")
    audit.record("file_viewed", actor=curious, object_type="stored_file", object_id=d.documents[0].stored_file_id,
                 office_id=d.office_id, details={"purpose": "id_front"})
    audit.bind_origin("")
    desk.decide("tiepnhan.00131")  # another citizen: not in the report
    db.session.commit()

    supervisor = officer("giamsat.00100")
    report = access_report.who_saw(supervisor, SIN)
    db.session.commit()
    assert report.term == "013****999" and [c.reference for c in report.cases] == [d.reference]
    seen = {(row.officer.split(" (")[1].rstrip(")"), row.action, row.reference) for row in report.rows}
    assert ("tiepnhan.00131", "declaration_claimed", d.reference) in seen
    assert ("tiepnhan.00131", "declaration_approved", d.reference) in seen
    assert ("tiepnhan7.00131", "file_viewed", d.reference) in seen
    assert next(r for r in report.rows if r.action == "file_viewed").ip == "10.0.0.7"

    by_id = access_report.who_saw(officer("giamsat.00131"), ID_NUMBER)  # the same citizen by ID number
    db.session.commit()
    assert [c.case_id for c in by_id.cases] == [d.id]
    uses = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access_report_run")).all()
    assert len(uses) == 2 and SIN not in str(uses[0].details) and ID_NUMBER not in str(uses[1].details)
    # a later report shows the earlier uses of the report itself
    again = access_report.who_saw(supervisor, SIN)
    assert sum(1 for row in again.rows if row.action == "access_report_run") >= 1

    elsewhere = access_report.who_saw(officer("giamsat.05600"), SIN)  # Khánh Hòa's supervisor: not their subtree
    assert elsewhere.cases == [] and all(row.action == "access_report_run" for row in elsewhere.rows)
    with pytest.raises(DomainError):
        access_report.who_saw(supervisor, "12ab")


def test_signature_changes_with_the_rows(desk):
    desk.decide("tiepnhan.00131", sin=SIN)
    report = access_report.who_saw(officer("giamsat.00100"), SIN)
    signed = access_report.signature("k" * 32, report)
    report.rows[0].ip = "1.2.3.4"
    assert access_report.signature("k" * 32, report) != signed


def _filters():
    return ListFilters(date_from=date(2026, 3, 10), date_to=date(2026, 3, 10))


def test_csv_has_a_bom_and_masks_numbers(desk):
    d = desk.decide("tiepnhan.00131", sin=SIN, id_number=ID_NUMBER, phone="0912345678")
    supervisor = officer("giamsat.00100")
    text = "".join(exports.csv_chunks("decisions", supervisor, _filters()))
    assert text.startswith("\ufeffThời điểm,Loại hồ sơ,Mã hồ sơ")
    assert d.reference in text and "0010****3456" in text and "0912****78" in text
    assert ID_NUMBER not in text and "0912345678" not in text
    assert "Phê duyệt" in text


def test_full_values_need_a_reason_and_are_audited(desk):
    desk.decide("tiepnhan.00131", sin=SIN, id_number=ID_NUMBER)
    supervisor = officer("giamsat.00100")
    with pytest.raises(DomainError):
        exports.check_full_values(supervisor, "decisions", True, "vì")
    assert exports.check_full_values(supervisor, "decisions", True, "Thanh tra Sở yêu cầu đối chiếu hồ sơ gốc")
    text = "".join(exports.csv_chunks("decisions", supervisor, _filters(), full=True))
    assert ID_NUMBER in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export_full_values"))
    assert entry.details["reason"].startswith("Thanh tra")


def test_xlsx_opens_in_openpyxl_with_the_right_text(desk):
    d = desk.decide("tiepnhan.00131", "rejected", sin=SIN, id_number=ID_NUMBER)
    supervisor = officer("giamsat.00100")
    book = load_workbook(io.BytesIO(exports.xlsx_bytes("decisions", supervisor, _filters())))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thời điểm", "Loại hồ sơ", "Mã hồ sơ", "Kết luận")
    assert rows[1][1:4] == ("Tờ khai", d.reference, "Từ chối") and rows[1][7] == "0010****3456"

    audit_book = load_workbook(io.BytesIO(exports.xlsx_bytes("audit", supervisor, ListFilters())))
    actions = [row[2] for row in audit_book.active.iter_rows(min_row=2, values_only=True)]
    assert "Từ chối" in actions and "Cán bộ nhận xử lý" in actions


def test_review_results_export(desk):
    for n in range(3):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM.replace(minute=n))
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, date(2026, 3, 10), date(2026, 3, 10), method="fixed", fixed_count=3, seed=1)
    db.session.commit()
    sampling.record_verdict(supervisor, sample.items[0].id, "rejected", "Ảnh mờ, không đối chiếu được")
    db.session.commit()
    text = "".join(exports.csv_chunks("review", supervisor, ListFilters(sample_id=sample.id)))
    lines = text.strip().splitlines()
    assert len(lines) == 4 and "Ảnh mờ, không đối chiếu được" in text and "Từ chối" in lines[1]
    assert exports.estimate("review", supervisor, ListFilters(sample_id=sample.id)) == 3


def test_large_exports_become_jobs_with_progress(desk, monkeypatch):
    from backoffice.models.supervision import ExportJob
    from backoffice.tasks.supervision import build_export

    for n in range(3):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM.replace(minute=n))
    supervisor = officer("giamsat.00100")
    monkeypatch.setattr(exports, "BATCH", 2)  # pages of two rows, so progress is reported along the way
    assert exports.estimate("decisions", supervisor, _filters(), cap=2) == 2
    job = exports.start_job(supervisor, "decisions", "xlsx", _filters(), False, 3)
    db.session.commit()
    key = build_export(job.id)
    db.session.expire_all()
    job = db.session.get(ExportJob, job.id)
    assert job.status == "ready" and job.rows_done == 3 and key == job.storage_key
    from backoffice.storage.access import storage

    book = load_workbook(io.BytesIO(storage().get(key)))
    assert len(list(book.active.iter_rows())) == 4
    assert build_export(job.id) is None  # a second run of a finished job does nothing
