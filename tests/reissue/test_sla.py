"""The SLA clock on the business calendar: pauses rebuilt from events, Tết, calendar edits, warning, escalation."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import CaseEvent, OutboxMessage
from backoffice.services.casework import escalation, sla
from backoffice.services.platform import calendar
from backoffice.services.reissue import demo, workflow
from tests.reissue.conftest import officer

VN = calendar.BUSINESS_TZ


def _at(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def transfer(world, clock):
    """A pension transfer (5 working days) received Monday 1 February 2027, 09:00, just before Tết."""
    clock.set(2027, 2, 1, 9, 0)
    calendar.load_year(2027)
    payload = {**world["transfer"], "start_month": "2027-03"}
    request = demo.create_from_payload(payload)
    db.session.commit()
    return request


def _step(clock, moment, call, *args):
    clock.set(*moment)
    request = call(*args)
    db.session.commit()
    return request


def test_deadline_and_basis_are_stored_on_the_case(transfer):
    assert transfer.sla_days == 5 and "Điều 115" in transfer.legal_basis
    assert transfer.due_at == _at(2027, 2, 8 + 7, 17, 0)  # 2, 3, (Tết 4-10), 11, 12, 15


def test_pause_across_tet_counts_only_working_days(transfer, clock):
    cs = officer("canbo.cs.00131")
    _step(clock, (2027, 2, 1, 9, 30), workflow.start, cs, transfer.id, transfer.version_id)
    _step(clock, (2027, 2, 3, 10, 0), workflow.await_citizen, cs, transfer.id, transfer.version_id, "counter_visit")
    assert transfer.paused and transfer.due_at is None and sla.status(transfer) == "paused"
    _step(clock, (2027, 2, 11, 10, 0), workflow.resume, cs, transfer.id, transfer.version_id)
    # Paused from Wed 3 Feb to Thu 11 Feb: Tết (4-10 Feb) and the weekend cost nothing, the 11th one day.
    assert sla.paused_working_days(_at(2027, 2, 3, 10), _at(2027, 2, 11, 10)) == 1
    assert transfer.due_at == _at(2027, 2, 16, 17, 0)
    assert not transfer.paused


def test_pause_and_resume_the_same_day_costs_nothing(transfer, clock):
    cs = officer("canbo.cs.00131")
    before = transfer.due_at
    _step(clock, (2027, 2, 1, 9, 30), workflow.start, cs, transfer.id, transfer.version_id)
    _step(clock, (2027, 2, 1, 10, 0), workflow.await_citizen, cs, transfer.id, transfer.version_id, "counter_visit")
    _step(clock, (2027, 2, 1, 15, 0), workflow.resume, cs, transfer.id, transfer.version_id)
    assert transfer.due_at == before


def test_paused_time_is_rebuilt_from_events_not_a_counter(transfer, clock):
    """Two pauses, then the stored deadline is wiped: recomputing from the events gives it back exactly."""
    cs = officer("canbo.cs.00131")
    _step(clock, (2027, 2, 1, 9, 30), workflow.start, cs, transfer.id, transfer.version_id)
    _step(clock, (2027, 2, 1, 11, 0), workflow.await_citizen, cs, transfer.id, transfer.version_id, "counter_visit")
    _step(clock, (2027, 2, 2, 11, 0), workflow.resume, cs, transfer.id, transfer.version_id)
    _step(clock, (2027, 2, 2, 14, 0), workflow.await_citizen, cs, transfer.id, transfer.version_id, "more_information")
    _step(clock, (2027, 2, 3, 9, 0), workflow.resume, cs, transfer.id, transfer.version_id)
    expected = transfer.due_at
    assert expected == calendar.add_working_days(_at(2027, 2, 1, 9), 5 + 2)
    transfer.due_at = None
    sla.apply(transfer)
    assert transfer.due_at == expected
    assert [p.reason for p in sla.pauses("reissue", transfer.id)] == ["awaiting_citizen", "awaiting_citizen"]


def test_calendar_edit_moves_the_deadline(transfer, clock):
    admin = officer("quantri.00001")
    calendar.set_day(admin, date(2027, 2, 12), False, "Nghỉ bù Tết (thử nghiệm)")
    pending = [job for job in db.session.info.get("backoffice_pending_jobs", [])
               if job[1] == "backoffice.tasks.casework.recompute_deadlines"]
    assert pending and pending[0][2] == ("2027-02-12",)  # the recompute runs after the edit commits
    db.session.commit()
    assert sla.recompute_affected(date(2027, 2, 12)) == 1
    db.session.commit()
    assert transfer.due_at == _at(2027, 2, 16, 17, 0)
    calendar.clear_day(admin, date(2027, 2, 12))
    sla.recompute_affected(date(2027, 2, 12))
    db.session.commit()
    assert transfer.due_at == _at(2027, 2, 15, 17, 0)


def _events(request, kind):
    return db.session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == request.id, CaseEvent.kind == kind))


def test_warning_at_75_percent(transfer):
    assert transfer.due_soon_at < transfer.due_at
    elapsed = (transfer.due_soon_at - transfer.clock_started_at) / (transfer.due_at - transfer.clock_started_at)
    assert abs(elapsed - 0.75) < 0.001
    escalation.sweep_batch(now=transfer.due_soon_at - (transfer.due_soon_at - transfer.clock_started_at) / 100)
    db.session.commit()
    assert transfer.warned_at is None
    assert escalation.sweep_batch(now=transfer.due_soon_at) == 1
    db.session.commit()
    assert transfer.warned_at is not None and _events(transfer, "warning") == 1
    assert sla.status(transfer, transfer.due_soon_at) == "due_soon"
    assert escalation.sweep_batch(now=transfer.due_soon_at) == 0


def test_escalation_once_and_only_once(transfer):
    due = transfer.due_at
    assert escalation.sweep_batch(now=due) == 2  # warned and escalated in the same run
    db.session.commit()
    assert transfer.flagged and transfer.escalated_at is not None
    notices = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.event == "officer_notice", OutboxMessage.case_id == str(transfer.id))).all()
    recipients = sorted(m.recipient for m in notices)
    assert recipients == ["giamsat.00131@vss.gov.vn", "truongphong.cs.00131@vss.gov.vn"]
    for _ in range(3):
        assert escalation.sweep_batch(now=due.replace(year=2028)) == 0
        db.session.commit()
    assert _events(transfer, "escalation") == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.event == "officer_notice", OutboxMessage.case_id == str(transfer.id))) == 2


def test_sweep_reads_only_the_cases_due(transfer):
    """The sweep finds its rows through the partial indexes (the plan names them), not a scan of all cases."""
    db.session.execute(db.text("SET LOCAL enable_seqscan = off"))  # a tiny table: make the planner show its index
    plan = "\n".join(db.session.execute(db.text(
        "EXPLAIN SELECT id FROM reissue_requests WHERE closed_at IS NULL AND escalated_at IS NULL "
        "AND due_at IS NOT NULL AND due_at <= now() ORDER BY due_at LIMIT 500")).scalars())
    assert "ix_reissue_requests_to_escalate" in plan


def test_many_cases_due_at_once_make_one_digest_per_recipient(world):
    transfer, payout = demo.create_from_payload(world["transfer"]), demo.create_from_payload(world["payout"])
    db.session.commit()
    assert escalation.sweep_batch(now=max(transfer.due_at, payout.due_at)) == 4
    db.session.commit()
    notices = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "officer_notice")).all()
    assert sorted(m.recipient for m in notices) == ["giamsat.00131@vss.gov.vn", "truongphong.cs.00131@vss.gov.vn"]
    assert {m.case_type for m in notices} == {"reissue_digest"}
    assert transfer.reference in notices[0].context["body"] and payout.reference in notices[0].context["body"]
    assert _events(transfer, "escalation") == _events(payout, "escalation") == 1
