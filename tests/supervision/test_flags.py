"""Anomaly flags: each rule on crafted data (Vietnam time), idempotence, links to cases, explained/escalated."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.models.supervision import AnomalyFlag, DailyRollup
from backoffice.services import DomainError
from backoffice.services.platform import audit
from backoffice.services.supervision import flags, rollups
from tests.supervision.conftest import UTC, WORKDAY_10AM, add_officer, officer

END = WORKDAY_10AM + timedelta(days=1)


def found(rule):
    return db.session.scalars(select(AnomalyFlag).where(AnomalyFlag.rule == rule).order_by(AnomalyFlag.id)).all()


def detect(end=END, days=2):
    created = flags.detect(end=end, days=days)
    db.session.commit()
    return created


def test_fast_decision_under_the_floor(desk):
    quick = desk.decide("tiepnhan.00131", review_seconds=12)
    desk.decide("tiepnhan.00131", review_seconds=600)
    detect()
    (flag,) = found("fast")
    assert flag.details["seconds"] == 12 and flag.details["floor"] == 20
    assert [(c.case_type, c.case_id) for c in flag.cases] == [("declaration", quick.id)]
    assert flag.officer_id == officer("tiepnhan.00131").id


def test_fast_decision_under_the_5th_percentile_of_its_type(desk):
    for i in range(24):  # 24 decisions of 300..530 s: the 5th percentile is 310 s
        desk.decide("tiepnhan.00131", review_seconds=300 + 10 * i, at=WORKDAY_10AM + timedelta(minutes=15 * i))
    quick = desk.decide("tiepnhan.00131", review_seconds=60, at=WORKDAY_10AM + timedelta(hours=7))
    detect(end=WORKDAY_10AM + timedelta(hours=8))
    flagged = {c.case_id for f in found("fast") for c in f.cases}
    assert quick.id in flagged and len(flagged) == 1


def test_approval_over_a_failed_check(desk):
    over = desk.decide("tiepnhan.00131", failing=True)
    desk.decide("tiepnhan.00131")
    detect()
    (flag,) = found("over_failed")
    assert flag.cases[0].case_id == over.id and flag.officer_id == officer("tiepnhan.00131").id
    assert flag.details["checker_id"] == officer("giamsat.00131").id


@pytest.mark.parametrize("moment, flagged", [
    (datetime(2026, 3, 10, 11, 0, tzinfo=UTC), True),    # 18:00 in Hà Nội: after hours (11:00 UTC looks harmless)
    (datetime(2026, 3, 10, 9, 30, tzinfo=UTC), False),   # 16:30 in Hà Nội
    (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), True),    # 06:30 on Tuesday in Hà Nội, still Monday in UTC
    (datetime(2026, 3, 10, 0, 30, tzinfo=UTC), False),   # 07:30 in Hà Nội
    (datetime(2026, 4, 30, 3, 0, tzinfo=UTC), True),     # 10:00 on 30 April, Reunification Day
    (datetime(2026, 3, 14, 3, 0, tzinfo=UTC), True),     # 10:00 on a Saturday
])
def test_decision_outside_working_hours_in_vietnam_time(desk, moment, flagged):
    desk.decide("tiepnhan.00131", at=moment - timedelta(seconds=120))
    detect(end=moment + timedelta(hours=1))
    assert bool(found("off_hours")) == flagged


def _history(officer_id, office_id, days, per_day, end_day):
    for n in range(1, days + 1):
        db.session.add(DailyRollup(day=end_day - timedelta(days=n), office_id=office_id, department="TIEP_NHAN",
                                   case_type="declaration", officer_id=officer_id, decided=per_day,
                                   **dict.fromkeys(rollups.COUNTERS[:1] + rollups.COUNTERS[2:], 0)))
    db.session.commit()


def test_volume_against_own_history_and_peers(desk):
    me = officer("tiepnhan.00131")
    peers = [add_officer(f"tiepnhan{n}.00131") for n in (2, 3, 4)]
    day = date(2026, 3, 10)
    _history(me.id, me.office_id, 30, 1, day)  # one decision a day for 30 days
    for peer in peers:
        db.session.add(DailyRollup(day=day, office_id=me.office_id, department="TIEP_NHAN", case_type="declaration",
                                   officer_id=peer.id, decided=2, **dict.fromkeys(
                                       rollups.COUNTERS[:1] + rollups.COUNTERS[2:], 0)))
    db.session.commit()
    made = [desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=5 * i)) for i in range(8)]
    rollups.refresh()
    db.session.commit()
    detect(end=datetime(2026, 3, 10, 17, 0, tzinfo=UTC), days=1)
    (own,) = found("volume_own")
    (peer,) = found("volume_peers")
    assert own.officer_id == me.id and own.details["decided"] == 8 and own.details["z"] > 3
    assert peer.details["mean"] == 2.0
    assert {c.case_id for c in own.cases} == {d.id for d in made}
    assert not [f for f in found("volume_peers") if f.officer_id != me.id]


def test_self_approval_attempt_recorded_by_the_domain(desk):
    d = desk.declaration()
    me = officer("tiepnhan.00131")
    audit.record("declaration_self_approval_refused", actor=me, object_type="declaration", object_id=d.id,
                 office_id=d.office_id)
    db.session.commit()
    detect(end=desk.now + timedelta(minutes=1))
    (flag,) = found("self_approval")
    assert flag.officer_id == me.id and flag.cases[0].case_id == d.id


def test_one_officer_approving_one_phone_under_several_social_insurance_numbers(desk):
    a = desk.decide("tiepnhan.00131", sin="0100000001", phone="0987000111")
    b = desk.decide("tiepnhan.00131", sin="0100000002", phone="0987000111")
    desk.decide("tiepnhan.00131", sin="0100000003", phone="0987000222")
    detect()
    rings = found("ring")
    phone_ring = next(f for f in rings if f.details["contact_kind"] == "phone")
    assert {c.case_id for c in phone_ring.cases} == {a.id, b.id}
    assert phone_ring.details["contact"] == "0987****11" and "0987000111" not in phone_ring.key
    assert phone_ring.details["citizens"] == 2
    # the same email on all three approvals: one email ring with the three cases
    assert any(f.details["contact_kind"] == "email" and len(f.cases) == 3 for f in rings)


def test_view_of_a_citizen_photo_without_holding_a_case(desk):
    handled = desk.decide("tiepnhan.00131")
    stranger = add_officer("tiepnhan9.00131")
    for who in (officer("tiepnhan.00131"), stranger):
        audit.record("file_viewed", actor=who, object_type="stored_file",
                     object_id=handled.documents[0].stored_file_id, office_id=handled.office_id)
    db.session.commit()
    detect(end=datetime.now(UTC), days=400)
    (flag,) = found("view_no_case")
    assert flag.officer_id == stranger.id and flag.cases[0].case_id == handled.id


def test_the_job_is_idempotent_and_flags_are_explained_or_escalated(desk):
    desk.decide("tiepnhan.00131", review_seconds=5)
    desk.decide("tiepnhan.00131", failing=True)
    first = detect()
    assert first == 2 and detect() == 0  # fast + over the failed check; the second run finds nothing new
    assert db.session.scalar(select(func.count()).select_from(AnomalyFlag)) == 2
    supervisor = officer("giamsat.00100")
    fast, over = found("fast")[0], found("over_failed")[0]
    with pytest.raises(DomainError):
        flags.resolve(supervisor, fast.id, "explained", "")
    flags.resolve(supervisor, fast.id, "explained", "Hồ sơ đã được kiểm tra trước tại quầy.")
    flags.resolve(supervisor, over.id, "escalated", "")
    db.session.commit()
    assert [f.status for f in (found("fast")[0], found("over_failed")[0])] == ["explained", "escalated"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.in_(["flag_explained", "flag_escalated"]))) == 2
    with pytest.raises(DomainError):  # another province's supervisor does not see it
        flags.get_flag(officer("giamsat.05600"), fast.id)
    assert flags.flags_page(supervisor, status="") and not flags.flags_page(officer("giamsat.05600"), status="")
