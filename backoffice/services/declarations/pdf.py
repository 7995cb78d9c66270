"""PDFs of a declaration: the Tờ khai Mẫu 01 the citizen signs, and the decision notice (xhtml2pdf)."""
from flask import render_template

from backoffice.extensions import db
from backoffice.models import Office
from backoffice.services import DomainError
from backoffice.services.platform import audit
from backoffice.services.platform.addresses import contact_address
from backoffice.services.platform.pdf import html_to_pdf

TEMPLATES = {"form": "declarations/pdf/form_01.html", "notice": "declarations/pdf/notice.html"}


def render(officer, declaration, document):
    """The PDF bytes of `document` ("form" or "notice") for a declaration; the print is audited."""
    if document == "notice" and declaration.decided_at is None:
        raise DomainError("Tờ khai chưa có quyết định để in thông báo.")
    html = render_template(TEMPLATES[document], d=declaration, office=db.session.get(Office, declaration.office_id),
                           contact_address=contact_address(declaration))
    pdf = html_to_pdf(html)
    audit.record("declaration_printed", actor=officer, object_type="declaration", object_id=declaration.id,
                 office_id=declaration.office_id, details={"document": document})
    return pdf
