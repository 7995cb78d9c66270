"""Casework jobs: the deadline sweep (rq cron, or in-process under `make run`) and deadline recomputation."""
from datetime import date

from backoffice.extensions import db
from backoffice.services.casework import escalation, sla
from backoffice.services.platform import calendar


def sweep_deadlines():
    """Mark cases due soon and escalate overdue ones, a batch per transaction until none is left."""
    while escalation.sweep_batch():
        db.session.commit()
    db.session.commit()


def recompute_deadlines(day):
    """Recompute the open cases' deadlines after the calendar changed `day` (ISO date)."""
    calendar.forget_cached()  # the edit was made in another process: this one's cached year is stale
    sla.recompute_affected(date.fromisoformat(day))
    db.session.commit()
