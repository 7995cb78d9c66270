"""The SLA clock on the business calendar (DESIGN.md §6).

A case's deadline is `working_days` after its clock started (services/platform/calendar.add_working_days), moved
on by the working days its clock stood still. The paused time is rebuilt every time from the case's own events
(each records whether the clock stands after it), never kept in a counter that drifts — the approach of Zammad's
`ticket_biz_break` and RT's ExcludeTimeOnIgnoredStatuses; GLPI's counter is the known failure (glpi#6902, #15605).

The computed moments are stored (due_at, due_soon_at, queue_due_at) so that queues sort on them and the sweep
finds the cases due through partial indexes; they are recomputed at every transition and when the calendar changes.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select

from backoffice.extensions import db
from backoffice.models.casework import NO_DEADLINE, CaseEvent
from backoffice.services.casework.registry import CASE_TYPES, case_type_of
from backoffice.services.platform import calendar
from backoffice.web.catalogue import lazy_gettext as _l

WARN_AT = 0.75  # the share of the allowed time after which a case is "due soon"
# The badge's words (templates/_casework.html's due_badge shows them), the same on every queue.
DUE_LABELS = {"on_time": _l("Trong hạn"), "due_soon": _l("Sắp đến hạn"), "overdue": _l("Quá hạn"),
              "paused": _l("Tạm dừng"), "closed": _l("Đã kết thúc")}
RECOMPUTE_BATCH = 1000


@dataclass(frozen=True)
class Pause:
    """One stretch of time the clock stood still; `end` None while it still stands."""

    start: datetime
    end: datetime | None
    reason: str | None


def pauses(case_type, case_id, since=None):
    """The case's pauses after `since`, rebuilt from its events in order."""
    events = db.session.execute(
        select(CaseEvent.at, CaseEvent.clock_paused, CaseEvent.reason_code)
        .where(CaseEvent.case_type == case_type, CaseEvent.case_id == case_id, CaseEvent.clock_paused.is_not(None))
        .order_by(CaseEvent.id)).all()
    found, start, reason = [], None, None
    for at, paused, code in events:
        if since is not None and at < since:
            # Before the current clock started: only whether it was standing then matters.
            start, reason = (since, code) if paused else (None, None)
            continue
        if paused and start is None:
            start, reason = at, code
        elif not paused and start is not None:
            found.append(Pause(start, at, reason))
            start, reason = None, None
    if start is not None:
        found.append(Pause(start, None, reason))
    return found


def paused_working_days(start, end):
    """Working days lost to a pause: those after the day it began, up to and including the day it ended.

    Paused and resumed the same day costs nothing; a pause over Tết counts only the working days around it."""
    first, last = calendar.local_date(start), calendar.local_date(end)
    return sum(1 for n in range(1, (last - first).days + 1) if calendar.is_working_day(first + timedelta(days=n)))


@dataclass(frozen=True)
class Clock:
    """A case's computed deadline (None while paused) and the moment it becomes due soon."""

    due_at: datetime | None
    due_soon_at: datetime | None
    paused_days: int
    paused_since: datetime | None


def compute(case_type, case):
    """The clock of a case from its stored allowance and its events."""
    found = pauses(case_type.name, case.id, since=case.clock_started_at)
    closed = [p for p in found if p.end is not None]
    running = next((p for p in found if p.end is None), None)
    days = sum(paused_working_days(p.start, p.end) for p in closed)
    if running is not None:
        return Clock(None, None, days, running.start)
    due = calendar.add_working_days(case.clock_started_at, case.sla_days + days)
    effective_start = case.clock_started_at + sum((p.end - p.start for p in closed), timedelta(0))
    return Clock(due, due_soon_at(effective_start, due), days, None)


def due_soon_at(start, due):
    """The moment a clock running from `start` to `due` becomes due soon: WARN_AT of the time between, elapsed."""
    return min(due, start + max(due - start, timedelta(0)) * WARN_AT)


def window(started_at, working_days):
    """The clock of a deadline `working_days` after `started_at` that never pauses (a desk's own deadline, not a
    stored case's)."""
    due = calendar.add_working_days(started_at, working_days)
    return Clock(due, due_soon_at(started_at, due), 0, None)


def window_ending(due_on, working_days):
    """The clock of a deadline known by its last day (`due_on`, ending with the business day), set `working_days`
    working days ahead: it started on the working day that many working days before (from its first moment, so
    that window(start, working_days) ends on `due_on` again)."""
    day = due_on
    for _ in range(working_days):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    due = datetime.combine(due_on, calendar.DAY_END, calendar.BUSINESS_TZ)
    return Clock(due, due_soon_at(datetime.combine(day, time.min, calendar.BUSINESS_TZ), due), 0, None)


def apply(case, case_type=None):
    """Recompute and store a case's deadline columns; returns True when the deadline moved."""
    case_type = case_type or case_type_of(case)
    db.session.flush()  # the events just added must be seen by the rebuild
    clock = compute(case_type, case)
    moved = clock.due_at != case.due_at
    case.due_at, case.due_soon_at = clock.due_at, clock.due_soon_at
    case.paused = clock.paused_since is not None
    case.queue_due_at = clock.due_at or NO_DEADLINE
    if clock.due_soon_at is not None and case.warned_at is not None and clock.due_soon_at > calendar.now():
        case.warned_at = None  # moved later (a pause, a calendar edit): warn again when the new time comes
    return moved


def set_allowance(case, case_type=None, restart=False):
    """Store the case's allowance and legal basis for its current state (and restart the clock if asked)."""
    case_type = case_type or case_type_of(case)
    deadline = case_type.deadline(case)
    case.sla_days, case.legal_basis = deadline.working_days, deadline.basis
    if restart:
        case.clock_started_at = calendar.now()
    return deadline


def status(case, now=None):
    """The deadline badge of a stored case: closed, paused, overdue, due_soon or on_time."""
    return status_of(case.closed_at, case.paused, case.due_at, case.due_soon_at, now)


def status_of(closed_at, paused, due_at, due_soon_at, now=None):
    """`status` from the columns themselves (a list row unpacked as a tuple: lists are the hot path)."""
    if closed_at is not None:
        return "closed"
    if paused:
        return "paused"
    return badge(due_at, due_soon_at, now)


def badge(due_at, due_soon_at=None, now=None):
    """The deadline badge of a clock's moments: paused (no deadline while it stands), overdue, due_soon or on_time."""
    if due_at is None:
        return "paused"
    now = now or calendar.now()
    if now >= due_at:
        return "overdue"
    if due_soon_at is not None and now >= due_soon_at:
        return "due_soon"
    return "on_time"


def recompute_affected(day):
    """Recompute the open cases whose clock runs over `day` (a calendar edit); returns how many deadlines moved."""
    start = datetime.combine(day, time.min, calendar.BUSINESS_TZ)
    end = start + timedelta(days=1)
    moved = 0
    for case_type in CASE_TYPES.values():
        model = case_type.model
        last_id = 0
        while True:
            batch = db.session.scalars(
                select(model).where(model.closed_at.is_(None), model.clock_started_at < end,
                                    or_(model.due_at >= start, model.due_at.is_(None)), model.id > last_id)
                .order_by(model.id).limit(RECOMPUTE_BATCH)).all()
            if not batch:
                break
            for case in batch:
                moved += apply(case, case_type)
            last_id = batch[-1].id
            db.session.flush()
    return moved
