"""Who saw this citizen (Law 91/2025/QH15, Decree 356/2025): every officer who read the citizen's data or photos.

Given a mã số BHXH or an ID number: each officer's views and handling of the citizen's cases and photos, when, from
which address, in which case. The views are the audit actions of `sources.view_actions()` (the one list the
view-without-a-case flag reads too): on a photo only those count; on a case every officer's step counts as well.
Each use of the report is itself audited (under a digest of the number, never the
number). The PDF carries an HMAC-SHA256 signature of its rows, and its SHA-256 goes into the audit chain.
"""
import csv
import hashlib
import hmac
import io
import json
import re
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from backoffice.extensions import db
from backoffice.masking import mask_id
from backoffice.models import AuditEntry, Office, Officer
from backoffice.services import DomainError
from backoffice.services.platform import audit
from backoffice.services.platform.calendar import BUSINESS_TZ
from backoffice.services.platform.pdf import html_to_pdf
from backoffice.services.supervision import reach as scope_reach
from backoffice.services.supervision.labels import action_label
from backoffice.services.supervision.sources import FILE_OBJECT, SOURCES, type_label, view_actions
from backoffice.web.catalogue import in_language

_SIN = re.compile(r"^\d{10}$")
_ID = re.compile(r"^\d{9}$|^\d{12}$|^[A-Z]\d{7,8}$")


@dataclass
class AccessRow:
    """One officer's contact with the citizen's data."""

    at: object
    officer: str
    office: str
    ip: str
    action: str
    case_type: str
    reference: str


@dataclass
class Report:
    """The report: the masked number asked about, the cases found and the rows, oldest first."""

    term: str
    digest: str
    cases: list
    rows: list


RUN_ACTION = "access_report_run"


def citizen_digest(term):
    """A stable digest of the number, so the audit log can link uses of the report without holding the number."""
    return hashlib.sha256(f"citizen:{term}".encode()).hexdigest()[:32]


def _parse(term):
    term = (term or "").strip().replace(" ", "").upper()
    if _SIN.match(term):
        return term, None
    if _ID.match(term):
        return None, term
    raise DomainError("Hãy nhập mã số BHXH (10 chữ số) hoặc số giấy tờ tùy thân (9 hoặc 12 chữ số).", field="term")


def who_saw(officer, term):
    """The access report for a mã số BHXH or an ID number, within the supervisor's subtree (audited)."""
    social_insurance_number, id_number = _parse(term)
    cases = [case for source in SOURCES.values()
             for case in source.cases_for_citizen(social_insurance_number, id_number)
             if scope_reach.covers(officer, case.office_id)]
    digest = citizen_digest(term.strip().replace(" ", "").upper())
    by_case = {(case.case_type, str(case.case_id)): case for case in cases}
    by_file = {str(file_id): case for case in cases for file_id in case.file_ids}
    conditions = [and_(AuditEntry.object_type == case_type, AuditEntry.object_id.in_(
        [str(c.case_id) for c in cases if c.case_type == case_type])) for case_type in {c.case_type for c in cases}]
    if by_file:
        conditions.append(and_(AuditEntry.object_type == FILE_OBJECT, AuditEntry.object_id.in_(by_file),
                               AuditEntry.action.in_(view_actions())))
    conditions.append(and_(AuditEntry.object_type == "access_report", AuditEntry.object_id == digest))
    query = (select(AuditEntry, Officer.full_name, Office.code).join(Officer, Officer.id == AuditEntry.actor_id)
             .join(Office, Office.id == Officer.office_id).where(or_(*conditions)).order_by(AuditEntry.id))
    rows = []
    for entry, full_name, office_code in db.session.execute(query):
        case = by_file.get(entry.object_id) if entry.object_type == FILE_OBJECT else \
            by_case.get((entry.object_type, entry.object_id))
        rows.append(AccessRow(entry.at, f"{full_name} ({entry.actor})", office_code, entry.ip, entry.action,
                              case.case_type if case else "", case.reference if case else ""))
    # the digests of the citizens found (a report by ID number names them too): the view-without-a-case rule ties
    # the supervisor's views of their cases to this report
    audit.record(RUN_ACTION, actor=officer, object_type="access_report", object_id=digest,
                 office_id=officer.office_id, details={"term": mask_id(term) if id_number else
                                                       f"{term[:3]}****{term[-3:]}", "cases": len(cases),
                                                       "rows": len(rows), "citizens": sorted(
                                                           {citizen_digest(case.citizen) for case in cases})})
    masked = mask_id(id_number) if id_number else f"{social_insurance_number[:3]}****{social_insurance_number[-3:]}"
    return Report(masked, digest, cases, rows)


def signature(secret, report):
    """HMAC-SHA256 over the report's rows: printed on the PDF, so a changed copy no longer matches."""
    body = json.dumps([[row.at.isoformat(), row.officer, row.office, row.ip, row.action, row.case_type,
                        row.reference] for row in report.rows], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret.encode(), f"{report.digest}|{body}".encode(), hashlib.sha256).hexdigest()


def exported(officer, report, file_format, content):
    """Audit an export of the report with the SHA-256 of the file handed out."""
    audit.record("access_report_exported", actor=officer, object_type="access_report", object_id=report.digest,
                 office_id=officer.office_id, details={"format": file_format,
                                                       "sha256": hashlib.sha256(content).hexdigest(),
                                                       "rows": len(report.rows)})


def pdf(officer, report, secret):
    """The report as a PDF with its signature printed at the end (the export is audited with the file's hash)."""
    from flask import render_template

    with in_language("vi"):  # the report is a Vietnamese document, whichever language the supervisor reads in
        html = render_template("supervision/access_pdf.html", report=report, officer=officer,
                               signature=signature(secret, report), action_label=action_label)
    content = html_to_pdf(html)
    exported(officer, report, "pdf", content)
    return content


def csv_bytes(officer, report):
    """The report as CSV (UTF-8 with a BOM, for Excel), audited with the file's hash."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["Thời điểm", "Cán bộ", "Cơ quan của cán bộ", "Địa chỉ IP", "Hành động", "Loại hồ sơ", "Mã hồ sơ"])
    with in_language("vi"):  # a Vietnamese document, as its header, whichever language the supervisor reads in
        for row in report.rows:
            writer.writerow([row.at.astimezone(BUSINESS_TZ).strftime("%d/%m/%Y %H:%M:%S"), row.officer, row.office,
                             row.ip, action_label(row.action), type_label(row.case_type) if row.case_type else "",
                             row.reference])
    content = out.getvalue().encode("utf-8")
    exported(officer, report, "csv", content)
    return content
