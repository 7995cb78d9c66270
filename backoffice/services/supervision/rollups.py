"""Rollups for the dashboards (DESIGN.md §8): counts per day × office × department × case type × officer.

The job reads only the audit entries appended since its mark (decisions and receipts of every registered source),
so its cost follows the new work, never the history; a dashboard sums rollup rows and never counts raw tables.
Open cases (the backlog by age) are few: their snapshot is rebuilt by the same job.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import delete, func, select, text

from backoffice.extensions import db
from backoffice.models import AuditEntry, DepartmentCode, Office
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
from backoffice.services import DomainError
from backoffice.services.casework import sla
from backoffice.services.platform.calendar import BUSINESS_TZ, local_date
from backoffice.services.supervision.reach import national, reach
from backoffice.services.supervision.sources import SOURCES, decision_actions, decisions_of, received_actions

BUCKETS = len(TTD_BOUNDS) + 1
COUNTERS = ("received", "decided", "approved", "rejected", "over_failing", *(f"t{i}" for i in range(BUCKETS)))
BACKLOG_BUCKETS = (("0-1", 1), ("1-3", 3), ("3-7", 7), ("7-30", 30), ("30+", None))  # age in days
OVERDUE, DUE_SOON = "overdue", "due_soon"  # the snapshot's deadline rows, beside the age buckets (the SLA badges)
DEADLINES = (OVERDUE, DUE_SOON)
MARK = "rollups"
# officer_id of a row: an officer's own figures (> 0), the office's own total (0), or its whole subtree's total
# (SUBTREE): a national dashboard over a year sums 365 rows of its office and 365 of each child office, not every
# local office's days.
OFFICE, SUBTREE = 0, -1
# A subtree's day over every department and case type (department and case type ALL): the national dashboard's
# by-office table reads one row per child office and day, not one per department × case type (7 and growing).
SUBTREE_ALL, ALL = -2, "*"
# Complaints received per category, and those of them sent to triage (the classifier unsure), are kept in the reason
# rollup under these case types, the category as the code and its department as the department.
CATEGORY, TRIAGED = "complaint_category", "complaint_triage"
CATEGORY_TYPES = (CATEGORY, TRIAGED)
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


def _ancestors():
    """{office id: ids of the office and every office above it}, from the offices' paths."""
    rows = db.session.execute(select(Office.id, Office.code, Office.path)).all()
    by_code = {code: office_id for office_id, code, _path in rows}
    return {office_id: [by_code[code] for code in path.strip("/").split("/") if code in by_code]
            for office_id, _code, path in rows}


def _grains(office_id, officer_id, ancestors):
    """(office, officer grain) pairs one event counts in: its office, its officer, and each subtree holding it (by
    department and case type, and over all of them)."""
    pairs = [(office_id, OFFICE)] + ([(office_id, officer_id)] if officer_id else [])
    above = ancestors.get(office_id, [office_id])
    return pairs + [(ancestor, SUBTREE) for ancestor in above] + [(ancestor, SUBTREE_ALL) for ancestor in above]


def _day_key(day, office_id, department, case_type, grain):
    """The daily rollup row an event counts in at a grain (the all-types subtree row has no department or type)."""
    return (day, office_id, ALL, ALL, grain) if grain == SUBTREE_ALL else (day, office_id, department, case_type,
                                                                           grain)


def _deltas(entries):
    daily = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    reasons = defaultdict(int)
    receipts = received_actions()
    ancestors = _ancestors()
    for entry in entries:
        source = receipts.get(entry.action)
        if source is not None and entry.office_id is not None:
            category = (entry.details or {}).get("category")
            for office_id, grain in _grains(entry.office_id, None, ancestors):
                day = local_date(entry.at)
                daily[_day_key(day, office_id, source.department, source.case_type, grain)]["received"] += 1
                if category and grain != SUBTREE_ALL:  # a complaint's route, as the intake recorded it
                    department = entry.details.get("department") or source.department
                    reasons[(day, office_id, CATEGORY, department, grain, category)] += 1
                    if entry.details.get("triage"):
                        reasons[(day, office_id, TRIAGED, department, grain, category)] += 1
    for d in decisions_of(entries):
        day = local_date(d.decided_at)
        for office_id, officer_id in _grains(d.office_id, d.officer_id, ancestors):
            counts = daily[_day_key(day, office_id, d.department, d.case_type, officer_id)]
            counts["decided"] += 1
            counts[d.outcome] += 1
            counts["over_failing"] += int(d.outcome == "approved" and d.failing_seen)
            if d.received_at is not None:
                counts[f"t{ttd_bucket((d.decided_at - d.received_at).total_seconds() / 60)}"] += 1
            if d.outcome == "rejected" and d.reason_code and officer_id != SUBTREE_ALL:
                reasons[(day, office_id, d.case_type, d.department, officer_id, d.reason_code)] += 1
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


def backlog_bucket(now, received_at):
    """The age bucket of a case received at `received_at` (its name in BACKLOG_BUCKETS)."""
    age = (now - received_at).total_seconds() / 86400
    return next(name for name, limit in BACKLOG_BUCKETS if limit is None or age < limit)


def bucket_bounds(now, name):
    """(received after, received before) of a backlog bucket's cases (None: open end); KeyError if unknown."""
    limits = dict(BACKLOG_BUCKETS)
    names = [bucket for bucket, _limit in BACKLOG_BUCKETS]
    upper = limits[name]
    lower = limits[names[names.index(name) - 1]] if names.index(name) else 0
    return (now - timedelta(days=upper) if upper is not None else None,
            now - timedelta(days=lower) if lower else None)


def deadline_status(now, due_at, due_soon_at, paused=False):
    """"overdue", "due_soon" or None for an open case's deadline: the casework core's SLA badge (one rule for the
    queues' badges, the dashboard's counts and the lists they link to)."""
    status = sla.status_of(None, paused, due_at, due_soon_at, now)
    return status if status in DEADLINES else None


def refresh_backlog(now=None):
    """Rebuild the snapshot of open cases per office × department × case type × age bucket, and of the cases
    overdue or due soon (the rows whose bucket is OVERDUE or DUE_SOON)."""
    now = now or utcnow()
    counts = defaultdict(int)
    for source in SOURCES.values():
        for office_id, received_at, *department in source.backlog():
            bucket = backlog_bucket(now, received_at)
            counts[(office_id, department[0] if department else source.department, source.case_type, bucket)] += 1
        for office_id, department, due_at, due_soon_at in source.deadlines():
            status = deadline_status(now, due_at, due_soon_at)  # deadlines() holds the running clocks only
            if status:
                counts[(office_id, department, source.case_type, status)] += 1
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
    until: object = None  # the last day a line covers, when it is more than its key's day

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


MONTHLY_AFTER_DAYS = 62  # a longer period is charted and tabled by month: 12 rows for a year, not 365


def by_month(lines):
    """Daily lines summed per calendar month; each keeps its first and last day (`key`, `until`)."""
    months = {}
    for line in lines:
        month = months.get((line.key.year, line.key.month))
        if month is None:
            month = months[(line.key.year, line.key.month)] = Line(line.key.replace(day=1))
        month.until = line.key
        for name in ("received", "decided", "approved", "rejected", "over_failing"):
            setattr(month, name, getattr(month, name) + getattr(line, name))
        month.histogram = [a + b for a, b in zip(month.histogram, line.histogram)]
    return list(months.values())


def _lines(rows):
    lines = []
    for key, received, decided, approved, rejected, over_failing, *histogram in rows:
        lines.append(Line(key, int(received), int(decided), int(approved), int(rejected), int(over_failing),
                          [int(v) for v in histogram]))
    return lines


def _sums(query_columns, where, group):
    return _lines(db.session.execute(select(*query_columns, *_SUMS).where(*where).group_by(group).order_by(group)))


def _root(officer, scope, office_id):
    """The office whose subtree the dashboard shows: the one chosen, if the officer may read it, else their own."""
    if office_id and db.session.scalar(select(Office.id).where(Office.id == office_id,
                                                               Office.id.in_(scope.office_ids))):
        return office_id
    return officer.office_id


def dashboard(officer, date_from, date_to, office_id=None):
    """The figures of the officer's reach for a period (Vietnam dates), from the rollups only.

    Supervisors and national department heads read subtree rows: the root office's and its children's (by office);
    other officers read their own rows (officer grain) or, for a local department head, their office's.
    """
    scope = reach(officer)
    period = [DailyRollup.day >= date_from, DailyRollup.day <= date_to]
    if scope.department:
        period.append(DailyRollup.department == scope.department)
    whole_subtree = scope.officer_id is None and (officer.role.value == "supervisor" or national(officer))
    if whole_subtree:
        root = _root(officer, scope, office_id)
        mine = [*period, DailyRollup.office_id == root, DailyRollup.officer_id == SUBTREE]
        # a subtree's days over all departments and types (one row a day), unless a subject narrows them
        child_grain = SUBTREE if scope.department else SUBTREE_ALL
        days = [*period, DailyRollup.office_id == root, DailyRollup.officer_id == child_grain]
        children = select(Office.id).where(Office.parent_id == root)
        per_office = (_sums([DailyRollup.office_id], [*period, DailyRollup.office_id == root,
                                                      DailyRollup.officer_id == OFFICE], DailyRollup.office_id) +
                      _sums([DailyRollup.office_id], [*period, DailyRollup.office_id.in_(children),
                                                      DailyRollup.officer_id == child_grain], DailyRollup.office_id))
        reason_where = [ReasonRollup.office_id == root, ReasonRollup.officer_id == SUBTREE]
        root_path = db.session.scalar(select(Office.path).where(Office.id == root))
        backlog_offices = root_path  # the root is within reach: its whole subtree
    else:
        grain, root = scope.officer_id or OFFICE, None
        mine = [*period, DailyRollup.office_id == officer.office_id, DailyRollup.officer_id == grain]
        days = mine
        per_office = _sums([DailyRollup.office_id], mine, DailyRollup.office_id)
        reason_where = [ReasonRollup.office_id == officer.office_id, ReasonRollup.officer_id == grain]
        backlog_offices = None if scope.officer_id else officer.office.path
    per_day = _sums([DailyRollup.day], days, DailyRollup.day)
    if (date_to - date_from).days > MONTHLY_AFTER_DAYS:
        per_day = by_month(per_day)
    per_department = _sums([DailyRollup.department], mine, DailyRollup.department)
    total = Line("total")
    for line in per_day:
        for name in ("received", "decided", "approved", "rejected", "over_failing"):
            setattr(total, name, getattr(total, name) + getattr(line, name))
        total.histogram = [a + b for a, b in zip(total.histogram, line.histogram)]
    reason_where += [ReasonRollup.day >= date_from, ReasonRollup.day <= date_to]
    if scope.department:
        reason_where.append(ReasonRollup.department == scope.department)
    reasons = db.session.execute(select(ReasonRollup.code, func.sum(ReasonRollup.count))
                                 .where(*reason_where, ReasonRollup.case_type.notin_(CATEGORY_TYPES))
                                 .group_by(ReasonRollup.code).order_by(func.sum(ReasonRollup.count).desc())).all()
    categories = complaint_categories(reason_where)
    backlog, backlog_by_type, deadlines = [], {}, []
    if backlog_offices is not None:
        backlog_by_type, deadlines = _snapshot(backlog_offices, scope.department)
        backlog = [(name, sum(n for (b, _t), n in backlog_by_type.items() if b == name))
                   for name, _limit_days in BACKLOG_BUCKETS]
    names = dict(db.session.execute(select(Office.id, Office.code + " " + Office.name).where(
        Office.id.in_([line.key for line in per_office]))).all())
    return {"root": root if whole_subtree else None,
            "per_day": per_day, "per_office": per_office, "per_department": per_department, "total": total,
            "reasons": [(code, int(n)) for code, n in reasons], "backlog": backlog, "office_names": names,
            "backlog_by_type": backlog_by_type, "backlog_types": [t for t in SOURCES if any(
                case_type == t for _b, case_type in backlog_by_type)],
            "deadlines": deadlines,
            "review": review_rates(scope, date_from, date_to), "categories": categories,
            "complaints": CategoryLine("total", sum(c.received for c in categories),
                                       sum(c.triaged for c in categories))}


@dataclass
class CategoryLine:
    """Complaints received in a category (or in all: key "total") and how many of them went to triage."""

    key: str
    received: int = 0
    triaged: int = 0

    @property
    def triage_share(self):
        return self.triaged / self.received if self.received else None


def complaint_categories(reason_where):
    """CategoryLine per complaint category of the reason rollup rows `reason_where` selects, most received first."""
    lines = {}
    for case_type, code, n in db.session.execute(
            select(ReasonRollup.case_type, ReasonRollup.code, func.sum(ReasonRollup.count))
            .where(*reason_where, ReasonRollup.case_type.in_(CATEGORY_TYPES))
            .group_by(ReasonRollup.case_type, ReasonRollup.code)):
        line = lines.setdefault(code, CategoryLine(code))
        if case_type == CATEGORY:
            line.received += int(n)
        else:
            line.triaged += int(n)
    return sorted(lines.values(), key=lambda line: (-line.received, line.key))


def _snapshot(offices_path, department=None):
    """From the snapshot of a subtree's open cases, in one read: {(age bucket, case type): n} and the
    (department, overdue, due soon) rows."""
    query = (select(BacklogSnapshot.bucket, BacklogSnapshot.case_type, BacklogSnapshot.department,
                    func.sum(BacklogSnapshot.count))
             .join(Office, Office.id == BacklogSnapshot.office_id).where(Office.path.startswith(offices_path))
             .group_by(BacklogSnapshot.bucket, BacklogSnapshot.case_type, BacklogSnapshot.department))
    if department:
        query = query.where(BacklogSnapshot.department == department)
    by_type, found = defaultdict(int), defaultdict(lambda: {OVERDUE: 0, DUE_SOON: 0})
    for bucket, case_type, code, n in db.session.execute(query):
        if bucket in DEADLINES:
            found[code][bucket] += int(n)
        else:
            by_type[(bucket, case_type)] += int(n)
    return dict(by_type), [(code, counts[OVERDUE], counts[DUE_SOON]) for code, counts in sorted(found.items())]


OPEN_CASES_LIMIT = 200


def office_names(ids):
    """{office id: "code name"}."""
    return dict(db.session.execute(select(Office.id, Office.code + " " + Office.name).where(Office.id.in_(ids))).all())


def open_cases(officer, bucket="", case_type="", office_id=None, now=None, deadline="", department=""):
    """The open cases behind a backlog or deadline number: the bucket's age, or the deadline status (overdue, due
    soon: the SLA badge), of a case type and a department if named, in the dashboard's subtree; oldest first (most
    overdue first), at most OPEN_CASES_LIMIT (the numbers are a snapshot; the list is read now). Rows of (source, id,
    reference, office id, received at, state, deadline status or None). A bucket, deadline, case type or department
    not known, or neither a bucket nor a deadline, is refused (DomainError)."""
    if bucket and bucket not in dict(BACKLOG_BUCKETS):
        raise DomainError("Khoảng số ngày chờ không hợp lệ.", field="bucket")
    if deadline and deadline not in DEADLINES:
        raise DomainError("Tình trạng hạn không hợp lệ.", field="deadline")
    if not bucket and not deadline:
        raise DomainError("Hãy chọn khoảng số ngày chờ hoặc tình trạng hạn.", field="bucket")
    if case_type and case_type not in SOURCES:
        raise DomainError("Loại hồ sơ không hợp lệ.", field="case_type")
    if department and department not in {code.value for code in DepartmentCode}:
        raise DomainError("Phòng ban không hợp lệ.", field="department")
    scope = reach(officer)
    if scope.officer_id is not None or (department and scope.department and department != scope.department):
        return []
    department = department or scope.department
    now = now or utcnow()
    root = _root(officer, scope, office_id)
    path = db.session.scalar(select(Office.path).where(Office.id == root))
    offices = select(Office.id).where(Office.path.startswith(path))
    after, before = bucket_bounds(now, bucket) if bucket else (None, None)
    rows = []
    for source in ([SOURCES[case_type]] if case_type else SOURCES.values()):
        if department and not source.in_department(department):
            continue
        for case_id, reference, office, received_at, state, due_at, due_soon_at, paused in source.open_cases(
                offices, after, before, OPEN_CASES_LIMIT, department or None, deadline or None, now):
            status = deadline_status(now, due_at, due_soon_at, paused) if due_at or paused else None
            if not deadline or status == deadline:
                rows.append((source, case_id, reference, office, received_at, state, status, due_at))
    order = (lambda row: (row[7], row[1])) if deadline else (lambda row: (row[4], row[1]))
    return [row[:7] for row in sorted(rows, key=order)[:OPEN_CASES_LIMIT]]


def _first_verdicts(scope, date_from, date_to, officer_id=None):
    """The first verdict of each drawn case re-reviewed in the period, within the scope (of one decider if named):
    what the disagreement rates count and the list behind them shows."""
    first = (select(ReviewVerdict.item_id, func.min(ReviewVerdict.id).label("verdict_id"))
             .group_by(ReviewVerdict.item_id).subquery())
    # the period's Vietnam days (the verdict's UTC date was compared before: a morning's verdicts fell a day early)
    where = [ReviewItem.office_id.in_(scope.office_ids),
             ReviewVerdict.at >= datetime.combine(date_from, time.min, BUSINESS_TZ),
             ReviewVerdict.at < datetime.combine(date_to + timedelta(days=1), time.min, BUSINESS_TZ)]
    if scope.officer_id is not None:
        where.append(ReviewItem.officer_id == scope.officer_id)
    if officer_id is not None:
        where.append(ReviewItem.officer_id == officer_id)
    return lambda *columns: (select(*columns).join(first, first.c.item_id == ReviewItem.id)
                             .join(ReviewVerdict, ReviewVerdict.id == first.c.verdict_id).where(*where))


def review_rates(scope, date_from, date_to):
    """Re-review disagreement per officer (first verdict of each drawn case) over samples of the period."""
    query = _first_verdicts(scope, date_from, date_to)(ReviewItem.officer_id, func.count(), func.sum(
        (ReviewVerdict.outcome != ReviewItem.original_outcome).cast(db.Integer))).group_by(ReviewItem.officer_id)
    return [(officer_id, int(n), int(k or 0)) for officer_id, n, k in db.session.execute(query)]


REVIEWED_LIMIT = 500


def reviewed(officer, date_from, date_to, decider_id=None, disagreed=False):
    """The re-reviewed cases behind a disagreement rate: (item, first verdict), newest first, at most REVIEWED_LIMIT;
    only the disagreements if asked."""
    query = _first_verdicts(reach(officer), date_from, date_to, decider_id)(ReviewItem, ReviewVerdict)
    if disagreed:
        query = query.where(ReviewVerdict.outcome != ReviewItem.original_outcome)
    return db.session.execute(query.order_by(ReviewVerdict.id.desc()).limit(REVIEWED_LIMIT)).all()
