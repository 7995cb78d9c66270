"""Business calendar: weekends, Tết, make-up Saturdays, admin edits, deadlines."""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, CalendarDay, Officer
from backoffice.services.platform.calendar import (
    BUSINESS_TZ,
    add_working_days,
    clear_day,
    is_working_day,
    load_year,
    remaining,
    set_day,
)
from tests.conftest import login


def vn(*args):
    return datetime(*args, tzinfo=BUSINESS_TZ)


def test_tet_2026_and_weekends_are_not_working_days(app):
    tet = [date(2026, 2, 16) + timedelta(days=i) for i in range(5)]  # Giao thừa to mùng 4
    assert not any(is_working_day(d) for d in tet)
    assert not is_working_day(date(2026, 2, 14))  # Saturday
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 23))
    assert db.session.get(CalendarDay, date(2026, 2, 17)).name == "Tết Nguyên Đán"


def test_make_up_saturday_is_a_working_day(app):
    assert is_working_day(date(2026, 8, 22))  # worked in exchange for Monday 31 August
    assert not is_working_day(date(2026, 8, 31))


def test_five_working_days_across_tet(app):
    # Received Friday 13 Feb 2026 at 10:00: Tết and the weekends do not count.
    deadline = add_working_days(vn(2026, 2, 13, 10, 0), 5)
    assert deadline == vn(2026, 2, 27, 17, 0)


def test_same_working_day_and_after_hours(app):
    assert add_working_days(vn(2026, 3, 2, 9, 0), 0) == vn(2026, 3, 2, 17, 0)
    assert add_working_days(vn(2026, 3, 2, 18, 0), 0) == vn(2026, 3, 3, 17, 0)  # after 17:00
    assert add_working_days(vn(2026, 3, 7, 9, 0), 0) == vn(2026, 3, 9, 17, 0)  # Saturday → Monday
    assert add_working_days(vn(2026, 3, 6, 9, 0), 1) == vn(2026, 3, 9, 17, 0)  # Friday + 1 → Monday


def test_remaining_counts_working_days_and_overdue(app):
    deadline = vn(2026, 2, 27, 17, 0)
    left = remaining(deadline, vn(2026, 2, 13, 10, 0))
    assert left.working_days == 5 and not left.overdue
    late = remaining(vn(2026, 2, 13, 17, 0), vn(2026, 2, 24, 9, 0))
    assert late.overdue and late.working_days == -2  # Monday 23 and Tuesday 24 are late


def test_admin_edit_changes_deadlines_and_is_audited(app, demo_logins):
    admin = db.session.scalar(select(Officer).where(Officer.username == "quantri.00001"))
    load_year(2027)
    # The government adds Thursday 11 Feb 2027 to the Tết break.
    set_day(admin, date(2027, 2, 11), False, "Nghỉ Tết bổ sung")
    db.session.commit()
    assert not is_working_day(date(2027, 2, 11))
    clear_day(admin, date(2027, 2, 10))  # and moves mùng 5 back to a working day
    db.session.commit()
    assert is_working_day(date(2027, 2, 10))
    assert load_year(2027) == 0  # reloading the year does not undo the admin's edits
    assert not db.session.get(CalendarDay, date(2027, 2, 10))
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["calendar_day_set", "calendar_day_cleared"]


def test_calendar_screen_adds_a_day(client, demo_logins):
    login(client, "quantri.00001")
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "Tết Nguyên Đán" in page and "16/02/2026" in page
    bad = client.post("/admin/calendar?year=2026", data={"day": "", "name": ""})
    assert "Hãy chọn ngày." in bad.get_data(as_text=True)
    response = client.post("/admin/calendar?year=2026", data={"day": "2026-12-31", "name": "Nghỉ cuối năm"})
    assert response.status_code == 303
    assert not is_working_day(date(2026, 12, 31))
    assert client.post("/admin/calendar/not-a-date/clear").status_code == 400
