"""The one business clock: today and now in Vietnam time, working days with Vietnamese public holidays, deadlines.

Dates are stored in UTC and shown, printed and counted in Asia/Ho_Chi_Minh through `now()` and `today()`; nothing
else reads the server's clock or zone (ruff's DTZ rules keep `date.today()` and naive `datetime.now()` out).
"""
import time as _time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from sqlalchemy import delete, select

from backoffice.business_time import BUSINESS_TZ
from backoffice.extensions import db
from backoffice.models import CalendarDay, CalendarYear
from backoffice.services import DomainError
from backoffice.services.platform import audit

DAY_END = time(17, 0)
_CACHE_SECONDS = 60
_cache: dict[int, tuple[float, dict[date, bool]]] = {}
_change_listeners = []


def register_change_listener(listener):
    """Call `listener(day)` in the editor's transaction whenever a day's status changes (deadlines move with it)."""
    _change_listeners.append(listener)


def forget_cached():
    """Drop this process's cached calendar years (a job recomputing deadlines after an edit made elsewhere)."""
    _cache.clear()


def _changed(day):
    _cache.pop(day.year, None)
    for listener in _change_listeners:
        listener(day)


def now():
    """The current moment in Vietnam time (an aware datetime)."""
    return datetime.now(BUSINESS_TZ)


def today():
    """Today's date in Vietnam: a decision at 01:00 local time is dated that local day."""
    return now().date()


def local_date(moment):
    """The Vietnamese calendar date of an aware moment."""
    return moment.astimezone(BUSINESS_TZ).date()


def load_year(year):
    """Copy one year's public holidays and make-up working Saturdays from the `holidays` package, once."""
    if db.session.get(CalendarYear, year):
        return 0
    official = holidays.VN(years=year, language="vi")
    days = {day: CalendarDay(day=day, is_working=False, name=name, source="holidays")
            for day, name in official.items()}
    for day in official.weekend_workdays:
        if day.year == year:
            days[day] = CalendarDay(day=day, is_working=True, name="Ngày làm việc bù", source="holidays")
    existing = set(db.session.scalars(select(CalendarDay.day).where(CalendarDay.day.in_(days))))
    db.session.add_all(row for day, row in days.items() if day not in existing)
    db.session.add(CalendarYear(year=year))
    db.session.flush()
    _cache.pop(year, None)
    return len(days) - len(existing)


def year_days(year):
    """The stored exceptions of one year, in date order."""
    return db.session.scalars(
        select(CalendarDay).where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(CalendarDay.day)
    ).all()


def set_day(actor, day, is_working, name):
    """Declare a day a holiday or a working day (e.g. the Tết break the government fixes each year)."""
    if not name.strip():
        raise DomainError("Hãy ghi tên ngày (ví dụ: Nghỉ Tết Nguyên đán).", field="name")
    row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
    row.is_working, row.name, row.source = is_working, name.strip(), "admin"
    db.session.add(row)
    db.session.flush()
    _changed(day)
    audit.record("calendar_day_set", actor=actor, object_type="calendar_day", object_id=day.isoformat(),
                 details={"is_working": is_working, "name": row.name})
    return row


def clear_day(actor, day):
    """Return a day to the Monday-to-Friday rule."""
    db.session.execute(delete(CalendarDay).where(CalendarDay.day == day))
    _changed(day)
    audit.record("calendar_day_cleared", actor=actor, object_type="calendar_day", object_id=day.isoformat())


def _exceptions(year):
    cached = _cache.get(year)
    if cached and _time.monotonic() - cached[0] < _CACHE_SECONDS:
        return cached[1]
    if not db.session.get(CalendarYear, year):
        load_year(year)
    rows = {row.day: row.is_working for row in year_days(year)}
    _cache[year] = (_time.monotonic(), rows)
    return rows


def is_working_day(day):
    """True for a working day: Monday to Friday unless the calendar says otherwise."""
    override = _exceptions(day.year).get(day)
    return override if override is not None else day.weekday() < 5


def add_working_days(moment, n):
    """The deadline n working days after `moment`: the end of the business day (17:00, Vietnam time).

    A moment on a non-working day or after hours counts from the next working day, so n=0 means
    "the same working day" (BHYT card reissue) and n=5 the fifth working day after receipt.
    """
    local = moment.astimezone(BUSINESS_TZ)
    day = local.date()
    if local.time() >= DAY_END:
        day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    for _ in range(n):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return datetime.combine(day, DAY_END, BUSINESS_TZ)


@dataclass(frozen=True)
class Remaining:
    """How long until a deadline: wall-clock time and working days left (negative when overdue)."""

    delta: timedelta
    working_days: int

    @property
    def overdue(self):
        return self.delta < timedelta(0)


def remaining(deadline, now):
    """Time and working days from `now` until `deadline`."""
    start, end = now.astimezone(BUSINESS_TZ).date(), deadline.astimezone(BUSINESS_TZ).date()
    sign = 1 if end >= start else -1
    low, high = min(start, end), max(start, end)
    count = sum(1 for i in range(1, (high - low).days + 1) if is_working_day(low + timedelta(days=i)))
    return Remaining(delta=deadline - now, working_days=sign * count)
