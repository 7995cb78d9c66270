"""Rollups for the dashboards (DESIGN.md §8): counts per day × office × department × case type × officer.

The job reads only the audit entries appended since its mark (decisions and receipts of every registered source),
so its cost follows the new work, never the history; a dashboard sums rollup rows and never counts raw tables.
Open cases (the backlog by age) are few: their snapshot is rebuilt by the same job.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, func, select, text

from backoffice.extensions import db
from backoffice.models import AuditEntry, Office
from backoffice.models.base import utcnow
from backoffice.models.supervision import (
    TTD_BOUNDS,
    BacklogSnapshot,
    DailyRollup,
    ReasonRollup,
    ReviewItem,
    ReviewVerdict,
    SupervisionMark,
)
from backoffice.services.platform.calendar import local_date
from backoffice.services.supervision.filters import subtree_of
from backoffice.services.supervision.reach import reach
from backoffice.services.supervision.sources import SOURCES, decision_actions, decisions_of, received_actions

BUCKETS = len(TTD_BOUNDS) + 1
COUNTERS = ("received", "decided", "approved", "rejected", "over_failing", *(f"t{i}" for i in range(BUCKETS)))
BACKLOG_BUCKETS = (("0-1", 1), ("1-3", 3), ("3-7", 7), ("7-30", 30), ("30+", None))  # age in days
MARK = "rollups"
_PG_LOCK_KEY = 0x524F4C4C  # "ROLL": one refresh at a time, so read-modify-write of a row is safe


def ttd_bucket(minutes):
    """The histogram bucket of a time to decision in minutes."""
    return next((i for i, bound in enumerate(TTD_BOUNDS) if minutes <= bound), len(TTD_BOUNDS))


def mark(name):
    """The named mark row (created at 0)."""
    row = db.session.get(SupervisionMark, name)
    if row is None:
        row = SupervisionMark(name=name, value=0, details={})
        db.session.add(row)
        db.session.flush()
    return row


def _deltas(entries):
    daily = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    reasons = defaultdict(int)
    receipts = received_actions()
    for entry in entries:
        source = receipts.get(entry.action)
        if source is not None and entry.office_id is not None:
            daily[(local_date(entry.at), entry.office_id, source.department, source.case_type, 0)]["received"] += 1
    for d in decisions_of(entries):
        day = local_date(d.decided_at)
        for officer_id in (0, d.officer_id):
            counts = daily[(day, d.office_id, d.department, d.case_type, officer_id)]
            counts["decided"] += 1
            counts[d.outcome] += 1
            counts["over_failing"] += int(d.outcome == "approved" and d.failing_seen)
            if d.received_at is not None:
                counts[f"t{ttd_bucket((d.decided_at - d.received_at).total_seconds() / 60)}"] += 1
            if d.outcome == "rejected" and d.reason_code:
                reasons[(day, d.office_id, d.case_type, d.department, officer_id, d.reason_code)] += 1
    return daily, reasons


def _apply(daily, reasons):
    if daily:
        days, offices = {k[0] for k in daily}, {k[1] for k in daily}
        rows = {(r.day, r.office_id, r.department, r.case_type, r.officer_id): r for r in db.session.scalars(
            select(DailyRollup).where(DailyRollup.day.in_(days), DailyRollup.office_id.in_(offices)))}
        for key, counts in daily.items():
            row = rows.get(key)
            if row is None:
                day, office_id, department, case_type, officer_id = key
                row = DailyRollup(day=day, office_id=office_id, department=department, case_type=case_type,
                                  officer_id=officer_id, **dict.fromkeys(COUNTERS, 0))
                db.session.add(row)
            for name, value in counts.items():
                if value:
                    setattr(row, name, getattr(row, name) + value)
    if reasons:
        days, offices = {k[0] for k in reasons}, {k[1] for k in reasons}
        rows = {(r.day, r.office_id, r.case_type, r.department, r.officer_id, r.code): r for r in db.session.scalars(
            select(ReasonRollup).where(ReasonRollup.day.in_(days), ReasonRollup.office_id.in_(offices)))}
        for key, value in reasons.items():
            row = rows.get(key)
            if row is None:
                day, office_id, case_type, department, officer_id, code = key
                row = ReasonRollup(day=day, office_id=office_id, case_type=case_type, department=department,
                                   officer_id=officer_id, code=code, count=0)
                db.session.add(row)
            row.count += value
    db.session.flush()


def refresh(batch_size=5000, max_batches=None):
    """Fold the audit entries appended since the mark into the rollups; rebuild the backlog. Returns entries read."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    position = mark(MARK)
    actions = [*decision_actions(), *received_actions()]
    read = batches = 0
    while max_batches is None or batches < max_batches:
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.id > position.value,
                                                              AuditEntry.action.in_(actions))
                                     .order_by(AuditEntry.id).limit(batch_size)).all()
        if not entries:
            break
        _apply(*_deltas(entries))
        position.value, position.at = entries[-1].id, utcnow()
        read += len(entries)
        batches += 1
    db.session.flush()
    refresh_backlog()
    return read


def refresh_backlog(now=None):
    """Rebuild the snapshot of open cases per office × case type × age bucket."""
    now = now or utcnow()
    counts = defaultdict(int)
    for source in SOURCES.values():
        for office_id, received_at in source.backlog():
            age = (now - received_at).total_seconds() / 86400
            bucket = next(name for name, limit in BACKLOG_BUCKETS if limit is None or age < limit)
            counts[(office_id, source.department, source.case_type, bucket)] += 1
    db.session.execute(delete(BacklogSnapshot))
    db.session.add_all(BacklogSnapshot(office_id=o, department=dep, case_type=t, bucket=b, count=n, as_of=now)
                       for (o, dep, t, b), n in counts.items())
    db.session.flush()


def quantile(histogram, q):
    """The q-quantile in minutes of a time-to-decision histogram, interpolated within its bucket (None if empty)."""
    total = sum(histogram)
    if not total:
        return None
    target, seen = q * total, 0
    for i, count in enumerate(histogram):
        if count and seen + count >= target:
            low = TTD_BOUNDS[i - 1] if i else 0
            high = TTD_BOUNDS[i] if i < len(TTD_BOUNDS) else TTD_BOUNDS[-1] * 2
            return low + (high - low) * (target - seen) / count
        seen += count
    return float(TTD_BOUNDS[-1])


@dataclass
class Line:
    """Summed counters of one row of a dashboard table (a day, an office, a department)."""

    key: object
    received: int = 0
    decided: int = 0
    approved: int = 0
    rejected: int = 0
    over_failing: int = 0
    histogram: list = field(default_factory=lambda: [0] * BUCKETS)

    @property
    def approval_rate(self):
        return self.approved / self.decided if self.decided else None

    @property
    def rejection_rate(self):
        return self.rejected / self.decided if self.decided else None

    @property
    def median(self):
        return quantile(self.histogram, 0.5)

    @property
    def p90(self):
        return quantile(self.histogram, 0.9)


_SUMS = [func.coalesce(func.sum(getattr(DailyRollup, name)), 0) for name in COUNTERS]


def _lines(rows):
    lines = []
    for key, received, decided, approved, rejected, over_failing, *histogram in rows:
        lines.append(Line(key, int(received), int(decided), int(approved), int(rejected), int(over_failing),
                          [int(v) for v in histogram]))
    return lines


def _limit(query, model, scope, date_from, date_to, office_id):
    query = query.where(model.day >= date_from, model.day <= date_to, model.office_id.in_(scope.office_ids),
                        model.officer_id == (scope.officer_id or 0))
    if office_id:
        query = query.where(model.office_id.in_(subtree_of(office_id)))
    if scope.department:
        query = query.where(model.department == scope.department)
    return query


def dashboard(officer, date_from, date_to, office_id=None):
    """The figures of the officer's reach for a period (Vietnam dates), from the rollups only."""
    scope = reach(officer)

    def grouped(column):
        return _lines(db.session.execute(_limit(select(column, *_SUMS), DailyRollup, scope, date_from, date_to,
                                                office_id).group_by(column).order_by(column)).all())

    per_day = grouped(DailyRollup.day)
    per_office = grouped(DailyRollup.office_id)
    per_department = grouped(DailyRollup.department)
    total = Line("total")
    for line in per_office:
        for name in ("received", "decided", "approved", "rejected", "over_failing"):
            setattr(total, name, getattr(total, name) + getattr(line, name))
        total.histogram = [a + b for a, b in zip(total.histogram, line.histogram)]
    reasons = db.session.execute(_limit(select(ReasonRollup.code, func.sum(ReasonRollup.count)), ReasonRollup,
                                        scope, date_from, date_to, office_id)
                                 .group_by(ReasonRollup.code).order_by(func.sum(ReasonRollup.count).desc())).all()
    backlog = []
    if scope.officer_id is None:
        query = select(BacklogSnapshot.bucket, func.sum(BacklogSnapshot.count)).where(
            BacklogSnapshot.office_id.in_(scope.office_ids)).group_by(BacklogSnapshot.bucket)
        if scope.department:
            query = query.where(BacklogSnapshot.department == scope.department)
        if office_id:
            query = query.where(BacklogSnapshot.office_id.in_(subtree_of(office_id)))
        found = dict(db.session.execute(query).all())
        backlog = [(name, int(found.get(name, 0))) for name, _limit_days in BACKLOG_BUCKETS]
    names = dict(db.session.execute(select(Office.id, Office.code + " " + Office.name).where(
        Office.id.in_([line.key for line in per_office]))).all())
    return {"per_day": per_day, "per_office": per_office, "per_department": per_department, "total": total,
            "reasons": [(code, int(n)) for code, n in reasons], "backlog": backlog, "office_names": names,
            "review": review_rates(scope, date_from, date_to)}


def review_rates(scope, date_from, date_to):
    """Re-review disagreement per officer (first verdict of each drawn case) over samples of the period."""
    first = (select(ReviewVerdict.item_id, func.min(ReviewVerdict.id).label("verdict_id"))
             .group_by(ReviewVerdict.item_id).subquery())
    query = (select(ReviewItem.officer_id, func.count(), func.sum(
        (ReviewVerdict.outcome != ReviewItem.original_outcome).cast(db.Integer)))
        .join(first, first.c.item_id == ReviewItem.id).join(ReviewVerdict, ReviewVerdict.id == first.c.verdict_id)
        .where(ReviewItem.office_id.in_(scope.office_ids), func.date(ReviewVerdict.at) >= date_from,
               func.date(ReviewVerdict.at) <= date_to + timedelta(days=1))
        .group_by(ReviewItem.officer_id))
    if scope.officer_id is not None:
        query = query.where(ReviewItem.officer_id == scope.officer_id)
    return [(officer_id, int(n), int(k or 0)) for officer_id, n, k in db.session.execute(query)]
