"""The printed results of a request (DESIGN.md §4.2): the reissued BHYT card with a QR code, the receipt
(giấy hẹn trả kết quả) with its due date, and the rejection notice. Every print is audited."""
import segno
from flask import render_template

from backoffice.extensions import db
from backoffice.models import Office, ReissueState, ReissueType
from backoffice.services import DomainError
from backoffice.services.platform import audit, calendar
from backoffice.services.platform.pdf import html_to_pdf
from backoffice.services.reissue import catalogue, notices

DOCUMENTS = ("card", "receipt", "rejection")
TEMPLATES = {name: f"reissue/pdf/{name}.html" for name in DOCUMENTS}
CARD_STATES = (ReissueState.completed, ReissueState.shipped, ReissueState.delivered, ReissueState.returned)


def card_qr_text(result):
    """What the card's QR code carries: the card number and its validity (from|to), as the printed card reads."""
    return f"{result['card_number']}|{result['valid_from']}|{result['valid_to']}"


def _qr(text):
    return segno.make(text, error="m").png_data_uri(scale=6, border=2)


def _date(moment):
    return calendar.local_date(moment).strftime("%d/%m/%Y") if moment else ""


def render(officer, request, document):
    """The PDF bytes of one document of a request ("card", "receipt" or "rejection"); audited."""
    if document not in DOCUMENTS:
        raise DomainError("Không có mẫu in này.")
    if document == "card" and (request.kind != ReissueType.bhyt_card or request.state not in CARD_STATES
                               or "card_number" not in (request.result or {})):
        raise DomainError("Chỉ in thẻ BHYT sau khi yêu cầu cấp lại thẻ đã được giải quyết.")
    if document == "rejection" and request.state != ReissueState.rejected:
        raise DomainError("Yêu cầu chưa bị từ chối nên không có thông báo từ chối.")
    office = db.session.get(Office, request.office_id)
    reason = catalogue.REASONS[ReissueType(request.kind)].get(request.rejection_code or "")
    html = render_template(
        TEMPLATES[document], r=request, office=office, type_name=notices.TYPE_NAMES[ReissueType(request.kind)],
        received=_date(request.received_at), due=_date(request.due_at), today=calendar.today().strftime("%d/%m/%Y"),
        reason=reason, qr=_qr(card_qr_text(request.result)) if document == "card" else None,
        result=request.result or {})
    pdf = html_to_pdf(html)
    audit.record("reissue_printed", actor=officer, object_type=notices.CASE_TYPE, object_id=request.id,
                 office_id=request.office_id, details={"document": document})
    return pdf
