"""The supervision jobs: rollups, flags (hourly), the audit chain check shown on the audit page; cron wiring."""
from datetime import timedelta

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models.base import utcnow
from backoffice.models.supervision import AnomalyFlag, DailyRollup
from backoffice.tasks.supervision import detect_flags, verify_audit_chain
from tests.conftest import login


def test_flag_job_refreshes_rollups_and_is_idempotent(desk):
    desk.decide("tiepnhan.00131", review_seconds=4, at=utcnow() - timedelta(hours=3))
    assert detect_flags() >= 1
    assert detect_flags() == 0
    assert db.session.scalar(select(func.count()).select_from(AnomalyFlag).where(AnomalyFlag.rule == "fast")) == 1
    assert db.session.scalar(select(func.sum(DailyRollup.decided)).where(DailyRollup.officer_id == 0)) == 1


def test_chain_check_is_shown_on_the_audit_page(desk, client):
    desk.decide("tiepnhan.00131")
    assert verify_audit_chain() is True
    login(client, "giamsat.00100")
    page = client.get("/supervision/audit").get_data(as_text=True)
    assert "Chuỗi nguyên vẹn" in page
    assert client.post("/supervision/audit/verify").status_code == 303


def test_cron_registers_the_supervision_jobs():
    from rq import cron

    import backoffice.tasks.cron  # noqa: F401 - registers on import

    registered = {job["name"]: job["func"] for job in cron._job_data_registry}
    assert registered["supervision-rollups"].__name__ == "refresh_rollups"
    assert registered["supervision-flags"] is detect_flags and registered["audit-verify"] is verify_audit_chain
