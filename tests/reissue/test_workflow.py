"""Every step of the four services, the access rules, and the payout change's safeguards."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Benefit, HealthCard, InsuranceBook, OutboxMessage, ReissueState
from backoffice.services import Conflict, DomainError, NotFound, reissue
from backoffice.services.casework import cases, queue
from backoffice.services.reissue import demo, workflow
from tests.reissue.conftest import officer
from tests.reissue.test_api import jpeg

S = ReissueState


def _new(payload):
    request = demo.create_from_payload(payload)
    db.session.commit()
    return request


def _do(call, *args, **kwargs):
    result = call(*args, **kwargs)
    db.session.commit()
    return result


def _benefit(request):
    return db.session.scalar(select(Benefit).where(Benefit.social_insurance_number == request.social_insurance_number))


def _messages(request, event="reissue_status_changed"):
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == str(request.id), OutboxMessage.event == event)).all()


def test_intake_routes_to_the_department_runs_checks_and_tells_the_citizen(world):
    card = _new(world["card_pickup"])
    assert card.department_code == "THU_SO_THE" and card.state == S.received and card.sla_days == 0
    assert {c["code"]: c["status"] for c in card.checks} == {
        "card_current": "pass", "reissues_12_months": "pass", "pending_same_type": "pass"}
    assert {m.channel.value for m in _messages(card)} == {"sms", "email"}
    transfer = _new(world["transfer"])
    assert transfer.department_code == "CS_BHXH" and transfer.sla_days == 5


def test_a_second_pending_request_of_the_same_type_fails_its_check(world):
    _new(world["card_pickup"])
    second = _new(world["card_pickup"])
    assert {c["code"]: c["status"] for c in second.checks}["pending_same_type"] == "fail"
    officer_ = officer("canbo.00131")
    _do(workflow.start, officer_, second.id, second.version_id)
    with pytest.raises(DomainError):
        workflow.complete(officer_, second.id, second.version_id)
    db.session.rollback()
    _do(workflow.reject, officer_, second.id, second.version_id, "DUPLICATE")
    assert second.state == S.rejected and second.closed_at is not None
    assert "đang được xử lý" in second.rejection_text


def test_card_pickup_received_processing_completed(world):
    card = _new(world["card_pickup"])
    clerk = officer("canbo.00131")
    _do(workflow.start, clerk, card.id, card.version_id)
    assert card.state == S.processing and card.assignee_id == clerk.id
    _do(workflow.complete, clerk, card.id, card.version_id)
    assert card.state == S.completed and card.result["reissue_count"] == 1
    assert db.session.scalar(select(HealthCard.reissue_count).where(
        HealthCard.social_insurance_number == card.social_insurance_number)) == 1
    assert len(_messages(card)) == 6  # received, processing, completed: SMS and email each


def test_card_by_post_shipped_then_delivered_or_returned_by_the_webhook(world):
    card = _new(world["card_post"])
    clerk = officer("canbo.00131")
    _do(workflow.start, clerk, card.id, card.version_id)
    with pytest.raises(DomainError):
        workflow.ship(clerk, card.id, card.version_id, "   ")
    db.session.rollback()
    _do(workflow.ship, clerk, card.id, card.version_id, "eb123456789vn")
    assert card.state == S.shipped and card.tracking_number == "EB123456789VN" and card.paused
    assert workflow.record_delivery("EB000", "delivered") is None
    _do(workflow.record_delivery, "EB123456789VN", "returned")
    assert card.state == S.returned
    _do(workflow.ship, clerk, card.id, card.version_id, "EB987654321VN")
    _do(workflow.record_delivery, "EB987654321VN", "delivered")
    assert card.state == S.delivered and card.closed_at is not None


def test_returned_card_collected_at_the_office(world):
    card = _new(world["card_post"])
    clerk = officer("canbo.00131")
    _do(workflow.start, clerk, card.id, card.version_id)
    _do(workflow.ship, clerk, card.id, card.version_id, "EB1VN")
    _do(workflow.record_delivery, "EB1VN", "returned")
    _do(workflow.complete, clerk, card.id, card.version_id)
    assert card.state == S.completed
    assert card.result["reissue_count"] == 1  # issued once, not again on collection


def test_card_with_data_change_gets_three_days_and_needs_proof(world):
    payload = {**world["card_pickup"], "data_change": ["full_name"]}
    with pytest.raises(DomainError) as refused:
        demo.create_from_payload(payload)
    assert "proof" in refused.value.fields
    card = demo.create_from_payload(payload, {"proof": [jpeg()]})
    db.session.commit()
    assert card.sla_days == 3 and card.data_change and [d.kind for d in card.documents] == ["proof"]


def test_book_awaiting_citizen_resume_verification_and_completion(world):
    book = _new(world["book"])
    clerk = officer("canbo.00131")
    _do(workflow.start, clerk, book.id, book.version_id)
    _do(workflow.await_citizen, clerk, book.id, book.version_id, "counter_visit")
    assert book.state == S.awaiting_citizen and book.paused
    assert "căn cước gốc" in _messages(book)[-1].context["next_step"]
    _do(workflow.resume, clerk, book.id, book.version_id)
    assert book.sla_days == 10
    with pytest.raises(DomainError):
        workflow.needs_verification(clerk, book.id, book.version_id, "ngắn")
    db.session.rollback()
    _do(workflow.needs_verification, clerk, book.id, book.version_id, "Quá trình đóng 1998-2003 tại công ty cũ")
    assert book.sla_days == 45 and "xác minh" in book.legal_basis
    _do(workflow.complete, clerk, book.id, book.version_id)
    assert book.state == S.completed
    assert db.session.scalar(select(InsuranceBook.reissue_count).where(
        InsuranceBook.social_insurance_number == book.social_insurance_number)) == 1


def test_book_needing_verification_starts_with_45_days(world):
    payload = {**world["book"], "social_insurance_number": "7900000004", "full_name": "Phạm Thị Thu Hằng",
               "date_of_birth": "1985-01-09"}
    book = _new(payload)
    assert book.verification_needed and book.sla_days == 45


def test_pension_transfer_hand_off_between_two_offices(world):
    transfer = _new(world["transfer"])
    origin, destination = officer("canbo.cs.00131"), officer("canbo.cs.00109")
    # The destination does not see it before it is sent... and never through its department queue's owner view.
    assert workflow.can_read(destination, transfer)
    assert not workflow.can_act(destination, transfer)
    _do(workflow.start, origin, transfer.id, transfer.version_id)
    with pytest.raises(DomainError):
        workflow.acknowledge_transfer(destination, transfer.id, transfer.version_id)
    db.session.rollback()
    _do(workflow.send_to_destination, origin, transfer.id, transfer.version_id)
    assert transfer.state == S.awaiting_destination and transfer.office_id == origin.office_id
    with pytest.raises(DomainError):
        workflow.acknowledge_transfer(origin, transfer.id, transfer.version_id)
    db.session.rollback()
    _do(workflow.acknowledge_transfer, destination, transfer.id, transfer.version_id)
    benefit = _benefit(transfer)
    start = transfer.payload["start_month"]
    assert transfer.state == S.completed and benefit.paying_office_id == destination.office_id
    assert benefit.paying_from_month == start and benefit.previous_office_id == origin.office_id
    assert benefit.previous_office_last_month < start


def test_pension_transfer_refused_without_a_benefit_here(world):
    payload = {**world["transfer"], "social_insurance_number": "7900000003", "full_name": "Lê Hoàng Phúc",
               "date_of_birth": "1990-11-23"}
    transfer = _new(payload)
    assert {c["code"]: c["status"] for c in transfer.checks}["benefit_here"] == "fail"
    cs = officer("canbo.cs.00131")
    _do(workflow.start, cs, transfer.id, transfer.version_id)
    with pytest.raises(DomainError):
        workflow.send_to_destination(cs, transfer.id, transfer.version_id)
    db.session.rollback()
    _do(workflow.reject, cs, transfer.id, transfer.version_id, "NO_BENEFIT_HERE")
    assert transfer.state == S.rejected


@pytest.fixture
def payout(world):
    request = _new(world["payout"])
    maker, checker = officer("canbo.cs.00131"), officer("canbo2.cs.00131")
    _do(workflow.start, maker, request.id, request.version_id)
    return request, maker, checker


def test_payout_change_sms_goes_to_the_phone_registered_before(world):
    payload = {**world["payout"], "phone": "0987654321"}  # a new number in the request: the attacker's, perhaps
    request = _new(payload)
    alerts = _messages(request, "reissue_payout_change_requested")
    assert [m.recipient for m in alerts if m.channel.value == "sms"] == ["0912000001"]


def test_payout_change_needs_identity_check_and_a_second_officer(payout):
    request, maker, checker = payout
    with pytest.raises(DomainError):
        workflow.propose_payout_change(maker, request.id, request.version_id)
    db.session.rollback()
    _do(workflow.confirm_identity, maker, request.id, request.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, request.id, request.version_id)
    assert request.state == S.awaiting_second_approval
    with pytest.raises(DomainError):
        workflow.approve_payout_change(maker, request.id, request.version_id)
    db.session.rollback()
    with pytest.raises(Conflict):  # without the second approval it cannot take effect
        workflow.apply_payout_change(request.id, request.received_at + timedelta(days=60))
    db.session.rollback()
    _do(workflow.approve_payout_change, checker, request.id, request.version_id)
    assert request.state == S.cooling_off and request.approved_by_id == checker.id
    assert request.effective_at > request.received_at + timedelta(days=2)
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(request.id))))
    assert {"reissue_received", "reissue_identity_confirmed", "reissue_awaiting_second_approval",
            "reissue_cooling_off"} <= actions


def test_payout_change_takes_effect_only_after_cooling_off(payout):
    request, maker, checker = payout
    _do(workflow.confirm_identity, maker, request.id, request.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, request.id, request.version_id)
    _do(workflow.approve_payout_change, checker, request.id, request.version_id)
    just_before = request.effective_at - timedelta(seconds=1)
    with pytest.raises(DomainError):
        workflow.apply_payout_change(request.id, just_before)
    db.session.rollback()
    assert _do(workflow.apply_due_payout_changes, just_before) == 0
    benefit = _benefit(request)
    assert benefit.payout_method == "cash"
    assert _do(workflow.apply_due_payout_changes, request.effective_at) == 1
    assert request.state == S.completed
    assert benefit.payout_method == "bank" and benefit.bank_code == "VCB"
    assert _do(workflow.apply_due_payout_changes, request.effective_at + timedelta(days=9)) == 0


def test_citizen_stops_payout_change_during_cooling_off(payout):
    request, maker, checker = payout
    _do(workflow.confirm_identity, maker, request.id, request.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, request.id, request.version_id)
    _do(workflow.approve_payout_change, checker, request.id, request.version_id)
    _do(workflow.stop_payout_change, maker, request.id, request.version_id, "Cụ gọi tổng đài: không yêu cầu")
    assert request.state == S.cancelled
    assert _do(workflow.apply_due_payout_changes, request.effective_at + timedelta(days=1)) == 0
    benefit = _benefit(request)
    assert benefit.payout_method == "cash"


def test_checker_returns_the_proposal(payout):
    request, maker, checker = payout
    _do(workflow.confirm_identity, maker, request.id, request.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, request.id, request.version_id)
    _do(workflow.return_payout_change, checker, request.id, request.version_id, "Ảnh căn cước mờ")
    assert request.state == S.processing and request.identity_checked_by_id is None


def test_account_holder_name_must_match_with_diacritics_folded(world):
    ok = _new({**world["payout"], "account_holder": "Trần Thị Bích Ngọc"})
    assert {c["code"]: c["status"] for c in ok.checks}["account_holder"] == "pass"
    bad = _new({**world["payout"], "account_holder": "NGUYEN VAN KHAC"})
    assert {c["code"]: c["status"] for c in bad.checks}["account_holder"] == "fail"


def test_access_rules(world):
    card, transfer = _new(world["card_pickup"]), _new(world["transfer"])
    assert workflow.get_for(officer("canbo.00131"), card.id)
    for username in ("canbo.00109", "canbo.cs.00131", "tiepnhan.00131", "quantri.00001"):
        with pytest.raises(NotFound):
            workflow.get_for(officer(username), card.id)
    assert workflow.get_for(officer("giamsat.00100"), card.id)  # a supervisor above
    with pytest.raises(NotFound):
        workflow.get_for(officer("giamsat.05600"), card.id)  # another province
    national_head = officer("truongphong.00001")  # THU_SO_THE at the national office: reads, never acts
    assert workflow.get_for(national_head, card.id)
    with pytest.raises(DomainError):
        workflow.start(national_head, card.id, card.version_id)
    db.session.rollback()
    with pytest.raises(DomainError):
        workflow.start(officer("giamsat.00131"), card.id, card.version_id)
    db.session.rollback()
    assert workflow.get_for(officer("canbo.cs.00109"), transfer.id)  # the destination office


def test_stale_page_is_a_conflict(world):
    card = _new(world["card_pickup"])
    clerk = officer("canbo.00131")
    version = card.version_id
    _do(workflow.start, clerk, card.id, version)
    with pytest.raises(Conflict):
        workflow.complete(clerk, card.id, version)


def test_take_next_assign_reassign_and_queue_order(world):
    a, b = _new(world["transfer"]), _new(world["payout"])
    head, first, second = officer("truongphong.cs.00131"), officer("canbo.cs.00131"), officer("canbo2.cs.00131")
    rows = reissue.department_page(a.office_id, "CS_BHXH", queue.QueueFilters())
    assert [r.id for r in rows] == sorted([a.id, b.id], key=lambda i: (db.session.get(type(a), i).queue_due_at, i))
    taken = _do(workflow.take_next, first)
    assert taken.id == rows[0].id and taken.assignee_id == first.id and taken.state == S.processing
    other = db.session.get(type(a), rows[1].id)  # list rows are plain rows; the case itself to follow
    with pytest.raises(DomainError):
        workflow.assign(first, other.id, second.id)  # only the head assigns
    db.session.rollback()
    _do(workflow.assign, head, other.id, first.id)
    with pytest.raises(DomainError) as refused:
        workflow.assign(head, other.id, second.id, "")
    assert refused.value.field == "reason"
    db.session.rollback()
    _do(workflow.assign, head, other.id, second.id, "Cân đối khối lượng việc")
    assert other.assignee_id == second.id
    assert [r.id for r in reissue.my_page(second)] == [other.id]
    mine = reissue.department_page(a.office_id, "CS_BHXH", queue.QueueFilters(assignee=str(second.id)))
    assert [r.id for r in mine] == [other.id]
    assert _do(workflow.take_next, first) is None
    with pytest.raises(DomainError):
        workflow.assign(head, other.id, officer("canbo.00131").id, "Sai phòng")  # another department's officer
    db.session.rollback()


def test_internal_notes_are_kept_apart_from_the_timeline(world):
    card = _new(world["card_pickup"])
    clerk = officer("canbo.00131")
    _do(workflow.add_note, clerk, card.id, "Công dân gọi điện hỏi tiến độ")
    assert [n.text for n in cases.notes(card)] == ["Công dân gọi điện hỏi tiến độ"]
    assert all(e.kind != "note" for e in cases.timeline(card))
    assert all("tiến độ" not in str(m.context) for m in _messages(card))


def test_national_head_urges_through_a_note_but_never_acts(world):
    card = _new(world["card_pickup"])
    national_head = officer("truongphong.00001")
    _do(workflow.add_note, national_head, card.id, "Đề nghị xử lý trong ngày")
    assert [n.actor_label for n in cases.notes(card)] == ["truongphong.00001"]
    assert not workflow.can_act(national_head, card)
