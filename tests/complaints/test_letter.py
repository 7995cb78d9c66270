"""The approved answer as a numbered letter: one number per approval, per office and year, kept on reprint; the PDF
carries the number, the reference and the answer with its diacritics; refused before approval; audited."""
# ruff: noqa: F811 - fixtures imported from casework_fixtures
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.services import DomainError
from backoffice.services.complaints import answers, letter, workflow
from tests.complaints.casework_fixtures import clock, new_complaint, officer, people, router  # noqa: F401
from tests.complaints.test_workflow import ANSWER, _answered


def _approved():
    complaint = _answered(new_complaint())
    workflow.approve(officer("truongphong.00131"), complaint.id, complaint.version_id)
    db.session.commit()
    return complaint


def test_numbers_are_sequential_per_office_and_year_and_kept(people, clock, router):
    first, second = _approved(), _approved()
    assert first.letter_number == "1/2027/TLPA-00131" and second.letter_number == "2/2027/TLPA-00131"
    assert letter.assign_number(first) == "1/2027/TLPA-00131"  # a reprint keeps its number
    clock.set(2028, 1, 3, 9, 0)
    workflow.calendar.load_year(2028)
    assert _approved().letter_number == "1/2028/TLPA-00131"


def test_the_pdf_reads_back_with_diacritics_and_is_audited(app, people, clock, router):
    complaint = _approved()
    head = officer("truongphong.00131")
    with app.test_request_context():  # printed from the case page
        text = PdfReader(io.BytesIO(letter.render(head, complaint))).pages[0].extract_text()
    flat = " ".join(text.split())
    assert complaint.letter_number in flat and complaint.reference in flat
    assert "Quá trình đóng BHXH" in flat and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    db.session.commit()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "complaint_letter_printed")) is not None


def test_no_letter_before_approval(people, clock, router):
    complaint = _answered(new_complaint())
    with pytest.raises(DomainError, match="phê duyệt"):
        letter.render(officer("truongphong.00131"), complaint)
    assert ANSWER


def test_templates_per_category_are_filled_with_the_complaints_values(people, clock, router):
    complaint = new_complaint()
    for category in ("personal_info", "contribution_history", "health_card_info", "benefits", "medical_care",
                     "app_technical"):
        chosen = answers.templates_for(category)
        assert len(chosen) >= 3 and len({key for key, _, _ in chosen}) == len(chosen)
    body = answers.fill(answers.templates_for("contribution_history")[0][2], complaint)
    assert complaint.reference in body and "Nguyễn Văn An" in body and "01/02/2027" in body and "{" not in body
