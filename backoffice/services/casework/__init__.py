"""The casework core shared by reissue requests and complaints (DESIGN.md §4.2, §4.3, §6).

Each domain registers its case type (`registry.register`); the core keeps the SLA clock on the business calendar
(`sla`), moves cases and records their timeline (`cases`), serves department queues (`queue`) and runs the
deadline sweep (`escalation`). It imports only the platform and notifications.
"""
from backoffice import jobs
from backoffice.services.casework import cases, escalation, queue, registry, sla
from backoffice.services.casework.registry import CaseType, Deadline, register
from backoffice.services.platform import calendar

__all__ = ["CaseType", "Deadline", "cases", "escalation", "queue", "register", "registry", "sla"]


def _calendar_changed(day):
    """A day became a holiday or a working day: recompute, after commit, the deadlines running over it."""
    jobs.enqueue("backoffice.tasks.casework.recompute_deadlines", day.isoformat())


calendar.register_change_listener(_calendar_changed)
