"""The complaint workflow on the casework core: every transition, kinds and their clocks, consults, drafts."""
# ruff: noqa: F811 - the fixtures are imported from casework_fixtures (the conftest here is the router tests')
from datetime import datetime

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import CaseEvent, ComplaintState, Office, OutboxMessage, RoutingCorrection
from backoffice.services import Conflict, DomainError, NotFound
from backoffice.services.casework import escalation, sla
from backoffice.services.complaints import catalogue, workflow
from backoffice.services.complaints.dataset import corrections
from backoffice.services.complaints.routing import Route
from backoffice.services.notifications import message_templates
from backoffice.services.platform import calendar
from tests.complaints.casework_fixtures import clock, new_complaint, officer, people, router  # noqa: F401

S = ComplaintState
VN = calendar.BUSINESS_TZ
ANSWER = "Quá trình đóng BHXH của Ông từ 01/2015 đến 12/2020 đã được cập nhật đầy đủ, đề nghị Ông kiểm tra lại."


def _at(*args):
    return datetime(*args, tzinfo=VN)


def _step(clock, moment, call, *args, **kwargs):
    clock.set(*moment)
    result = call(*args, **kwargs)
    db.session.commit()
    return result


@pytest.fixture
def received(people, clock, router):
    """A contribution-history complaint received Monday 1 February 2027 09:00 at 00131, routed to THU_SO_THE."""
    return new_complaint()


def _accept(complaint, kind="petition", **kwargs):
    head = officer("truongphong.00131")
    workflow.accept(head, complaint.id, complaint.version_id, kind, **kwargs)
    db.session.commit()
    return complaint


def _assigned(complaint, kind="petition"):
    _accept(complaint, kind)
    workflow.assign(officer("truongphong.00131"), complaint.id, officer("canbo.00131").id)
    db.session.commit()
    return complaint


def _answered(complaint, body=ANSWER):
    _assigned(complaint)
    workflow.submit_draft(officer("canbo.00131"), complaint.id, complaint.version_id, body)
    db.session.commit()
    return complaint


def _events(complaint, kind):
    return db.session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_type == "complaint", CaseEvent.case_id == complaint.id, CaseEvent.kind == kind))


def _text(message):
    return message_templates.render(message.event, message.channel, message.context).text


def _messages(complaint, event):
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.event == event, OutboxMessage.case_id == str(complaint.id))).all()


def test_intake_routes_starts_the_acceptance_clock_and_tells_the_citizen(received):
    assert received.state == S.received and received.department_code == "THU_SO_THE"
    assert received.reference.startswith("P") and received.kind == ""
    assert received.sla_days == 10 and "Điều 27" in received.legal_basis
    assert {m.channel for m in _messages(received, "complaint_status_changed")} == {"sms", "email"}


def test_low_confidence_goes_to_the_reception_heads_triage(people, clock, router):
    router.route = Route("benefits", "triage", 0.41)
    complaint = new_complaint()
    assert complaint.department_code == catalogue.TRIAGE_DEPARTMENT
    triage_head = officer("truongphong.tn.00131")
    assert workflow.can_manage(triage_head, complaint)
    with pytest.raises(NotFound):
        workflow.get_for(officer("truongphong.00131"), complaint.id)  # not in THU_SO_THE's queue yet
    with pytest.raises(DomainError):  # accepted only once routed to a department
        workflow.accept(triage_head, complaint.id, complaint.version_id, "petition")
    workflow.reroute(triage_head, complaint.id, complaint.version_id, "benefits", "Nội dung về chế độ hưu trí")
    db.session.commit()
    assert complaint.department_code == "CS_BHXH" and complaint.category == "benefits"


def test_reroute_stores_a_correction_the_router_learns_from(received):
    head = officer("truongphong.00131")
    with pytest.raises(DomainError):
        workflow.reroute(head, received.id, received.version_id, "medical_care", "")  # a reason is required
    workflow.reroute(head, received.id, received.version_id, "medical_care", "Khám chữa bệnh BHYT")
    db.session.commit()
    assert received.department_code == "CS_BHYT"
    row = db.session.scalar(select(RoutingCorrection))
    assert (row.from_category, row.category, row.text) == ("contribution_history", "medical_care", received.text)
    assert any(e.category == "medical_care" and e.text == received.text for e in corrections())
    with pytest.raises(NotFound):  # it left THU_SO_THE: its former head no longer sees it
        workflow.get_for(head, received.id)


def test_reroute_never_leaves_the_office(received):
    """The signature has no office: a re-route names a category, and its department is in the same office."""
    workflow.reroute(officer("truongphong.00131"), received.id, received.version_id, "benefits", "Chế độ BHXH")
    db.session.commit()
    assert received.office_id == db.session.scalar(select(Office.id).where(Office.code == "00131"))


def test_every_transition_to_closed(received):
    _answered(received)
    assert received.state == S.answered and received.drafts[0].version == 1
    head = officer("truongphong.00131")
    workflow.approve(head, received.id, received.version_id)
    db.session.commit()
    assert received.state == S.approved and received.answer_text == ANSWER
    email, sms = (next(m for m in _messages(received, "complaint_answered") if m.channel == c)
                  for c in ("email", "sms"))
    assert ANSWER in _text(email) and received.reference in _text(sms) and _text(sms).isascii()
    workflow.close(head, received.id, received.version_id)
    db.session.commit()
    assert received.state == S.closed and received.closed_at is not None
    states = db.session.scalars(select(CaseEvent.to_state).where(
        CaseEvent.case_id == received.id, CaseEvent.kind == "transition").order_by(CaseEvent.id)).all()
    assert states == ["received", "accepted", "assigned", "answered", "approved", "closed"]


def test_approver_is_never_the_drafter(received):
    _assigned(received)
    head = officer("truongphong.00131")
    workflow.assign(head, received.id, head.id, "Trưởng phòng tự soạn")
    db.session.commit()
    workflow.submit_draft(head, received.id, received.version_id, ANSWER)
    db.session.commit()
    with pytest.raises(DomainError, match="không được tự phê duyệt"):
        workflow.approve(head, received.id, received.version_id)
    assert received.state == S.answered and received.answer_text is None


def test_return_and_versioned_drafts_with_a_diff(received):
    _answered(received)
    head, clerk = officer("truongphong.00131"), officer("canbo.00131")
    workflow.return_draft(head, received.id, received.version_id, "Ghi rõ số tháng được cập nhật")
    db.session.commit()
    assert received.state == S.assigned and received.drafts[0].status == "returned"
    workflow.submit_draft(clerk, received.id, received.version_id, ANSWER + " Tổng cộng 72 tháng.")
    db.session.commit()
    assert [d.version for d in received.drafts] == [1, 2] and received.drafts[0].body == ANSWER
    diff = workflow.draft_diff(received, 1, 2)
    assert ("+", "Tổng cộng 72 tháng.") in diff and diff[0][0] == " "


def test_only_the_assignee_drafts_and_only_the_head_approves(received):
    _assigned(received)
    with pytest.raises(DomainError):
        workflow.submit_draft(officer("canbo2.00131"), received.id, received.version_id, ANSWER)
    workflow.submit_draft(officer("canbo.00131"), received.id, received.version_id, ANSWER)
    db.session.commit()
    with pytest.raises(DomainError):
        workflow.approve(officer("canbo2.00131"), received.id, received.version_id)


def test_rejected_as_invalid_with_a_catalogue_reason(received):
    head = officer("truongphong.00131")
    with pytest.raises(DomainError):
        workflow.reject_invalid(head, received.id, received.version_id, "BORED")
    with pytest.raises(DomainError):  # not BHXH's remit: the competent body must be named
        workflow.reject_invalid(head, received.id, received.version_id, "NOT_REMIT")
    workflow.reject_invalid(head, received.id, received.version_id, "NOT_REMIT", body="Sở Lao động")
    db.session.commit()
    assert received.state == S.rejected_as_invalid and "Sở Lao động" in received.invalid_text
    assert received.closed_at is not None


def test_duplicates_found_and_merged_with_both_references(received, router):
    other = new_complaint(social_insurance_number="", text=received.text + " Xin cảm ơn.")
    unrelated = new_complaint(phone="0987654321", social_insurance_number="")
    assert [c.id for c in workflow.likely_duplicates(other)] == [received.id]
    assert workflow.likely_duplicates(unrelated) == []
    workflow.merge(officer("truongphong.00131"), other.id, other.version_id, received.reference)
    db.session.commit()
    assert other.state == S.rejected_as_invalid and other.merged_into_id == received.id
    told = next(m for m in _messages(other, "complaint_status_changed") if m.channel == "email" and
                received.reference in _text(m))
    assert other.reference in _text(told)


def test_petition_clock_is_ten_working_days_from_receipt(received):
    before = received.due_at
    _accept(received, "petition")
    assert received.sla_days == 10 and received.due_at == before  # the clock of receipt, not a new one


def test_complaint_acceptance_and_resolution_clocks(received, clock):
    # Acceptance: 10 working days from Monday 1 Feb 2027; Tết 4-10 Feb and the weekends do not count.
    assert received.due_at == _at(2027, 2, 22, 17, 0)
    _step(clock, (2027, 2, 12, 9, 0), _accept, received, "complaint")
    assert received.sla_days == 30 and "Điều 28" in received.legal_basis
    assert received.due_at == calendar.add_working_days(_at(2027, 2, 12, 9, 0), 30)
    head = officer("truongphong.00131")
    workflow.set_complex(head, received.id, received.version_id, True, "Nhiều đơn vị liên quan")
    db.session.commit()
    assert received.sla_days == 45 and received.due_at == calendar.add_working_days(_at(2027, 2, 12, 9, 0), 45)


@pytest.mark.parametrize(("remote", "complex_case", "days"), [(False, False, 30), (False, True, 45),
                                                              (True, False, 45), (True, True, 60)])
def test_remote_area_deadlines(received, remote, complex_case, days):
    db.session.get(Office, received.office_id).remote_area = remote
    db.session.commit()
    _accept(received, "complaint", complex_case=complex_case)
    assert received.sla_days == days
    assert ("vùng sâu" in received.legal_basis) == remote


def test_denunciation_goes_to_the_leadership_confidential(received):
    _accept(received, "denunciation")
    assert received.confidential and received.department_code == catalogue.LEADERSHIP
    with pytest.raises(NotFound):
        workflow.get_for(officer("truongphong.00131"), received.id)
    assert workflow.get_for(officer("giamsat.00131"), received.id) is received
    assert [m.recipient for m in _messages(received, "officer_notice")] == ["giamsat.00131@vss.gov.vn"]


def _consult(complaint, days=3, **kwargs):
    args = {"office_code": "00109", "department_code": "THU_SO_THE",
            "question": "Đề nghị xác nhận quá trình đóng tại đơn vị cũ 2015-2017.", "working_days": days, **kwargs}
    consult = workflow.open_consult(officer("canbo.00131"), complaint.id, complaint.version_id, **args)
    db.session.commit()
    return consult


def test_consult_blocks_the_close_and_its_answer_lands_on_the_owner(received):
    _answered(received)
    head = officer("truongphong.00131")
    workflow.approve(head, received.id, received.version_id)
    db.session.commit()
    consult = _consult(received)
    assert received.state == S.consulting and received.paused
    with pytest.raises(DomainError, match="phối hợp"):
        workflow.close(head, received.id, received.version_id)
    assert received.closed_at is None
    other = officer("canbo.00109")
    assert workflow.consult_inbox(other) == [consult]
    workflow.answer_consult(other, consult.id, "Đơn vị cũ đã đóng đủ 2015-2017, đã cập nhật.")
    db.session.commit()
    assert received.state == S.approved and not received.paused and received.office_id == head.office_id
    assert _events(received, "assignment") >= 2  # opened and answered, on the owner's timeline
    workflow.close(head, received.id, received.version_id)
    db.session.commit()
    assert received.state == S.closed


def test_consult_must_be_another_office_and_inside_the_owner_clock(received):
    _assigned(received)
    with pytest.raises(DomainError):
        _consult(received, office_code="00131")
    with pytest.raises(DomainError):
        _consult(received, days=60)  # beyond the owner's deadline
    with pytest.raises(NotFound):  # another department of the other office does not see it
        workflow.consult_for(officer("canbo.cs.00109"), _consult(received).id)


def test_consult_pause_and_resume_across_tet(received, clock):
    _step(clock, (2027, 2, 1, 10, 0), _assigned, received)
    assert received.due_at == _at(2027, 2, 22, 17, 0)
    _step(clock, (2027, 2, 3, 10, 0), _consult, received, 2)
    assert received.due_at is None and sla.status(received) == "paused"
    _step(clock, (2027, 2, 11, 10, 0), workflow.answer_consult, officer("canbo.00109"),
          received.consults[0].id, "Đã xác nhận quá trình đóng.")
    # Paused Wed 3 to Thu 11 Feb: Tết and the weekend cost nothing, the 11th one working day.
    assert received.due_at == _at(2027, 2, 23, 17, 0) and not received.paused


def test_overdue_consult_escalates_to_both_heads_exactly_once(received, clock):
    _assigned(received)
    consult = _consult(received, 2)
    assert workflow.escalate_overdue_consults(now=consult.due_at.replace(year=2026)) == 0
    assert workflow.escalate_overdue_consults(now=consult.due_at) == 1
    db.session.commit()
    for _ in range(2):
        assert workflow.escalate_overdue_consults(now=consult.due_at.replace(year=2028)) == 0
        db.session.commit()
    recipients = sorted(m.recipient for m in _messages(received, "officer_notice"))
    assert recipients == ["truongphong.00109@vss.gov.vn", "truongphong.00131@vss.gov.vn"]


def test_case_escalation_exactly_once(received):
    _assigned(received)
    due = received.due_at
    assert escalation.sweep_batch(now=due) == 2
    db.session.commit()
    for _ in range(2):
        assert escalation.sweep_batch(now=due.replace(year=2028)) == 0
        db.session.commit()
    assert received.flagged and _events(received, "escalation") == 1


def test_national_head_urges_without_acting(received):
    national = officer("truongphong.00001")
    assert workflow.get_for(national, received.id) is received
    workflow.urge(national, received.id, "Đề nghị giải quyết trước hạn")
    db.session.commit()
    assert [m.recipient for m in _messages(received, "officer_notice")] == ["truongphong.00131@vss.gov.vn"]
    assert received in workflow.national_page(national)
    with pytest.raises(DomainError):
        workflow.accept(national, received.id, received.version_id, "petition")
    with pytest.raises(DomainError):
        workflow.urge(officer("truongphong.00131"), received.id, "Tự đôn đốc")


def test_reopen_within_the_period_restarts_the_clock_on_the_same_reference(received, clock):
    _answered(received)
    head = officer("truongphong.00131")
    workflow.approve(head, received.id, received.version_id)
    _step(clock, (2027, 2, 15, 9, 0), workflow.close, head, received.id, received.version_id)
    with pytest.raises(NotFound):
        workflow.reopen(received.reference, "0999999999", "Chưa đồng ý")
    _step(clock, (2027, 3, 1, 9, 0), workflow.reopen, received.reference, "0912345678", "Chưa đồng ý với trả lời")
    assert received.state == S.reopened and received.closed_at is None and received.reopen_count == 1
    assert received.due_at == calendar.add_working_days(_at(2027, 3, 1, 9, 0), 10)
    workflow.assign(head, received.id, officer("canbo2.00131").id, "Giao cán bộ khác xem lại")
    db.session.commit()
    assert received.state == S.assigned


def test_reopen_after_the_period_is_refused(received, clock):
    _answered(received)
    head = officer("truongphong.00131")
    workflow.approve(head, received.id, received.version_id)
    _step(clock, (2027, 2, 15, 9, 0), workflow.close, head, received.id, received.version_id)
    clock.set(2027, 3, 20, 9, 0)
    with pytest.raises(DomainError, match="30 ngày"):
        workflow.reopen(received.reference, "0912345678", "Chưa đồng ý với trả lời")


def test_stale_page_and_wrong_state_are_conflicts(received):
    head = officer("truongphong.00131")
    with pytest.raises(Conflict):
        workflow.accept(head, received.id, received.version_id - 1, "petition")
    with pytest.raises(Conflict):
        workflow.approve(head, received.id, received.version_id)
