"""The approved answer as an official letter (công văn trả lời), numbered per office and year, as a PDF.

The number is given once, when the head approves the answer (`assign_number`), so every print of the letter carries
the same one. Every print is audited.
"""
from flask import render_template
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from backoffice.extensions import db
from backoffice.models import ComplaintState, LetterSequence, Office, Officer
from backoffice.services import DomainError
from backoffice.services.casework import cases
from backoffice.services.complaints import notices
from backoffice.services.platform import audit, calendar
from backoffice.services.platform.pdf import html_to_pdf

KIND_TITLES = {"complaint": "giải quyết khiếu nại", "denunciation": "giải quyết tố cáo",
               "petition": "trả lời phản ánh, kiến nghị", "": "trả lời phản ánh, kiến nghị"}


def _next_number(office_id, year):
    table = LetterSequence.__table__
    number = db.session.execute(update(table).where(table.c.office_id == office_id, table.c.year == year)
                                .values(last_number=table.c.last_number + 1).returning(table.c.last_number)).scalar()
    if number is not None:
        return number
    try:
        with db.session.begin_nested():  # the first letter of the year; another may race us to it
            db.session.add(LetterSequence(office_id=office_id, year=year, last_number=1))
        return 1
    except IntegrityError:
        return _next_number(office_id, year)


def assign_number(complaint):
    """Give the approved answer its letter number (once): "15/2027/TLPA-00131" (per office, restarting each year)."""
    if complaint.letter_number:
        return complaint.letter_number
    office = db.session.get(Office, complaint.office_id)
    year = calendar.today().year
    complaint.letter_number = f"{_next_number(office.id, year)}/{year}/TLPA-{office.code}"
    return complaint.letter_number


def render(officer, complaint):
    """The PDF bytes of the approved answer as a numbered letter; audited. Refused before approval."""
    if complaint.state not in (ComplaintState.approved, ComplaintState.closed) or not complaint.answer_text \
            or not complaint.letter_number:
        raise DomainError("Chỉ in công văn sau khi văn bản trả lời đã được phê duyệt.")
    office = db.session.get(Office, complaint.office_id)
    approver = db.session.get(Officer, complaint.approved_by_id) if complaint.approved_by_id else None
    approved_at = next((e.at for e in reversed(cases.timeline(complaint)) if e.to_state == ComplaintState.approved),
                       None)
    html = render_template(
        "complaints/pdf/letter.html", c=complaint, office=office, approver=approver,
        title=KIND_TITLES.get(complaint.kind or "", KIND_TITLES[""]),
        day=calendar.local_date(approved_at) if approved_at else calendar.today(),
        received=calendar.local_date(complaint.received_at).strftime("%d/%m/%Y"),
        paragraphs=[p.strip() for p in complaint.answer_text.split("\n") if p.strip()])
    pdf = html_to_pdf(html)
    audit.record("complaint_letter_printed", actor=officer, object_type=notices.CASE_TYPE, object_id=complaint.id,
                 office_id=complaint.office_id, details={"letter_number": complaint.letter_number})
    return pdf

