"""Blind re-review by sample: sizes, strata, reproducibility, no self-review, Wilson intervals, follow-up."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Role
from backoffice.models.supervision import ReviewSample
from backoffice.services import DomainError, supervision
from backoffice.services.supervision import sampling
from tests.supervision.conftest import WORKDAY_10AM, add_officer, officer

DAY = date(2026, 3, 10)


def test_attribute_sample_sizes_match_the_rat_stats_style_formula():
    # ±10% at 90%, rate 50%: n0 = 1.6449² · 0.25 / 0.01 = 67.6 → 68 for a very large population
    assert sampling.attribute_sample_size(10_000_000) == 68
    assert sampling.attribute_sample_size(100) == 41  # 67.6 / (1 + 66.6/100) = 40.6 → 41
    assert sampling.attribute_sample_size(10) == 9
    assert sampling.attribute_sample_size(1) == 1 and sampling.attribute_sample_size(0) == 0
    assert sampling.attribute_sample_size(10_000_000, precision=0.05, confidence=0.95) == 385


@given(st.integers(1, 5000), st.floats(0.02, 0.5), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_sample_size_never_exceeds_the_population_and_shrinks_with_looser_precision(n, precision, confidence):
    size = sampling.attribute_sample_size(n, precision, confidence)
    assert 1 <= size <= n
    assert sampling.attribute_sample_size(n, min(0.5, precision * 2), confidence) <= size


def test_wilson_interval_at_90_percent():
    low, high = sampling.wilson(2, 20)
    # p = 0.1, z = 1.6449: centre 0.1477, half-width 0.1140 (computed by hand)
    assert round(low, 3) == 0.034 and round(high, 3) == 0.262
    assert sampling.wilson(0, 0) == (0.0, 1.0)
    low, high = sampling.wilson(0, 10)
    assert low == 0.0 and 0 < high < 0.25


def _decisions(desk, count=12):
    add_officer("tiepnhan2.00131")
    add_officer("moi.00131", created_at=WORKDAY_10AM - timedelta(days=2))  # a new officer: first week
    for i in range(count):
        desk.decide("tiepnhan.00131", "approved" if i % 3 else "rejected", at=WORKDAY_10AM + timedelta(minutes=10 * i))
    for i in range(4):
        desk.decide("tiepnhan2.00131", at=WORKDAY_10AM + timedelta(hours=3, minutes=i))
    desk.decide("tiepnhan.00131", failing=True, at=WORKDAY_10AM + timedelta(hours=4))  # approved over a failing check
    desk.decide("moi.00131", at=WORKDAY_10AM + timedelta(hours=5))
    desk.decide("tiepnhan.00109", office_code="00109", at=WORKDAY_10AM + timedelta(hours=5))  # another district


def test_strata_sizes_oversampling_and_frame(desk):
    _decisions(desk)
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=2, seed=42)
    db.session.commit()
    strata = sample.strata
    ids = {name: officer(name).id for name in ("tiepnhan.00131", "tiepnhan2.00131", "moi.00131", "tiepnhan.00109")}
    normal = f"{ids['tiepnhan.00131']}|declaration|normal"
    assert strata[normal] == {"population": 12, "size": 2, "high_risk": False}
    # approved over a failing check: a high-risk stratum, oversampled (2 × 2, capped at its population of 1)
    assert strata[f"{ids['tiepnhan.00131']}|declaration|over_failing"] == {"population": 1, "size": 1,
                                                                            "high_risk": True}
    assert f"{ids['moi.00131']}|declaration|new_officer" in strata
    assert f"{ids['tiepnhan.00109']}|declaration|normal" in strata  # the subtree: Thanh Xuân is under Hà Nội
    assert len(sample.frame) == 19 and len(sample.items) == sum(s["size"] for s in strata.values())

    precise = sampling.draw(supervisor, DAY, DAY, seed=7)
    assert precise.strata[normal]["size"] == sampling.attribute_sample_size(12)  # 11 of 12


def test_the_draw_is_reproducible_from_its_seed(desk, app):
    _decisions(desk)
    supervisor = officer("giamsat.00100")
    first = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=3, seed=2026)
    second = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=3, seed=2026)
    other = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=3, seed=2027)
    db.session.commit()
    picked = [(i.case_type, i.case_id) for i in first.items]
    assert picked == [(i.case_type, i.case_id) for i in second.items]
    assert picked != [(i.case_type, i.case_id) for i in other.items]
    assert sampling.replay(first) == (True, picked)

    result = app.test_cli_runner().invoke(args=["review", "draw", "--replay", str(first.id)])
    assert result.exit_code == 0 and "matches the stored sample exactly" in result.output
    # a frame changed after the draw no longer replays
    db.session.get(ReviewSample, first.id).frame = first.frame[:-1]
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["review", "draw", "--replay", str(first.id)])
    assert result.exit_code == 1
    drawn = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "review_sample_drawn")).all()
    assert len(drawn) == 3 and drawn[0].details["seed"] == "2026"


def test_cli_draws_a_sample(desk, app):
    _decisions(desk, count=3)
    result = app.test_cli_runner().invoke(args=["review", "draw", "--as", "giamsat.00100", "--from", "2026-03-10",
                                                "--to", "2026-03-10", "--fixed", "1", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "drawn" in result.output and "(high risk)" in result.output


def test_no_self_review(desk):
    desk.decide("tiepnhan.00131", at=WORKDAY_10AM)
    # the Bắc Từ Liêm supervisor confirms a second approval: that decision is theirs too
    desk.decide("tiepnhan.00131", failing=True, second="giamsat.00131", at=WORKDAY_10AM + timedelta(minutes=10))
    own = sampling.draw(officer("giamsat.00131"), DAY, DAY, method="fixed", fixed_count=5, seed=1)
    assert len(own.frame) == 1  # the drawer's own decision stays out of their frame
    sample = sampling.draw(officer("giamsat.00100"), DAY, DAY, method="fixed", fixed_count=5, seed=1)
    db.session.commit()
    confirmed = next(i for i in sample.items if i.checker_id == officer("giamsat.00131").id)
    with pytest.raises(DomainError):
        sampling.record_verdict(officer("giamsat.00131"), confirmed.id, "approved", "Đúng quy định")
    with pytest.raises(DomainError):
        sampling.blind_case(officer("giamsat.00131"), confirmed.id)
    assert confirmed not in sampling.to_review(officer("giamsat.00131"), sample)


def test_results_with_wilson_intervals_and_follow_up(desk):
    for i in range(10):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=i))
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=10, seed=3)
    db.session.commit()
    for n, item in enumerate(sample.items):
        sampling.record_verdict(supervisor, item.id, "rejected" if n < 2 else "approved", "Xem lại ảnh giấy tờ")
    db.session.commit()
    result = sampling.results(sample)
    (rate,) = result["per_officer"]
    assert (rate.reviewed, rate.disagreed) == (10, 2)
    assert (round(rate.low, 3), round(rate.high, 3)) == tuple(round(v, 3) for v in sampling.wilson(2, 10))
    assert len(result["disagreements"]) == 2
    _item, verdict = result["disagreements"][0]
    with pytest.raises(DomainError):
        sampling.follow_up(supervisor, verdict.id, "confirmed", "ngắn")
    sampling.follow_up(supervisor, verdict.id, "confirmed", "Ảnh đủ rõ, giữ nguyên quyết định ban đầu.")
    db.session.commit()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "review_follow_up")).details["action"] \
        == "confirmed"
    with pytest.raises(DomainError):  # a verdict that agrees needs no follow-up
        agreeing = next(v for i in sample.items for v in i.verdicts if v.outcome == i.original_outcome)
        sampling.follow_up(supervisor, agreeing.id, "confirmed", "Không cần xử lý tiếp nữa.")


def test_calibration_agreement(desk):
    for i in range(3):
        desk.decide("tiepnhan.00131", at=WORKDAY_10AM + timedelta(minutes=i))
    second = add_officer("giamsat2.00100", role=Role.supervisor, office_code="00100")
    first = officer("giamsat.00100")
    sample = sampling.draw(first, DAY, DAY, method="fixed", fixed_count=3, seed=9, calibration=True)
    db.session.commit()
    for n, item in enumerate(sample.items):
        sampling.record_verdict(first, item.id, "approved", "Hồ sơ đầy đủ")
        sampling.record_verdict(second, item.id, "approved" if n else "rejected", "Đối chiếu ảnh")
    db.session.commit()
    found = sampling.calibration(sample)
    assert found["pairs"] == 3 and round(found["agreement"], 3) == round(2 / 3, 3)
    assert found["kappa"] is not None and found["kappa"] < 0.5


def test_admins_and_officers_cannot_draw(desk):
    desk.decide("tiepnhan.00131", at=WORKDAY_10AM)
    for username in ("quantri.00131", "tiepnhan.00131"):
        with pytest.raises(DomainError):
            sampling.draw(officer(username), DAY, DAY, seed=1)
    assert supervision.SOURCES["declaration"].case_type == "declaration"
