"""Rollups equal a direct count of the raw tables after any sequence of changes and refreshes (property test)."""
import secrets
from collections import Counter
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Complaint, Declaration, Office
from backoffice.models.supervision import DailyRollup, ReasonRollup
from backoffice.services.casework import cases
from backoffice.services.complaints import catalogue, routing
from backoffice.services.complaints.dataset import CATEGORIES
from backoffice.services.platform import audit
from backoffice.services.platform.calendar import local_date
from backoffice.services.supervision import rollups
from tests.complaints.casework_fixtures import Router, new_complaint
from tests.supervision.conftest import UTC, officer

OFFICES = ("00131", "00109")
BASE = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)  # 23:00 in Hà Nội: hours later is the next Vietnam day

operation = st.tuples(st.sampled_from(["submit", "approve", "reject", "complaint", "refresh"]),
                      st.sampled_from(OFFICES), st.integers(0, 60),  # hours after BASE
                      st.sampled_from(CATEGORIES), st.booleans())  # a complaint's route: its category, triage or not


def _apply(desk, router, operation, open_ids):
    kind, office_code, hours, category, triage = operation
    desk.now = BASE + timedelta(hours=hours)
    if kind == "refresh":
        rollups.refresh(batch_size=3)
    elif kind == "complaint":  # through the intake, the classifier's route chosen by the test
        department = routing.DEPARTMENT_OF[category]
        router.route = routing.Route(category, routing.TRIAGE if triage else department, 0.4 if triage else 0.95)
        new_complaint(office_code=office_code)
    elif kind == "submit":
        d = desk.declaration(office_code=office_code)
        d.submitted_at = desk.now
        audit.record("declaration_submitted", actor_label="vssid_app", object_type="declaration", object_id=d.id,
                     office_id=d.office_id, details={"reference": d.reference})
        open_ids.append(d.id)
    elif open_ids:
        d = db.session.get(Declaration, open_ids.pop(0))
        who = officer(f"tiepnhan.{db.session.get(Office, d.office_id).code}")
        d.state, d.decided_by_id, d.decided_at = ("approved" if kind == "approve" else "rejected"), who.id, desk.now
        if kind == "reject":
            d.rejection_code = secrets.choice(["ID_UNREADABLE", "DUPLICATE"])
        audit.record(f"declaration_{'approved' if kind == 'approve' else 'rejected'}", actor=who,
                     object_type="declaration", object_id=d.id, office_id=d.office_id,
                     details={"checks_seen": d.checks, **({"code": d.rejection_code} if kind == "reject" else {})})
    db.session.commit()


def _direct():
    received, decided = Counter(), Counter()
    reasons = Counter()
    for d in db.session.scalars(select(Declaration)):
        received[(local_date(d.submitted_at), d.office_id)] += 1
        if d.decided_at:
            decided[(local_date(d.decided_at), d.office_id, d.state.value)] += 1
            if d.rejection_code:
                reasons[(local_date(d.decided_at), d.office_id, d.rejection_code)] += 1
    return received, decided, reasons, _complaints_direct()


def _complaints_direct():
    """(day, office, department, category, triaged?) -> complaints received, from the complaints themselves."""
    found = Counter()
    for c in db.session.scalars(select(Complaint)):
        triaged = c.department_code == catalogue.TRIAGE_DEPARTMENT
        found[(local_date(c.received_at), c.office_id, routing.DEPARTMENT_OF[c.category], c.category, False)] += 1
        if triaged:
            found[(local_date(c.received_at), c.office_id, routing.DEPARTMENT_OF[c.category], c.category, True)] += 1
    return found


def _rolled():
    received, decided, reasons, complaints = Counter(), Counter(), Counter(), Counter()
    for r in db.session.scalars(select(DailyRollup).where(DailyRollup.officer_id == 0)):
        if r.received and r.case_type == "declaration":
            received[(r.day, r.office_id)] += r.received
        for state in ("approved", "rejected"):
            if getattr(r, state):
                decided[(r.day, r.office_id, state)] += getattr(r, state)
        assert r.decided == r.approved + r.rejected
        assert sum(getattr(r, f"t{i}") for i in range(rollups.BUCKETS)) == r.decided
    for r in db.session.scalars(select(ReasonRollup).where(ReasonRollup.officer_id == 0)):
        if r.case_type in rollups.CATEGORY_TYPES:
            complaints[(r.day, r.office_id, r.department, r.code, r.case_type == rollups.TRIAGED)] += r.count
        else:
            reasons[(r.day, r.office_id, r.code)] += r.count
    return received, decided, reasons, complaints


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=12))
def test_rollups_equal_a_direct_count(desk, monkeypatch, operations):
    monkeypatch.setattr(cases, "utcnow", lambda: desk.now)  # a complaint is received at the desk's moment
    router = Router(monkeypatch)
    open_ids = list(db.session.scalars(select(Declaration.id).where(Declaration.decided_at.is_(None))
                                       .order_by(Declaration.id)))
    for operation in operations:
        _apply(desk, router, operation, open_ids)
    rollups.refresh(batch_size=4)
    db.session.commit()
    assert _rolled() == _direct()
    # the officer grain adds up to the office totals
    per_officer = db.session.scalar(select(func.coalesce(func.sum(DailyRollup.decided), 0))
                                    .where(DailyRollup.officer_id > 0))
    assert per_officer == sum(_direct()[1].values())
    # and each subtree's rows add up to the offices below it: Hà Nội holds both districts, the nation everything
    for code, offices in (("00100", OFFICES), ("00001", OFFICES), ("00131", ("00131",))):
        subtree = db.session.scalar(select(func.coalesce(func.sum(DailyRollup.decided), 0)).join(
            Office, Office.id == DailyRollup.office_id).where(DailyRollup.officer_id == rollups.SUBTREE,
                                                              Office.code == code))
        own = db.session.scalar(select(func.coalesce(func.sum(DailyRollup.decided), 0)).join(
            Office, Office.id == DailyRollup.office_id).where(DailyRollup.officer_id == rollups.OFFICE,
                                                              Office.code.in_(offices)))
        assert subtree == own, code
        for counter in ("received", "decided", "rejected", "t3"):  # the all-types subtree row holds the same days
            by_grain = {grain: db.session.execute(
                select(DailyRollup.day, func.sum(getattr(DailyRollup, counter))).join(
                    Office, Office.id == DailyRollup.office_id).where(DailyRollup.officer_id == grain,
                                                                      Office.code == code)
                .group_by(DailyRollup.day)).all() for grain in (rollups.SUBTREE, rollups.SUBTREE_ALL)}
            assert sorted(by_grain[rollups.SUBTREE]) == sorted(by_grain[rollups.SUBTREE_ALL]), (code, counter)
        subtree, own = (db.session.scalar(select(func.coalesce(func.sum(ReasonRollup.count), 0)).join(
            Office, Office.id == ReasonRollup.office_id).where(ReasonRollup.officer_id == grain, where,
                                                               ReasonRollup.case_type.in_(rollups.CATEGORY_TYPES)))
            for grain, where in ((rollups.SUBTREE, Office.code == code), (rollups.OFFICE, Office.code.in_(offices))))
        assert subtree == own, code


def test_refresh_reads_only_new_entries_and_the_backlog_counts_open_cases(desk):
    d = desk.declaration()
    audit.record("declaration_submitted", actor_label="portal", object_type="declaration", object_id=d.id,
                 office_id=d.office_id)
    db.session.commit()
    assert rollups.refresh() == 1
    db.session.commit()
    assert rollups.refresh() == 0  # nothing new: nothing read again
    assert sum(n for _bucket, n in rollups.dashboard(officer("giamsat.00100"), BASE.date(),
                                                        BASE.date())["backlog"]) == 1


def test_quantiles_from_the_histogram():
    histogram = [0] * rollups.BUCKETS
    histogram[rollups.ttd_bucket(10)] = 10  # ten decisions between 5 and 15 minutes
    assert 5 < rollups.quantile(histogram, 0.5) <= 15 and rollups.quantile([0] * rollups.BUCKETS, 0.5) is None


def test_long_periods_are_summed_by_month():
    from datetime import date

    days = [rollups.Line(date(2026, 1, 30) + timedelta(days=n), decided=n + 1, approved=n) for n in range(4)]
    january, february = rollups.by_month(days)
    assert (january.key, january.until, january.decided) == (date(2026, 1, 1), date(2026, 1, 31), 3)
    assert (february.key, february.until, february.decided, february.approved) == (date(2026, 2, 1),
                                                                                   date(2026, 2, 2), 7, 5)


def test_a_national_dashboard_reads_subtree_rows(desk):
    desk.decide("tiepnhan.00131")
    desk.decide("tiepnhan.00109", office_code="00109")
    rollups.refresh()
    db.session.commit()
    figures = rollups.dashboard(officer("giamsat.00001"), BASE.date(), BASE.date() + timedelta(days=3))
    assert figures["total"].decided == 2
    # by office: the national office's own row and one row per child (Hà Nội holds both districts)
    assert {figures["office_names"][line.key].split()[0]: line.decided for line in figures["per_office"]} == \
        {"00100": 2}
    district = rollups.dashboard(officer("giamsat.00100"), BASE.date(), BASE.date() + timedelta(days=3),
                                 office_id=db.session.scalar(select(Office.id).where(Office.code == "00109")))
    assert district["total"].decided == 1
