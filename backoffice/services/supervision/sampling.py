"""Blind re-review by stratified sample (DESIGN.md §8): the draw, the blind case, verdicts, results, calibration.

The method comes from claims auditing: strata of officer × case type × risk, high-risk strata oversampled, each
stratum's size from a RAT-STATS-style attribute sample size (normal approximation with the finite-population
correction; anticipated rate 50%, the conservative choice) or a fixed count. The seed, the frame and the strata are
stored, so the draw can be replayed and checked.
"""
import hashlib
import json
import math
import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from statistics import NormalDist

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Officer
from backoffice.models.base import utcnow
from backoffice.models.supervision import AnomalyFlagCase, ReviewItem, ReviewSample, ReviewVerdict
from backoffice.services import Conflict, DomainError, NotFound
from backoffice.services.platform import audit
from backoffice.services.platform.calendar import BUSINESS_TZ
from backoffice.services.supervision import reach as scope_reach
from backoffice.services.supervision.sources import SOURCES, decision_actions, decisions_of

NEW_OFFICER_DAYS = 7
HIGH_RISK = ("over_failing", "payout_change", "flagged")
RISK_ORDER = ("over_failing", "payout_change", "flagged", "new_officer", "normal")
OVERSAMPLE = 2  # high-risk strata take twice their computed size (capped at their population)
MAX_PERIOD_DAYS = 366


def z_value(confidence):
    """The two-sided normal quantile for a confidence level (0.90 → 1.645)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def attribute_sample_size(population, precision=0.10, confidence=0.90, expected_rate=0.5):
    """RAT-STATS-style attribute sample size: n0 = z²·p(1-p)/E², corrected for a finite population, rounded up."""
    if population <= 0:
        return 0
    n0 = z_value(confidence) ** 2 * expected_rate * (1 - expected_rate) / precision ** 2
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


def wilson(successes, trials, confidence=0.90):
    """The Wilson score interval (low, high) of a proportion; (0, 1) without trials."""
    if trials == 0:
        return 0.0, 1.0
    z = z_value(confidence)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def _bounds(period_from, period_to):
    return (datetime.combine(period_from, time.min, BUSINESS_TZ),
            datetime.combine(period_to + timedelta(days=1), time.min, BUSINESS_TZ))


def _risk(decision, officers, flagged):
    risks = set(decision.risks)
    if decision.outcome == "approved" and decision.failing_seen:
        risks.add("over_failing")
    if (decision.case_type, decision.case_id) in flagged:
        risks.add("flagged")
    created = officers.get(decision.officer_id)
    if created is not None and timedelta(0) <= decision.decided_at - created < timedelta(days=NEW_OFFICER_DAYS):
        risks.add("new_officer")
    return next((risk for risk in RISK_ORDER if risk in risks), "normal")


def build_frame(drawer, office_ids, period_from, period_to):
    """Every decision of the period in the subtree, but the drawer's own: [case_type, case_id, entry, officer,
    stratum, checker, outcome, office], in audit entry order."""
    start, end = _bounds(period_from, period_to)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(decision_actions()), AuditEntry.at >= start, AuditEntry.at < end,
        AuditEntry.office_id.in_(office_ids)).order_by(AuditEntry.id)).all()
    found = [d for d in decisions_of(entries) if drawer.id not in (d.officer_id, d.checker_id)]
    officers = dict(db.session.execute(select(Officer.id, Officer.created_at)
                                       .where(Officer.id.in_({d.officer_id for d in found}))).all())
    flagged = set()
    for case_type in {d.case_type for d in found}:
        ids = [d.case_id for d in found if d.case_type == case_type]
        flagged |= {(case_type, case_id) for case_id in db.session.scalars(select(AnomalyFlagCase.case_id).where(
            AnomalyFlagCase.case_type == case_type, AnomalyFlagCase.case_id.in_(ids)))}
    return [[d.case_type, d.case_id, d.audit_entry_id, d.officer_id,
             f"{d.officer_id}|{d.stratum_type or d.case_type}|{_risk(d, officers, flagged)}", d.checker_id,
             d.outcome, d.office_id] for d in found]


def stratum_sizes(frame, method="precision", precision=0.10, confidence=0.90, fixed_count=None):
    """{stratum: {"population", "size", "high_risk"}} for a frame."""
    populations = Counter(row[4] for row in frame)
    strata = {}
    for stratum, population in sorted(populations.items()):
        high = stratum.rsplit("|", 1)[1] in HIGH_RISK
        size = (min(population, fixed_count) if method == "fixed"
                else attribute_sample_size(population, precision, confidence))
        strata[stratum] = {"population": population, "size": min(population, size * OVERSAMPLE if high else size),
                           "high_risk": high}
    return strata


def select_rows(frame, strata, seed):
    """The drawn rows: per stratum (in name order), a seeded sample of its rows in audit entry order."""
    by_stratum = defaultdict(list)
    for row in frame:
        by_stratum[row[4]].append(row)
    chosen = []
    for stratum in sorted(strata):
        rows = sorted(by_stratum[stratum], key=lambda row: row[2])
        chosen += random.Random(f"{seed}/{stratum}").sample(rows, strata[stratum]["size"])
    return sorted(chosen, key=lambda row: row[2])


def frame_hash(frame):
    """SHA-256 of the frame as stored, to show it was not changed after the draw."""
    return hashlib.sha256(json.dumps(frame, separators=(",", ":")).encode()).hexdigest()


def draw(officer, period_from, period_to, method="precision", precision=0.10, confidence=0.90, fixed_count=None,
         seed=None, calibration=False):
    """Draw and store a sample of the decisions in the officer's subtree for the period (audited)."""
    if period_to < period_from:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="period_to")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise DomainError("Chọn khoảng thời gian tối đa một năm.", field="period_from")
    if method == "fixed" and not fixed_count:
        raise DomainError("Hãy nhập số hồ sơ cho mỗi nhóm.", field="fixed_count")
    if method == "precision" and not (0.01 <= precision <= 0.5 and 0.5 <= confidence < 1):
        raise DomainError("Độ chính xác từ 1% đến 50%, độ tin cậy từ 50% đến dưới 100%.", field="precision")
    frame = build_frame(officer, scope_reach.subtree_office_ids(officer), period_from, period_to)
    if not frame:
        raise DomainError("Không có quyết định nào trong đơn vị và khoảng thời gian này.", field="period_from")
    strata = stratum_sizes(frame, method, precision, confidence, fixed_count)
    seed = str(seed if seed is not None else secrets.randbits(63))
    sample = ReviewSample(created_by_id=officer.id, office_id=officer.office_id, period_from=period_from,
                          period_to=period_to, seed=seed, method=method, precision=precision, confidence=confidence,
                          fixed_count=fixed_count, calibration=calibration, frame=frame, frame_hash=frame_hash(frame),
                          strata=strata)
    db.session.add(sample)
    for case_type, case_id, entry_id, officer_id, stratum, checker_id, outcome, office_id in select_rows(
            frame, strata, seed):
        sample.items.append(ReviewItem(case_type=case_type, case_id=case_id, audit_entry_id=entry_id,
                                       officer_id=officer_id, checker_id=checker_id, stratum=stratum,
                                       original_outcome=outcome, office_id=office_id))
    db.session.flush()
    audit.record("review_sample_drawn", actor=officer, object_type="review_sample", object_id=sample.id,
                 office_id=officer.office_id, details={"seed": seed, "frame_hash": sample.frame_hash,
                                                       "frame_size": len(frame), "drawn": len(sample.items),
                                                       "strata": len(strata), "method": method})
    return sample


def replay(sample):
    """Draw again from the stored frame and seed; True with the ids when it gives the stored items exactly."""
    if frame_hash(sample.frame) != sample.frame_hash:
        return False, []
    again = [(row[0], row[1]) for row in select_rows(sample.frame, sample.strata, sample.seed)]
    return again == [(item.case_type, item.case_id) for item in sample.items], again


def get_sample(officer, sample_id):
    """A sample drawn in the officer's subtree (else NotFound)."""
    sample = db.session.get(ReviewSample, sample_id)
    if sample is None or not scope_reach.covers(officer, sample.office_id):
        raise NotFound("Không tìm thấy mẫu kiểm tra lại trong đơn vị của bạn.")
    return sample


def samples(officer, limit=50):
    """The samples drawn in the officer's subtree, newest first."""
    return db.session.scalars(select(ReviewSample).where(
        ReviewSample.office_id.in_(scope_reach.subtree_office_ids(officer)))
        .order_by(ReviewSample.id.desc()).limit(limit)).all()


def _item(officer, item_id):
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound("Không tìm thấy hồ sơ kiểm tra lại.")
    get_sample(officer, item.sample_id)
    return item


def own(officer, item):
    """True when the officer took part in the decision (then they may not re-review it)."""
    return officer.id in (item.officer_id, item.checker_id)


def to_review(officer, sample):
    """The items this officer may still re-review (never their own decisions)."""
    done = set(db.session.scalars(select(ReviewVerdict.item_id).where(ReviewVerdict.reviewer_id == officer.id)))
    return [item for item in sample.items if not own(officer, item) and item.id not in done]


def blind_case(officer, item_id):
    """The case as the deciding officer saw it, without the decision, the officer or the justification (audited)."""
    item = _item(officer, item_id)
    if own(officer, item):
        raise DomainError("Bạn không kiểm tra lại quyết định của chính mình.")
    entry = db.session.get(AuditEntry, item.audit_entry_id)
    source = SOURCES[item.case_type]
    audit.record("review_case_opened", actor=officer, object_type=item.case_type, object_id=item.case_id,
                 office_id=item.office_id, details={"review_item": item.id})
    return item, source, source.blind_case(item.case_id, entry)


def record_verdict(officer, item_id, outcome, reason):
    """The re-reviewer's own decision and reason (audited); once per reviewer and case."""
    item = _item(officer, item_id)
    if own(officer, item):
        raise DomainError("Bạn không kiểm tra lại quyết định của chính mình.")
    if outcome not in dict(SOURCES[item.case_type].outcome_choices()):
        raise DomainError("Hãy chọn kết luận của bạn.", field="outcome")
    if len((reason or "").strip()) < 5:
        raise DomainError("Hãy ghi lý do (ít nhất 5 ký tự).", field="reason")
    if db.session.scalar(select(ReviewVerdict.id).where(ReviewVerdict.item_id == item.id,
                                                        ReviewVerdict.reviewer_id == officer.id)):
        raise Conflict("Bạn đã ghi kết luận cho hồ sơ này.")
    verdict = ReviewVerdict(item=item, reviewer_id=officer.id, outcome=outcome, reason=reason.strip())
    db.session.add(verdict)
    db.session.flush()
    audit.record("review_verdict_recorded", actor=officer, object_type=item.case_type, object_id=item.case_id,
                 office_id=item.office_id, details={"review_item": item.id, "outcome": outcome,
                                                    "agrees": outcome == item.original_outcome})
    return verdict


FOLLOW_UPS = ("confirmed", "corrected")


def follow_up(officer, verdict_id, action, note):
    """Settle a disagreement: confirm the original, or correct it through the normal workflow (audited)."""
    verdict = db.session.get(ReviewVerdict, verdict_id)
    if verdict is None:
        raise NotFound("Không tìm thấy kết luận kiểm tra lại.")
    item = _item(officer, verdict.item_id)
    if verdict.outcome == item.original_outcome:
        raise DomainError("Kết luận này trùng với quyết định ban đầu; không cần xử lý tiếp.")
    if action not in FOLLOW_UPS:
        raise DomainError("Hãy chọn giữ nguyên hoặc điều chỉnh.", field="action")
    if len((note or "").strip()) < 10:
        raise DomainError("Hãy ghi rõ căn cứ (ít nhất 10 ký tự).", field="note")
    if verdict.follow_up:
        raise Conflict("Bất đồng này đã được xử lý.")
    verdict.follow_up, verdict.follow_up_note = action, note.strip()
    verdict.follow_up_by_id, verdict.follow_up_at = officer.id, utcnow()
    db.session.flush()
    audit.record("review_follow_up", actor=officer, object_type=item.case_type, object_id=item.case_id,
                 office_id=item.office_id,
                 details={"review_item": item.id, "action": action, "note": verdict.follow_up_note})
    return verdict


@dataclass
class Rate:
    """A disagreement rate with its Wilson interval."""

    key: str
    reviewed: int
    disagreed: int
    low: float
    high: float

    @property
    def rate(self):
        return self.disagreed / self.reviewed if self.reviewed else 0.0


def _first_verdicts(sample):
    return {item.id: item.verdicts[0] for item in sample.items if item.verdicts}


def results(sample):
    """Disagreement rates per officer and per stratum (first verdict of each case), and the disagreements."""
    first = _first_verdicts(sample)
    per_officer, per_stratum = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for item in sample.items:
        if item.id not in first:
            continue
        disagreed = int(first[item.id].outcome != item.original_outcome)
        for table, key in ((per_officer, item.officer_id), (per_stratum, item.stratum)):
            table[key][0] += 1
            table[key][1] += disagreed

    def rates(table):
        return [Rate(key, n, k, *wilson(k, n, sample.confidence or 0.90)) for key, (n, k) in sorted(
            table.items(), key=lambda pair: str(pair[0]))]

    disagreements = [(item, verdict) for item in sample.items for verdict in item.verdicts
                     if verdict.outcome != item.original_outcome]
    return {"per_officer": rates(per_officer), "per_stratum": rates(per_stratum), "disagreements": disagreements,
            "reviewed": len(first), "drawn": len(sample.items)}


def calibration(sample):
    """Agreement between re-reviewers on the cases several of them judged: pairwise share and Fleiss' kappa."""
    judged = [item for item in sample.items if len(item.verdicts) >= 2]
    pairs = agreeing = 0
    categories = sorted({v.outcome for item in judged for v in item.verdicts})
    p_items, totals = [], Counter()
    for item in judged:
        counts = Counter(v.outcome for v in item.verdicts)
        n = len(item.verdicts)
        totals.update(counts)
        pairs += n * (n - 1) // 2
        agreeing += sum(c * (c - 1) // 2 for c in counts.values())
        p_items.append(sum(c * (c - 1) for c in counts.values()) / (n * (n - 1)))
    kappa = None
    if judged and len(categories) > 1:
        all_votes = sum(totals.values())
        expected = sum((totals[c] / all_votes) ** 2 for c in categories)
        observed = sum(p_items) / len(p_items)
        kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return {"items": judged, "pairs": pairs, "agreement": agreeing / pairs if pairs else None, "kappa": kappa}
