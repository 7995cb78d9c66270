"""Anomaly flags (DESIGN.md §8): a periodic, idempotent job finds patterns worth a supervisor's look.

Each finding has a stable key, so running the job twice over the same window raises nothing new. Each flag links
to its cases; a supervisor marks it explained (with a note) or escalated. Flags feed the sampling as a risk stratum.
"""
import hashlib
import statistics
from collections import defaultdict
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, text

from backoffice.extensions import db
from backoffice.masking import mask_email, mask_phone
from backoffice.models import AuditEntry, Office, Officer, Role
from backoffice.models.base import utcnow
from backoffice.models.supervision import (
    AnomalyFlag,
    AnomalyFlagCase,
    DailyRollup,
    ReviewItem,
    ReviewSample,
    ReviewVerdict,
)
from backoffice.services import Conflict, DomainError, NotFound
from backoffice.services.platform import audit
from backoffice.services.platform.calendar import BUSINESS_TZ, is_working_day, local_date
from backoffice.services.supervision import access_report
from backoffice.services.supervision import reach as scope_reach
from backoffice.services.supervision.access_report import citizen_digest
from backoffice.services.supervision.sources import (
    FILE_OBJECT,
    SOURCES,
    decision_actions,
    decisions_of,
    view_actions,
)

FAST_FLOOR_SECONDS = 20  # under this from opening to deciding, nobody read the case
FAST_PERCENTILE = 5
FAST_MIN_HISTORY = 20  # a percentile of fewer decisions means little
HISTORY_DAYS = 30
HISTORY_CAP = 20_000  # the percentile is taken over the latest decisions of the 30 days, at most this many
WORK_START, WORK_END = time(7, 0), time(17, 30)  # office hours (Vietnam time) with the usual half-hour of slack
Z_LIMIT = 3.0
MIN_ACTIVE_DAYS = 10  # own-history z-scores need this many days worked in the last 30
MIN_PEERS = 3
RING_DAYS = 90
RING_CITIZENS = 2  # one contact approved under this many different mã số BHXH
VIEW_GRACE = timedelta(minutes=30)  # a view is judged once the officer had time to claim the case
REPORT_TIE = timedelta(days=1)  # a who-saw report covers the views of that citizen's cases for this long after it
LINK_CAP = 200
RULES = ("fast", "over_failed", "off_hours", "volume_own", "volume_peers", "self_approval", "ring", "view_no_case")
REVIEW_HANDLING = frozenset({"review_case_opened", "review_verdict_recorded", "review_follow_up"})
_PG_LOCK_KEY = 0x53555056  # "SUPV": one flag run at a time


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()[:16]  # keys carry no citizen data


class _Findings:
    """Collects new flags by key; a key already stored only gains the cases it lacked."""

    def __init__(self):
        self.found = {}

    def add(self, key, rule, office_id, officer_id, occurred_at, cases, **details):
        flag = self.found.get(key)
        if flag is None:
            flag = self.found[key] = {"rule": rule, "office_id": office_id, "officer_id": officer_id,
                                      "occurred_at": occurred_at, "cases": [], "details": details}
        for case in cases:
            if case not in flag["cases"] and len(flag["cases"]) < LINK_CAP:
                flag["cases"].append(case)

    def store(self):
        existing = {flag.key: flag for flag in db.session.scalars(
            select(AnomalyFlag).where(AnomalyFlag.key.in_(self.found)))} if self.found else {}
        created = 0
        for key, found in self.found.items():
            flag = existing.get(key)
            if flag is None:
                flag = AnomalyFlag(key=key, rule=found["rule"], office_id=found["office_id"],
                                   officer_id=found["officer_id"], occurred_at=found["occurred_at"],
                                   details=found["details"])
                db.session.add(flag)
                created += 1
            have = {(case.case_type, case.case_id) for case in flag.cases}
            flag.cases.extend(AnomalyFlagCase(case_type=t, case_id=i) for t, i in found["cases"] if (t, i) not in have)
        db.session.flush()
        return created


def _entries(actions, start, end):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(actions), AuditEntry.at >= start,
                                                       AuditEntry.at < end).order_by(AuditEntry.id)).all()


def percentile(values, p):
    """The p-th percentile (nearest rank) of a list of numbers."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def _fast_thresholds(end):
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(decision_actions()), AuditEntry.at >= end - timedelta(days=HISTORY_DAYS),
        AuditEntry.at < end).order_by(AuditEntry.id.desc()).limit(HISTORY_CAP)).all()
    times = defaultdict(list)
    for decision in decisions_of(entries):
        if decision.review_seconds is not None:
            times[decision.case_type].append(decision.review_seconds)
    return {case_type: percentile(values, FAST_PERCENTILE) for case_type, values in times.items()
            if len(values) >= FAST_MIN_HISTORY}


def out_of_hours(moment):
    """True for a moment outside office hours or on a non-working day, in Vietnam time."""
    local = moment.astimezone(BUSINESS_TZ)
    return not is_working_day(local.date()) or not (WORK_START <= local.time() < WORK_END)


def _decision_rules(findings, decisions, end):
    thresholds = _fast_thresholds(end)
    for d in decisions:
        case = [(d.case_type, d.case_id)]
        seconds = d.review_seconds
        if seconds is not None and (seconds < FAST_FLOOR_SECONDS or seconds < thresholds.get(d.case_type, 0)):
            findings.add(f"fast:{d.audit_entry_id}", "fast", d.office_id, d.officer_id, d.decided_at, case,
                         seconds=round(seconds), threshold=round(thresholds.get(d.case_type, 0)),
                         floor=FAST_FLOOR_SECONDS)
        if d.outcome == "approved" and d.failing_seen:
            findings.add(f"over_failed:{d.audit_entry_id}", "over_failed", d.office_id, d.officer_id, d.decided_at,
                         case, checker_id=d.checker_id)
        actor = d.checker_id or d.officer_id
        if out_of_hours(d.decided_at):
            findings.add(f"off_hours:{d.audit_entry_id}", "off_hours", d.office_id, actor, d.decided_at, case,
                         local_time=d.decided_at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M"),
                         working_day=is_working_day(local_date(d.decided_at)))


def _zscore(value, values):
    mean = statistics.fmean(values)
    spread = max(statistics.pstdev(values), 1.0)  # a flat history would make any change infinite
    return (value - mean) / spread, mean


def _volume_rules(findings, start, end):
    """Daily decisions per officer (rollup rows, officer grain) against their own 30 days and their peers."""
    first, last = local_date(start), local_date(end - timedelta(microseconds=1))
    rows = db.session.execute(select(DailyRollup.day, DailyRollup.officer_id, DailyRollup.office_id,
                                     func.sum(DailyRollup.decided))
                              .where(DailyRollup.officer_id > 0, DailyRollup.day >= first - timedelta(HISTORY_DAYS),
                                     DailyRollup.day <= last)
                              .group_by(DailyRollup.day, DailyRollup.officer_id, DailyRollup.office_id)).all()
    counts, office_of = defaultdict(dict), {}
    for day, officer_id, office_id, decided in rows:
        counts[officer_id][day] = counts[officer_id].get(day, 0) + int(decided)
        office_of[officer_id] = office_id
    day = first
    while day <= last:
        same_day = {officer_id: days[day] for officer_id, days in counts.items() if day in days}
        for officer_id, value in same_day.items():
            history = [counts[officer_id].get(day - timedelta(n), 0) for n in range(1, HISTORY_DAYS + 1)
                       if is_working_day(day - timedelta(n))]
            if sum(1 for v in history if v) >= MIN_ACTIVE_DAYS:
                z, mean = _zscore(value, history)
                if z > Z_LIMIT:
                    _volume_flag(findings, "volume_own", officer_id, office_of[officer_id], day, value, z, mean)
            peers = [v for other, v in same_day.items() if other != officer_id and office_of[other] ==
                     office_of[officer_id]]
            if len(peers) >= MIN_PEERS:
                z, mean = _zscore(value, peers)
                if z > Z_LIMIT:
                    _volume_flag(findings, "volume_peers", officer_id, office_of[officer_id], day, value, z, mean)
        day += timedelta(days=1)


def _volume_flag(findings, rule, officer_id, office_id, day, value, z, mean):
    start = datetime.combine(day, time.min, BUSINESS_TZ)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.actor_id == officer_id, AuditEntry.action.in_(decision_actions()), AuditEntry.at >= start,
        AuditEntry.at < start + timedelta(days=1)).order_by(AuditEntry.id).limit(LINK_CAP)).all()
    findings.add(f"{rule}:{officer_id}:{day.isoformat()}", rule, office_id, officer_id, start,
                 [(_case_type_of()[e.action], int(e.object_id)) for e in entries],
                 day=day.isoformat(), decided=value, z=round(z, 1), mean=round(mean, 1))


def _case_type_of():
    """{decision action: case type} (built when asked: sources register at import time)."""
    return {action: source.case_type for action, (source, _outcome) in decision_actions().items()}


def _self_approval_rule(findings, start, end):
    actions = {action: source for source in SOURCES.values() for action in source.self_approval_actions}
    for entry in _entries(actions, start, end) if actions else []:
        findings.add(f"self_approval:{entry.id}", "self_approval", entry.office_id, entry.actor_id, entry.at,
                     [(actions[entry.action].case_type, int(entry.object_id))])


def _ring_rule(findings, decisions, end):
    """One officer approving several cases that share a phone or email under different mã số BHXH."""
    officers = {d.officer_id for d in decisions if d.outcome == "approved"}
    if not officers:
        return
    approvals = [d for d in decisions_of(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(decision_actions()), AuditEntry.actor_id.in_(officers),
        AuditEntry.at >= end - timedelta(days=RING_DAYS), AuditEntry.at < end)).all())
        if d.outcome == "approved" and d.officer_id in officers]
    groups = defaultdict(list)
    for case_type in {d.case_type for d in approvals}:
        mine = [d for d in approvals if d.case_type == case_type]
        contacts = SOURCES[case_type].contacts([d.case_id for d in mine])
        for d in mine:
            citizen, phone, email = contacts.get(d.case_id, (None, None, None))
            for kind, value in (("phone", phone), ("email", (email or "").lower())):
                if value:
                    groups[(d.officer_id, kind, value)].append((d, citizen))
    for (officer_id, kind, value), found in groups.items():
        citizens = {citizen for _d, citizen in found}
        if len(citizens) >= RING_CITIZENS:
            latest = max(d.decided_at for d, _c in found)
            findings.add(f"ring:{officer_id}:{kind}:{_digest(value)}", "ring", found[-1][0].office_id, officer_id,
                         latest, [(d.case_type, d.case_id) for d, _c in found], contact_kind=kind,
                         contact=mask_phone(value) if kind == "phone" else mask_email(value), citizens=len(citizens))


def _viewed_cases(views):
    """{(object type, object id): CitizenCase} of what these view entries showed: a photo's case, or the case."""
    found = {}
    files = {int(e.object_id) for e in views if e.object_type == FILE_OBJECT}
    for source in SOURCES.values():
        if files:
            found.update({(FILE_OBJECT, str(file_id)): case
                          for file_id, case in source.cases_for_files(files).items()})
        ids = {int(e.object_id) for e in views if e.object_type == source.case_type}
        if ids:
            found.update({(source.case_type, str(case.case_id)): case for case in source.cases(ids)})
    return found


def _view_rule(findings, start, end):
    """Views of a citizen's data or photos (every action of `sources.view_actions()`, the list the who-saw report
    reads too) by an officer who holds no case for that citizen."""
    views = [e for e in _entries(view_actions(), start, min(end, utcnow() - VIEW_GRACE)) if e.actor_id]
    if not views:
        return
    owners = _viewed_cases(views)
    citizens = {case.citizen for case in owners.values()}
    cases_of = defaultdict(set)  # citizen -> {(case type, case id)}
    for source in SOURCES.values():
        for citizen, ids in source.citizen_cases(citizens).items():
            cases_of[citizen] |= {(source.case_type, case_id) for case_id in ids}
    # Seeing a case (a page, a print) is not holding it: only the steps of its work are, and a drawn re-review; a
    # supervisor's views while working a supervision item are tied to it (`_supervision_ties`).
    handling = REVIEW_HANDLING | (frozenset().union(*(source.handling_actions for source in SOURCES.values()))
                                  - view_actions())
    holders = defaultdict(set)  # (case type, case id) -> officers who hold it now or acted on it
    all_cases = set().union(*cases_of.values()) if cases_of else set()
    for case_type in {t for t, _i in all_cases}:
        for case_id, officers in SOURCES[case_type].holders([i for t, i in all_cases if t == case_type]).items():
            holders[(case_type, case_id)] |= officers
        ids = [str(i) for t, i in all_cases if t == case_type]
        for object_id, actor_id in db.session.execute(select(AuditEntry.object_id, AuditEntry.actor_id).where(
                AuditEntry.object_type == case_type, AuditEntry.object_id.in_(ids),
                AuditEntry.action.in_(handling), AuditEntry.actor_id.isnot(None))):
            holders[(case_type, int(object_id))].add(actor_id)
    ties = _supervision_ties({e.actor_id for e in views}, all_cases, start)
    for entry in views:
        case = owners.get((entry.object_type, entry.object_id))
        if case is None:
            continue
        held = any(entry.actor_id in holders[c] for c in cases_of[case.citizen])
        if not held and not ties.covers(entry, case, cases_of[case.citizen]):
            findings.add(f"view_no_case:{entry.actor_id}:{_digest(case.citizen)}:{local_date(entry.at).isoformat()}",
                         "view_no_case", case.office_id, entry.actor_id, entry.at, [(case.case_type, case.case_id)],
                         views=1)


class _Ties:
    """The supervision work each supervisor holds: the cases of their samples, disagreements and flags, and the
    citizens of their who-saw reports (with when they ran them)."""

    def __init__(self):
        self.cases = defaultdict(set)  # officer id -> {(case type, case id)}
        self.reports = defaultdict(list)  # officer id -> [(citizen digest, at)]

    def covers(self, entry, case, citizen_cases):
        """True when the view was part of the viewer's supervision work on this citizen."""
        if self.cases[entry.actor_id] & citizen_cases:
            return True
        digest = citizen_digest(case.citizen)
        return any(found == digest and at <= entry.at <= at + REPORT_TIE for found, at in self.reports[entry.actor_id])


def _supervision_ties(viewer_ids, all_cases, since):
    """A supervisor working a supervision item holds its cases, as an officer holds the case they work: an item of a
    sample they drew, re-reviewed or settled the disagreement of; a flag of their subtree, open or settled by them;
    a who-saw report they ran on the citizen (for REPORT_TIE after it). Officers of other roles hold none."""
    ties = _Ties()
    supervisors = dict(db.session.execute(select(Officer.id, Office.path).join(Office, Office.id == Officer.office_id)
                                          .where(Officer.id.in_(viewer_ids), Officer.role == Role.supervisor)).all())
    if not supervisors or not all_cases:
        return ties
    for case_type in {t for t, _i in all_cases}:
        ids = [i for t, i in all_cases if t == case_type]
        for item_case, drawer, reviewer, settler in db.session.execute(
                select(ReviewItem.case_id, ReviewSample.created_by_id, ReviewVerdict.reviewer_id,
                       ReviewVerdict.follow_up_by_id)
                .join(ReviewSample, ReviewSample.id == ReviewItem.sample_id)
                .outerjoin(ReviewVerdict, ReviewVerdict.item_id == ReviewItem.id)
                .where(ReviewItem.case_type == case_type, ReviewItem.case_id.in_(ids))):
            for officer_id in {drawer, reviewer, settler} & set(supervisors):
                ties.cases[officer_id].add((case_type, item_case))
        for flag_case, path, status, resolver in db.session.execute(
                select(AnomalyFlagCase.case_id, Office.path, AnomalyFlag.status, AnomalyFlag.resolved_by_id)
                .join(AnomalyFlag, AnomalyFlag.id == AnomalyFlagCase.flag_id)
                .join(Office, Office.id == AnomalyFlag.office_id)
                .where(AnomalyFlagCase.case_type == case_type, AnomalyFlagCase.case_id.in_(ids))):
            for officer_id, own_path in supervisors.items():
                if path.startswith(own_path) and (status == "open" or resolver == officer_id):
                    ties.cases[officer_id].add((case_type, flag_case))
    for actor_id, digest, at, details in db.session.execute(
            select(AuditEntry.actor_id, AuditEntry.object_id, AuditEntry.at, AuditEntry.details).where(
                AuditEntry.action == access_report.RUN_ACTION, AuditEntry.actor_id.in_(supervisors),
                AuditEntry.at >= since - REPORT_TIE)):
        for found in {digest, *(details or {}).get("citizens", [])}:  # the term's, and its citizens' (by ID number)
            ties.reports[actor_id].append((found, at))
    return ties


def detect(end=None, days=2):
    """Find the anomalies of the window [end - days, end) and store the new ones; returns how many were new."""
    end = end or utcnow()
    start = end - timedelta(days=days)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    findings = _Findings()
    decisions = decisions_of(_entries(decision_actions(), start, end))
    _decision_rules(findings, decisions, end)
    _volume_rules(findings, start, end)
    _self_approval_rule(findings, start, end)
    _ring_rule(findings, decisions, end)
    _view_rule(findings, start, end)
    return findings.store()


def flags_page(officer, status="open", rule="", after=None, limit=50):
    """Flags in the supervisor's subtree, newest first, keyset on id."""
    query = select(AnomalyFlag).where(AnomalyFlag.office_id.in_(scope_reach.subtree_office_ids(officer)))
    if status:
        query = query.where(AnomalyFlag.status == status)
    if rule:
        query = query.where(AnomalyFlag.rule == rule)
    if after:
        query = query.where(AnomalyFlag.id < after)
    return db.session.scalars(query.order_by(AnomalyFlag.id.desc()).limit(limit)).all()


def get_flag(officer, flag_id):
    """A flag in the supervisor's subtree (else NotFound)."""
    flag = db.session.get(AnomalyFlag, flag_id)
    if flag is None or not scope_reach.covers(officer, flag.office_id):
        raise NotFound("Không tìm thấy cảnh báo trong đơn vị của bạn.")
    return flag


def resolve(officer, flag_id, status, note):
    """Mark a flag explained (a note is required) or escalated (audited)."""
    flag = get_flag(officer, flag_id)
    if status not in ("explained", "escalated"):
        raise DomainError("Hãy chọn: đã giải trình hoặc chuyển cấp trên.", field="status")
    if status == "explained" and len((note or "").strip()) < 10:
        raise DomainError("Hãy ghi nội dung giải trình (ít nhất 10 ký tự).", field="note")
    if flag.status != "open":
        raise Conflict("Cảnh báo này đã được xử lý.")
    flag.status, flag.note, flag.resolved_by_id, flag.resolved_at = status, (note or "").strip(), officer.id, utcnow()
    db.session.flush()
    audit.record(f"flag_{status}", actor=officer, object_type="anomaly_flag", object_id=flag.id,
                 office_id=flag.office_id, details={"rule": flag.rule, "note": flag.note})
    return flag


def officer_names(ids):
    """{officer id: "full name (username)"} for display."""
    return {row.id: f"{row.full_name} ({row.username})" for row in db.session.execute(
        select(Officer.id, Officer.full_name, Officer.username).where(Officer.id.in_(set(ids))))}
