"""The desk's own deadlines through the casework core (issue 15: "the declaration desk can show its own deadline
through it"): the review deadline and the citizen's, with the core's badge (on time, due soon, overdue)."""
from datetime import date, datetime, timedelta

from backoffice.extensions import db
from backoffice.models import DeclarationState
from backoffice.services import declarations
from backoffice.services.casework import sla
from backoffice.services.platform import calendar
from tests.conftest import login
from tests.declarations.test_desk_day import ready, stored, waiting

VN = calendar.BUSINESS_TZ
S = DeclarationState


def _at(*args):
    return datetime(*args, tzinfo=VN)


def test_a_window_is_due_after_its_working_days_and_due_soon_at_three_quarters(app):
    start = _at(2026, 12, 7, 9, 0)  # a Monday
    clock = sla.window(start, 1)
    assert clock.due_at == calendar.add_working_days(start, 1) == _at(2026, 12, 8, 17, 0)
    assert clock.due_soon_at == start + (clock.due_at - start) * sla.WARN_AT
    assert sla.badge(clock.due_at, clock.due_soon_at, start) == "on_time"
    assert sla.badge(clock.due_at, clock.due_soon_at, clock.due_soon_at) == "due_soon"
    assert sla.badge(clock.due_at, clock.due_soon_at, clock.due_at - timedelta(seconds=1)) == "due_soon"
    assert sla.badge(clock.due_at, clock.due_soon_at, clock.due_at) == "overdue"
    assert sla.badge(None, None, start) == "paused"


def test_a_window_known_by_its_last_day_started_that_many_working_days_before(app):
    # 10 working days ending Friday 18 December 2026 started on Friday 4 December
    clock = sla.window_ending(date(2026, 12, 18), 10)
    assert clock.due_at == _at(2026, 12, 18, 17, 0)
    assert sla.window(_at(2026, 12, 4, 0, 0), 10) == clock
    assert calendar.add_working_days(_at(2026, 12, 4, 11, 0), 10) == clock.due_at  # a wait started that day
    assert sla.badge(clock.due_at, clock.due_soon_at, _at(2026, 12, 14, 9, 0)) == "on_time"
    assert sla.badge(clock.due_at, clock.due_soon_at, _at(2026, 12, 17, 9, 0)) == "due_soon"
    assert sla.badge(clock.due_at, clock.due_soon_at, _at(2026, 12, 18, 17, 0)) == "overdue"


def test_a_stored_case_badge_is_the_same_rule(app):
    class Case:
        closed_at, paused = None, False
        due_at, due_soon_at = _at(2026, 12, 8, 17, 0), _at(2026, 12, 8, 9, 0)

    for moment in (_at(2026, 12, 7, 9, 0), _at(2026, 12, 8, 10, 0), _at(2026, 12, 9, 9, 0)):
        assert sla.status(Case, moment) == sla.badge(Case.due_at, Case.due_soon_at, moment)
    Case.paused = True
    assert sla.status(Case, _at(2026, 12, 9, 9, 0)) == "paused"


def test_the_desk_deadline_is_the_core_clock(app, demo_logins):
    submitted = _at(2026, 12, 7, 9, 0)
    assert declarations.deadline(S.ready, submitted, None) == sla.window(submitted, 1)
    assert declarations.deadline(S.awaiting_citizen, submitted, date(2026, 12, 18)) == sla.window_ending(
        date(2026, 12, 18), 10)
    assert declarations.deadline(S.awaiting_citizen, submitted, date(2026, 12, 25), True) == sla.window_ending(
        date(2026, 12, 25), 15)
    assert declarations.deadline(S.approved, submitted, None) is None


def _badges(page):
    import re

    return re.findall(r'<span class="badge due-(\w+)" data-testid="due-badge">([^<]*)</span>', page)


def test_the_queue_and_the_review_page_show_the_core_badge(client, demo_logins):
    fresh, late = ready(), ready(seed=2)
    late.submitted_at = calendar.now() - timedelta(days=30)
    db.session.commit()
    login(client, "tiepnhan.00131")
    queue = client.get("/declarations/").get_data(as_text=True)
    assert sorted(_badges(queue)) == [("on_time", "Trong hạn"), ("overdue", "Quá hạn")]
    review = client.get(f"/declarations/{late.id}").get_data(as_text=True)
    assert 'data-testid="deadline"' in review and ("overdue", "Quá hạn") in _badges(review)
    client.post("/language", data={"language": "en", "next": "/"})
    queue = client.get("/declarations/").get_data(as_text=True)
    assert sorted(_badges(queue)) == [("on_time", "On time"), ("overdue", "Overdue")]
    assert fresh.reference in queue


def test_a_waiting_case_past_its_day_is_overdue_on_the_queue_and_its_page(client, demo_logins):
    d = waiting(client)
    d.due_on = calendar.today() - timedelta(days=1)
    db.session.commit()
    queue = client.get("/declarations/?state=awaiting_citizen").get_data(as_text=True)
    assert _badges(queue) == [("overdue", "Quá hạn")] and f"{d.due_on:%d/%m/%Y}" in queue
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert f'data-testid="due-on">{d.due_on:%d/%m/%Y}<' in page and ("overdue", "Quá hạn") in _badges(page)
    d = stored(d.id)
    d.due_on = calendar.local_date(calendar.add_working_days(calendar.now(), 10))
    db.session.commit()
    assert _badges(client.get("/declarations/?state=awaiting_citizen").get_data(as_text=True)) == [
        ("on_time", "Trong hạn")]
