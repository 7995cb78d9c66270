"""flask demo seed: complaints in every state at the demo offices (idempotent), and --complaints N in bulk."""
from collections import Counter

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import (
    Complaint,
    ComplaintConsult,
    ComplaintDraft,
    ComplaintState,
    DepartmentCode,
    Office,
    Officer,
)
from backoffice.services import complaints, demo
from backoffice.services.casework import queue
from backoffice.services.complaints import demo as complaints_demo
from tests.conftest import DEMO_PASSWORD, login


def _seed():
    demo.seed_reissues(DEMO_PASSWORD)
    logins = demo.seed_complaints(DEMO_PASSWORD)
    db.session.commit()
    return logins


def _codes():
    return dict(db.session.execute(select(Office.id, Office.code)).all())


def test_seed_gives_every_state_at_both_offices_with_consults_between_them(demo_logins):
    logins = _seed()
    assert {login.username for login in logins} == {"truongphong.tn.00131", "truongphong.tn.00109"}
    codes = _codes()
    rows = db.session.scalars(select(Complaint)).all()
    for code in complaints_demo.OFFICES:
        mine = [c for c in rows if codes[c.office_id] == code]
        assert {c.state for c in mine} == set(ComplaintState), code
        # In triage: received, routed to the reception desk with a low confidence.
        triage = [c for c in mine if c.department_code == DepartmentCode.TIEP_NHAN]
        assert triage and all(c.state == ComplaintState.received and c.route_confidence < 0.5 for c in triage)
        assert {c.department_code for c in mine} >= {"THU_SO_THE", "CS_BHXH", "TIEP_NHAN"}
        approved = [c for c in mine if c.state == ComplaintState.approved]
        assert approved and all(c.letter_number and c.letter_number.endswith(f"TLPA-{code}") for c in approved)
        answered = [c for c in mine if c.state == ComplaintState.answered]
        assert max(len(c.drafts) for c in answered) == 2  # returned once: the case page has a diff to show
        assert all(c.drafts[-1].status == "submitted" for c in answered)
        consulting = next(c for c in mine if c.state == ComplaintState.consulting)
        (consult,) = consulting.consults
        assert codes[consult.office_id] != code and codes[consult.office_id] in complaints_demo.OFFICES
        assert consult.answered_at is None and consulting.paused and consulting.due_at is None
        reopened = next(c for c in mine if c.state == ComplaintState.reopened)
        assert reopened.reopen_count == 1 and reopened.closed_at is None and reopened.due_at is not None
        rejected = next(c for c in mine if c.state == ComplaintState.rejected_as_invalid)
        assert rejected.invalid_code == "NOT_REMIT" and rejected.closed_at is not None
        # Every open complaint has a deadline badge to show (paused only while consulting).
        assert all(c.due_at is not None for c in mine if c.closed_at is None and c.state != ComplaintState.consulting)
    # The consult inbox of each office's THU_SO_THE officers shows the other office's question.
    officer = db.session.scalar(select(Officer).where(Officer.username == "canbo.00109"))
    assert [codes[c.complaint.office_id] for c in complaints.workflow.consult_inbox(officer)] == ["00131"]
    # The department queue of 00131's THU_SO_THE has every open state of the department.
    office_id = next(i for i, c in codes.items() if c == "00131")
    page = complaints.department_page(office_id, "THU_SO_THE", queue.QueueFilters())
    assert {r.state for r in page} == {"received", "accepted", "assigned", "answered", "consulting", "approved",
                                       "reopened"}


def _references(**where):
    query = select(Complaint.reference).join(Office, Office.id == Complaint.office_id)
    for name, value in where.items():
        query = query.where(Office.code == value) if name == "office" else query.where(
            getattr(Complaint, name) == value)
    return set(db.session.scalars(query))


def test_every_complaint_screen_has_content_for_the_demo_logins(client, demo_logins):
    _seed()
    screens = (  # (login, page, references of which at least one, and none of the others, is listed)
        ("truongphong.00131", "/complaints/", _references(office="00131", department_code="THU_SO_THE")),
        ("canbo.00131", "/complaints/", _references(office="00131", department_code="THU_SO_THE")),
        ("truongphong.cs.00131", "/complaints/", _references(office="00131", department_code="CS_BHXH")),
        ("tiepnhan.00131", "/complaints/", _references(office="00131", department_code="TIEP_NHAN")),
        ("truongphong.tn.00109", "/complaints/", _references(office="00109", department_code="TIEP_NHAN")),
        ("canbo.00131", "/complaints/mine", _references(office="00131", department_code="THU_SO_THE")),
        ("canbo.cs.00109", "/complaints/mine", _references(office="00109", department_code="CS_BHXH")),
        ("canbo.00109", "/complaints/consults", _references(office="00131", state="consulting")),
        ("canbo2.00131", "/complaints/consults", _references(office="00109", state="consulting")),
        ("truongphong.00001", "/complaints/", _references(department_code="THU_SO_THE")),  # national follow-up
        ("giamsat.00131", "/complaints/?department=THU_SO_THE",
         _references(office="00131", department_code="THU_SO_THE")),
    )
    every = _references()
    for username, path, expected in screens:
        client.post("/logout")
        login(client, username)
        page = client.get(path)
        assert page.status_code == 200, (username, path)
        shown = {reference for reference in every if reference in page.get_data(as_text=True)}
        assert shown and shown <= expected, (username, path, shown)
    # The case page of the answered complaint with a returned draft shows both versions' diff.
    answered = next(c for c in db.session.scalars(select(Complaint).where(Complaint.state == "answered"))
                    if len(c.drafts) == 2)
    owner = db.session.get(Office, answered.office_id).code
    client.post("/logout")
    login(client, f"truongphong.{owner}")
    page = client.get(f"/complaints/{answered.id}").get_data(as_text=True)
    assert "Quá trình đóng đã được cập nhật đủ 14 tháng" in page and "Bổ sung số tháng" in page


def test_seeding_twice_adds_nothing(demo_logins):
    _seed()
    before = [db.session.scalar(select(func.count()).select_from(m))
              for m in (Complaint, ComplaintDraft, ComplaintConsult, Officer)]
    logins = _seed()
    assert len(logins) == 2
    assert [db.session.scalar(select(func.count()).select_from(m))
            for m in (Complaint, ComplaintDraft, ComplaintConsult, Officer)] == before
    assert before[0] == 2 * 16


def test_bulk_spreads_states_offices_and_officers_with_consistent_clocks(demo_logins):
    _seed()
    first = db.session.scalar(select(func.count()).select_from(Complaint))
    for done in demo.bulk_complaints(1500):
        db.session.commit()
    assert done == 1500
    rows = db.session.scalars(select(Complaint).where(Complaint.reference.like("B%"))).all()
    assert len(rows) == 1500 and len({c.reference for c in rows}) == 1500 and first == 32
    states = Counter(c.state for c in rows)
    assert set(states) == set(ComplaintState) and states["closed"] > states["approved"]
    assert len({c.office_id for c in rows}) == 6  # every office that receives complaints (not the national one)
    assert {c.department_code for c in rows} == {d.value for d in DepartmentCode}
    assignees = {c.assignee_id for c in rows if c.assignee_id}
    assert len(assignees) >= 10  # the demo officers of several offices and departments
    for c in rows:
        closed = c.state in ("closed", "rejected_as_invalid")
        assert (c.closed_at is not None) == closed
        if c.state == "consulting":
            assert c.paused and c.due_at is None and c.queue_due_at.year == 9999
        elif not closed:
            assert c.received_at < c.due_soon_at < c.due_at == c.queue_due_at
            assert c.sla_days in (10, 30) and c.legal_basis
        if c.state == "received":
            assert c.kind == "" and c.assignee_id is None
        elif c.kind:
            assert c.accepted_at is not None
        if c.assignee_id:
            officer = db.session.get(Officer, c.assignee_id)
            assert officer.office_id == c.office_id and officer.department.code == c.department_code
    drafts = {d.complaint_id for d in db.session.scalars(select(ComplaintDraft))}
    assert all(c.id in drafts for c in rows if c.state == "answered" and c.assignee_id)
    approved = [c for c in rows if c.state == "approved" and c.letter_number]
    assert approved and all(c.id in drafts and c.answer_text for c in approved)
    consults = {k.complaint_id: k for k in db.session.scalars(select(ComplaintConsult))}
    consulting = [c for c in rows if c.state == "consulting" and c.assignee_id]
    assert consulting and all(consults[c.id].office_id != c.office_id for c in consulting)
    assert len({consults[c.id].office_id for c in consulting}) >= 3  # spread over the other offices, not one inbox
    # A second bulk run continues the references.
    for _ in demo.bulk_complaints(10):
        db.session.commit()
    assert db.session.scalar(select(func.count(func.distinct(Complaint.reference)))) == 32 + 1510
