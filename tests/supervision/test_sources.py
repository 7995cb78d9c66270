"""Every case type is a decision source: reissue requests (a stratum per type, payout changes a risk stratum) and
complaint answers are drawn, shown blind, counted on the dashboard and listed behind its backlog numbers."""
# ruff: noqa: F811 - fixtures imported from the complaint tests
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Benefit, CaseEvent, OutboxMessage
from backoffice.models.supervision import AnomalyFlag, BacklogSnapshot
from backoffice.services import Conflict, DomainError, Forbidden
from backoffice.services.complaints import workflow as complaint_workflow
from backoffice.services.platform.calendar import local_date
from backoffice.services.reissue import demo, workflow
from backoffice.services.supervision import corrections, flags, rollups, sampling
from backoffice.services.supervision.sources import SOURCES, decisions_of
from tests.complaints.casework_fixtures import new_complaint, people, router  # noqa: F401
from tests.conftest import login
from tests.reissue.conftest import clock, officer, world  # noqa: F401

ANSWER = "Kính gửi ông An, cơ quan BHXH đã kiểm tra quá trình đóng của ông: đủ 72 tháng, đã cập nhật vào sổ."


def _do(call, *args):
    result = call(*args)
    db.session.commit()
    return result


def _reissue_decisions(world):
    card = demo.create_from_payload(world["card_pickup"])
    payout = demo.create_from_payload(world["payout"])
    db.session.commit()
    clerk, maker, checker = officer("canbo.00131"), officer("canbo.cs.00131"), officer("canbo2.cs.00131")
    _do(workflow.start, clerk, card.id, card.version_id)
    _do(workflow.complete, clerk, card.id, card.version_id)
    _do(workflow.start, maker, payout.id, payout.version_id)
    _do(workflow.confirm_identity, maker, payout.id, payout.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, payout.id, payout.version_id)
    _do(workflow.approve_payout_change, checker, payout.id, payout.version_id)
    return card, payout


def _approved_answer():
    complaint = new_complaint()
    head, clerk = officer("truongphong.00131"), officer("canbo.00131")
    _do(complaint_workflow.accept, head, complaint.id, complaint.version_id, "petition")
    _do(complaint_workflow.assign, head, complaint.id, clerk.id)
    _do(complaint_workflow.submit_draft, clerk, complaint.id, complaint.version_id, ANSWER)
    _do(complaint_workflow.approve, head, complaint.id, complaint.version_id)
    return complaint


def _entries(*actions):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(actions)).order_by(AuditEntry.id)).all()


def test_reissue_and_complaint_decisions_name_the_maker_checker_type_and_risk(world, people, router):
    card, payout = _reissue_decisions(world)
    complaint = _approved_answer()
    found = {(d.case_type, d.case_id): d for d in decisions_of(_entries(
        "reissue_completed", "reissue_cooling_off", "complaint_approved"))}
    card_d, payout_d = found[("reissue", card.id)], found[("reissue", payout.id)]
    assert (card_d.officer_id, card_d.checker_id, card_d.outcome) == (officer("canbo.00131").id, None, "approved")
    assert card_d.stratum_type == "reissue.bhyt_card" and card_d.department == "THU_SO_THE"
    # the second approval of a payout change: the maker decided, the checker confirmed; a risk stratum
    assert (payout_d.officer_id, payout_d.checker_id) == (officer("canbo.cs.00131").id, officer("canbo2.cs.00131").id)
    assert payout_d.risks == frozenset({"payout_change"}) and payout_d.department == "CS_BHXH"
    answer = found[("complaint", complaint.id)]
    assert (answer.officer_id, answer.checker_id) == (officer("canbo.00131").id, officer("truongphong.00131").id)


def test_a_sample_draws_from_every_case_type_blind_and_never_the_drawers_own(world, people, router):
    card, payout = _reissue_decisions(world)
    complaint = _approved_answer()
    day = local_date(_entries("complaint_approved")[-1].at)
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, day, day, method="fixed", fixed_count=5, seed=11)
    strata = {tuple(stratum.split("|")[:2]) for stratum in sample.strata}  # risk: the demo officers are new today
    clerk, maker = str(officer("canbo.00131").id), str(officer("canbo.cs.00131").id)
    assert {(clerk, "reissue.bhyt_card"), (maker, "reissue.payout_change"), (clerk, "complaint")} <= strata
    assert sample.strata[f"{officer('canbo.cs.00131').id}|reissue.payout_change|payout_change"]["high_risk"]
    assert sampling.replay(sample)[0]
    items = {(i.case_type, i.case_id): i for i in sample.items}
    assert {("reissue", card.id), ("reissue", payout.id), ("complaint", complaint.id)} <= set(items)
    # blind: the documents and checks, not the decision, the officers or the approval
    _item, _source, case = sampling.blind_case(supervisor, items[("reissue", payout.id)].id)
    shown = repr(case)
    assert case["checks"] and "canbo" not in shown and "cooling_off" not in shown and "Chờ hiệu lực" not in shown
    _item, _source, case = sampling.blind_case(supervisor, items[("complaint", complaint.id)].id)
    assert ANSWER in repr(case) and "truongphong" not in repr(case) and "approved" not in repr(case)
    # the maker of the payout change never re-reviews it, nor the head the answer they approved
    assert ("reissue", payout.id) not in {(i.case_type, i.case_id) for i in
                                         sampling.to_review(officer("canbo.cs.00131"), sample)}
    assert ("complaint", complaint.id) not in {(i.case_type, i.case_id) for i in
                                              sampling.to_review(officer("truongphong.00131"), sample)}


def test_the_dashboard_counts_reissues_and_complaints_and_their_backlog(world, people, router):
    _reissue_decisions(world)
    open_card = demo.create_from_payload(world["book"])
    _approved_answer()
    new_complaint(social_insurance_number="7900000002", phone="0912000002")
    db.session.commit()
    rollups.refresh()
    db.session.commit()
    day = local_date(_entries("complaint_approved")[-1].at)
    figures = rollups.dashboard(officer("giamsat.00100"), day, day, None)
    per_department = {o.key: o.decided for o in figures["per_department"]}
    assert per_department.get("CS_BHXH", 0) >= 1 and per_department.get("THU_SO_THE", 0) >= 2
    backlog = {(r.case_type, r.department) for r in db.session.scalars(select(BacklogSnapshot))}
    assert ("reissue", open_card.department_code) in backlog and any(t == "complaint" for t, _d in backlog)
    assert set(SOURCES) == {"declaration", "reissue", "complaint"}


def test_each_backlog_number_links_to_its_open_cases(world, people, router, client):
    _reissue_decisions(world)
    book = demo.create_from_payload(world["book"])
    complaint = new_complaint(social_insurance_number="7900000002", phone="0912000002")
    db.session.commit()
    rollups.refresh()
    db.session.commit()
    login(client, "giamsat.00100")
    page = client.get("/supervision/").text
    table = page.split('data-testid="backlog-table"')[1].split("</table>")[0]
    links = re.findall(r'href="([^"]+)"', table)
    assert links and any("case_type=reissue" in link for link in links) and any("case_type=complaint" in link
                                                                                for link in links)
    for link in links:  # no dead link: every number opens a list holding that many cases or more
        answer = client.get(link.replace("&amp;", "&"))
        assert answer.status_code == 200 and 'data-testid="open-cases"' in answer.text
    listed = client.get("/supervision/open-cases?bucket=0-1&case_type=reissue").text
    assert book.reference in listed and f"/reissue/{book.id}" in listed and complaint.reference not in listed
    listed = client.get("/supervision/open-cases?bucket=0-1&case_type=complaint").text
    assert complaint.reference in listed and book.reference not in listed
    assert client.get("/supervision/open-cases?bucket=nope").status_code == 400
    assert client.get("/supervision/open-cases?bucket=0-1&case_type=nope").status_code == 400
    assert client.get("/supervision/open-cases?bucket=30%2B").status_code == 200


def test_the_blind_pages_of_reissues_and_complaint_answers_render_without_names(world, people, router, client):
    _reissue_decisions(world)
    _approved_answer()
    day = local_date(_entries("complaint_approved")[-1].at)
    sample = sampling.draw(officer("giamsat.00100"), day, day, method="fixed", fixed_count=5, seed=3)
    db.session.commit()
    login(client, "giamsat.00100")
    for item in sample.items:
        page = client.get(f"/supervision/review/{item.id}")
        body = page.text.split('<main id="main"', 1)[1]
        assert page.status_code == 200 and 'data-testid="verdict-form"' in body
        for secret in ("canbo.00131", "canbo.cs.00131", "truongphong.00131", "Hoàn thành", "Chờ hiệu lực"):
            assert secret not in body, (item.case_type, secret)


def _disagree(item_key, sample, supervisor):
    item = next(i for i in sample.items if (i.case_type, i.case_id) == item_key)
    verdict = sampling.record_verdict(supervisor, item.id, "rejected", "Trả lời chưa đúng quy định hiện hành")
    db.session.commit()
    return item, verdict


def test_a_wrong_complaint_answer_and_a_wrong_reissue_decision_are_reopened_in_their_workflows(world, people,
                                                                                               router):
    card, _payout = _reissue_decisions(world)
    complaint = _approved_answer()
    day = local_date(_entries("complaint_approved")[-1].at)
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, day, day, method="fixed", fixed_count=5, seed=5)
    db.session.commit()
    item, verdict = _disagree(("complaint", complaint.id), sample, supervisor)
    assert corrections.correctors(supervisor, item) == []  # the complaint workflow chooses who answers again
    with pytest.raises(Conflict):  # approved, not yet closed: nothing to reopen yet
        corrections.settle(supervisor, verdict.id, "corrected", "Trả lời thiếu căn cứ pháp lý")
    db.session.rollback()
    _do(complaint_workflow.close, officer("canbo.00131"), complaint.id, complaint.version_id)
    corrections.settle(supervisor, verdict.id, "corrected", "Trả lời thiếu căn cứ pháp lý")
    db.session.commit()
    db.session.refresh(complaint)
    assert complaint.state == "reopened" and complaint.reopen_count == 1
    assert _entries("complaint_correction_opened")[0].details["after"] == "reopened"
    assert corrections.status(item, verdict) == ("waiting", None)

    item, verdict = _disagree(("reissue", card.id), sample, supervisor)
    clerk, other = officer("canbo.00131"), officer("canbo2.00131")
    choices = dict(corrections.correctors(supervisor, item))
    assert other.id in choices and clerk.id not in choices and supervisor.id not in choices
    with pytest.raises(DomainError):  # the officer who decided never decides again
        corrections.settle(supervisor, verdict.id, "corrected", "Thẻ cấp lại sai nơi khám chữa bệnh ban đầu", clerk.id)
    db.session.rollback()
    corrections.settle(supervisor, verdict.id, "corrected", "Thẻ cấp lại sai nơi khám chữa bệnh ban đầu", other.id)
    db.session.commit()
    db.session.refresh(card)
    # Back in the reissue workflow: processing in its department, held by the named officer, on a new clock.
    assert card.state == "processing" and card.assignee_id == other.id and card.closed_at is None
    assert card.due_at is not None and card.decided_by_id is None
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_type == "reissue", CaseEvent.case_id == card.id)
                               .order_by(CaseEvent.id.desc())).first()
    assert event.to_state == "processing" and event.from_state == "completed" and "sai nơi khám" in event.text \
        and event.actor_id == supervisor.id
    assert _entries("reissue_reopened")[-1].actor_id == supervisor.id
    opened = _entries("reissue_correction_opened")[-1]
    assert opened.details["before"] == "completed" and opened.details["after"] == "processing" \
        and opened.details["officer"] == other.id
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "reissue_status_changed",
                                                          OutboxMessage.case_id == str(card.id))).all()
    assert told and told[-1].context["status_label"] == "Đang xử lý"  # the citizen hears it is processed again
    assert corrections.status(item, verdict) == ("waiting", None)
    with pytest.raises(Conflict):  # one correction per disagreement
        corrections.settle(supervisor, verdict.id, "corrected", "Lần nữa cho chắc chắn", other.id)
    db.session.rollback()
    _do(workflow.reject, other, card.id, card.version_id, "OTHER", "Thẻ cần cấp theo nơi khám chữa bệnh đã đăng ký")
    assert corrections.status(item, verdict) == ("decided", "rejected")


def test_correcting_a_payout_change_stops_it_or_restores_the_previous_payout(world, people, router):
    _card, payout = _reissue_decisions(world)
    day = local_date(_entries("reissue_cooling_off")[-1].at)
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, day, day, method="fixed", fixed_count=5, seed=5)
    db.session.commit()
    maker, checker, head = officer("canbo.cs.00131"), officer("canbo2.cs.00131"), officer("truongphong.cs.00131")
    item, verdict = _disagree(("reissue", payout.id), sample, supervisor)
    assert {maker.id, checker.id}.isdisjoint(dict(corrections.correctors(supervisor, item)))
    corrections.settle(supervisor, verdict.id, "corrected", "Tài khoản nhận không đứng tên người hưởng", head.id)
    db.session.commit()
    db.session.refresh(payout)
    # Reopened during the cooling-off: it never takes effect, and the maker-checker starts over.
    assert payout.state == "processing" and payout.effective_at is None and payout.approved_by_id is None \
        and payout.proposed_by_id is None and payout.identity_checked_by_id is None
    with pytest.raises(Conflict):
        workflow.apply_payout_change(payout.id)
    db.session.rollback()


def test_an_applied_payout_change_reopened_has_the_previous_payout_restored(world, clock):
    payout = demo.create_from_payload(world["payout"])
    db.session.commit()
    maker, checker, head = officer("canbo.cs.00131"), officer("canbo2.cs.00131"), officer("truongphong.cs.00131")
    _do(workflow.start, maker, payout.id, payout.version_id)
    _do(workflow.confirm_identity, maker, payout.id, payout.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, payout.id, payout.version_id)
    _do(workflow.approve_payout_change, checker, payout.id, payout.version_id)
    benefit = db.session.scalar(select(Benefit).where(Benefit.social_insurance_number ==
                                                      payout.social_insurance_number))
    before = {column: getattr(benefit, column) for column in workflow.PAYOUT_COLUMNS}
    clock.moment = payout.effective_at.astimezone(clock.moment.tzinfo)
    _do(workflow.apply_payout_change, payout.id, payout.effective_at)
    assert {column: getattr(benefit, column) for column in workflow.PAYOUT_COLUMNS} != before
    supervisor = officer("giamsat.00100")
    with pytest.raises(DomainError):  # the maker does not decide again
        workflow.reopen_for_correction(supervisor, payout.id, "Tài khoản không đứng tên người hưởng", maker.id)
    db.session.rollback()
    with pytest.raises(Forbidden):  # only a supervisor corrects
        workflow.reopen_for_correction(head, payout.id, "Tài khoản không đứng tên người hưởng", head.id)
    db.session.rollback()
    _do(workflow.reopen_for_correction, supervisor, payout.id, "Tài khoản không đứng tên người hưởng", head.id)
    db.session.refresh(benefit)
    assert {column: getattr(benefit, column) for column in workflow.PAYOUT_COLUMNS} == before
    assert payout.state == "processing" and payout.assignee_id == head.id
    with pytest.raises(Conflict):  # processing again: nothing settled to reopen
        workflow.reopen_for_correction(supervisor, payout.id, "Tài khoản không đứng tên người hưởng", head.id)
    db.session.rollback()


def test_self_approval_attempts_on_reissues_and_complaints_are_audited_and_flagged(world, people, router, client):
    """The desks refuse a maker's own second approval and a head's approval of their own answer; the refused attempt
    is audited (after the rollback) and the self-approval rule flags it."""
    payout = demo.create_from_payload(world["payout"])
    db.session.commit()
    maker, head = officer("canbo.cs.00131"), officer("truongphong.00131")
    _do(workflow.start, maker, payout.id, payout.version_id)
    _do(workflow.confirm_identity, maker, payout.id, payout.version_id, "Đối chiếu ảnh và căn cước gốc tại quầy")
    _do(workflow.propose_payout_change, maker, payout.id, payout.version_id)
    complaint = new_complaint()
    _do(complaint_workflow.accept, head, complaint.id, complaint.version_id, "petition")
    _do(complaint_workflow.assign, head, complaint.id, head.id)
    _do(complaint_workflow.submit_draft, head, complaint.id, complaint.version_id, ANSWER)
    login(client, "canbo.cs.00131")
    refused = client.post(f"/reissue/{payout.id}/approve", data={"version_id": payout.version_id})
    db.session.expire_all()
    assert refused.status_code in (303, 422) and db.session.get(type(payout), payout.id).state == \
        "awaiting_second_approval"
    client.post("/logout")
    login(client, "truongphong.00131")
    refused = client.post(f"/complaints/{complaint.id}/approve", data={"version_id": complaint.version_id})
    db.session.expire_all()
    assert refused.status_code in (303, 422) and db.session.get(type(complaint), complaint.id).state == "answered"
    (reissue_entry,) = _entries("reissue_self_approval_refused")
    (complaint_entry,) = _entries("complaint_self_approval_refused")
    assert (reissue_entry.actor_id, reissue_entry.object_id) == (maker.id, str(payout.id))
    assert (complaint_entry.actor_id, complaint_entry.object_id) == (head.id, str(complaint.id))
    flags.detect(days=1)
    db.session.commit()
    flagged = {(f.officer_id, c.case_type, c.case_id) for f in db.session.scalars(
        select(AnomalyFlag).where(AnomalyFlag.rule == "self_approval")) for c in f.cases}
    assert flagged == {(maker.id, "reissue", payout.id), (head.id, "complaint", complaint.id)}
    # in words in the audit log
    client.post("/logout")
    login(client, "giamsat.00100")
    log = client.get("/supervision/audit", query_string={"action": "complaint_self_approval_refused"}).text
    assert "Tự duyệt văn bản trả lời phản ánh do mình soạn (bị từ chối)" in log
