"""PDFs of a declaration: the Tờ khai Mẫu 01 the citizen signs, the decision notice, and the phiếu yêu cầu bổ sung
(xhtml2pdf through services.platform.pdf)."""
from flask import render_template

from backoffice.extensions import db
from backoffice.models import DeclarationState, Office
from backoffice.services import DomainError
from backoffice.services.declarations.workflow import AWAITING_REASONS, guardian
from backoffice.services.platform import audit, calendar
from backoffice.services.platform.addresses import contact_address
from backoffice.services.platform.pdf import html_to_pdf

TEMPLATES = {"form": "declarations/pdf/form_01.html", "notice": "declarations/pdf/notice.html",
             "request": "declarations/pdf/request.html"}


def _place(office):
    """The place on the "…, ngày … tháng … năm …" line: the last part of the office's address (its province)."""
    return (office.address or "").rsplit(",", 1)[-1].strip() or office.name


def render(officer, declaration, document):
    """The PDF bytes of `document` ("form" or "notice") for a declaration; the print is audited."""
    if document == "notice" and declaration.decided_at is None:
        raise DomainError("Tờ khai chưa có quyết định để in thông báo.")
    if document == "request" and (declaration.state != DeclarationState.awaiting_citizen or not declaration.due_on):
        raise DomainError("Tờ khai không chờ công dân bổ sung: không có phiếu yêu cầu bổ sung để in.")
    office = db.session.get(Office, declaration.office_id)
    # Every date printed is a Vietnamese calendar date (Asia/Ho_Chi_Minh): a decision at 01:00 local time is
    # dated that day, not the UTC day before.
    html = render_template(TEMPLATES[document], d=declaration, office=office, officer=officer,
                           contact_address=contact_address(declaration), local_date=calendar.local_date,
                           today=calendar.today(), place=_place(office), guardian=guardian(declaration),
                           what_needed=AWAITING_REASONS.get(declaration.awaiting_reason or "", ""))
    pdf = html_to_pdf(html)
    audit.record("declaration_printed", actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id, details={"document": document})
    return pdf
