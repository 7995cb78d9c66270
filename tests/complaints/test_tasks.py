"""The overdue-consult sweep as the job runs it: scheduled with rq cron and in-process, idempotent (exactly once)."""
# ruff: noqa: F811 - fixtures imported from casework_fixtures
from sqlalchemy import select

from backoffice import jobs
from backoffice.extensions import db
from backoffice.models import ComplaintConsult, OutboxMessage
from backoffice.tasks import complaints as complaint_tasks
from tests.complaints.casework_fixtures import clock, new_complaint, officer, people, router  # noqa: F401
from tests.complaints.test_workflow import _assigned, _consult


def test_the_job_escalates_an_overdue_consult_exactly_once(people, clock, router):
    complaint = _assigned(new_complaint())
    consult = _consult(complaint, 2)
    assert complaint_tasks.escalate_overdue_consults() == 0  # not due yet
    clock.set(2027, 2, 26, 9, 0)  # after Tết and past the two working days
    assert complaint_tasks.escalate_overdue_consults() == 1
    assert complaint_tasks.escalate_overdue_consults() == 0
    db.session.expire_all()
    assert db.session.get(ComplaintConsult, consult.id).escalated_at is not None
    notices = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "officer_notice",
                                                             OutboxMessage.case_id == str(complaint.id))).all()
    assert len(notices) == 2


def test_the_sweep_is_scheduled_both_ways():
    from rq import cron

    import backoffice.tasks.cron  # noqa: F401 - registers the cron jobs

    registered = {job["name"]: job["func"] for job in cron._job_data_registry}
    assert registered["complaint-consult-sweep"] is complaint_tasks.escalate_overdue_consults
    dotted = {name for name, _, _ in jobs.IN_PROCESS_PERIODIC}
    assert "backoffice.tasks.complaints.escalate_overdue_consults" in dotted
