"""Supervision (DESIGN.md §8): re-review samples, anomaly flags, rollups for dashboards, exports, audit checks."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base, UTCDateTime, utcnow

BigId = BigInteger().with_variant(Integer, "sqlite")


class ReviewSample(Base):
    """One draw of decisions for blind re-review: the seed, the frame and the strata are kept, so it can be replayed."""

    __tablename__ = "review_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)  # the subtree's root
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    seed: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(12))  # "precision" or "fixed"
    precision: Mapped[float] = mapped_column(Float, default=0.10)
    confidence: Mapped[float] = mapped_column(Float, default=0.90)
    fixed_count: Mapped[int | None] = mapped_column(Integer)
    calibration: Mapped[bool] = mapped_column(Boolean, default=False)
    # [[case_type, case_id, audit_entry_id, officer_id, stratum], ...] in audit entry order: what the draw was from
    frame: Mapped[list] = mapped_column(JSON)
    frame_hash: Mapped[str] = mapped_column(String(64))
    strata: Mapped[dict] = mapped_column(JSON)  # stratum -> {"population": N, "size": n, "high_risk": bool}

    items: Mapped[list["ReviewItem"]] = relationship(back_populates="sample", order_by="ReviewItem.id")


class ReviewItem(Base):
    """One drawn decision; what the first officer decided is kept here and never shown to the re-reviewer."""

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("sample_id", "case_type", "case_id", name="uq_review_items_sample_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("review_samples.id"), index=True)
    case_type: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int] = mapped_column(BigId)
    audit_entry_id: Mapped[int] = mapped_column(BigId)  # the decision's entry: its snapshot of the checks
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)  # who decided (the maker)
    checker_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))  # second approver, if any
    stratum: Mapped[str] = mapped_column(String(120))
    original_outcome: Mapped[str] = mapped_column(String(20))

    sample: Mapped[ReviewSample] = relationship(back_populates="items")
    verdicts: Mapped[list["ReviewVerdict"]] = relationship(back_populates="item", order_by="ReviewVerdict.id")


class ReviewVerdict(Base):
    """A re-reviewer's own decision on a drawn case (several supervisors may judge one case: calibration)."""

    __tablename__ = "review_verdicts"
    __table_args__ = (UniqueConstraint("item_id", "reviewer_id", name="uq_review_verdicts_item_reviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set on a disagreement's follow-up: "confirmed" (the original stands) or "corrected" (sent to the workflow)
    follow_up: Mapped[str | None] = mapped_column(String(20))
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    follow_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[ReviewItem] = relationship(back_populates="verdicts")


class AnomalyFlag(Base):
    """A pattern worth a supervisor's look; `key` makes the periodic job idempotent (one flag per finding)."""

    __tablename__ = "anomaly_flags"
    __table_args__ = (Index("ix_anomaly_flags_office_status", "office_id", "status", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    rule: Mapped[str] = mapped_column(String(30), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, explained, escalated
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cases: Mapped[list["AnomalyFlagCase"]] = relationship(back_populates="flag", order_by="AnomalyFlagCase.id",
                                                          cascade="all, delete-orphan")


class AnomalyFlagCase(Base):
    """A case a flag is about (a flag may link several: a takeover ring)."""

    __tablename__ = "anomaly_flag_cases"
    __table_args__ = (Index("ix_anomaly_flag_cases_case", "case_type", "case_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("anomaly_flags.id"), index=True)
    case_type: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int] = mapped_column(BigId)

    flag: Mapped[AnomalyFlag] = relationship(back_populates="cases")


# Time to decision in minutes: upper bounds of the histogram buckets kept per rollup row (the last is open-ended).
TTD_BOUNDS = (5, 15, 30, 60, 120, 240, 480, 1440, 2880, 7200, 14400, 43200)


class DailyRollup(Base):
    """Counts per day (Vietnam date) × office × department × case type × officer (0: the office's total).

    Kept by the rollup job from the audit log's new entries only, so a dashboard never counts raw rows.
    """

    __tablename__ = "rollup_daily"
    __table_args__ = (
        UniqueConstraint("day", "office_id", "department", "case_type", "officer_id", name="uq_rollup_daily_key"),
        Index("ix_rollup_daily_office_day", "office_id", "officer_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    department: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(30))
    officer_id: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)
    approved: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    over_failing: Mapped[int] = mapped_column(Integer, default=0)
    # time to decision: decisions per TTD_BOUNDS bucket (t12 is open-ended); columns, so a dashboard sums them in SQL
    t0: Mapped[int] = mapped_column(Integer, default=0)
    t1: Mapped[int] = mapped_column(Integer, default=0)
    t2: Mapped[int] = mapped_column(Integer, default=0)
    t3: Mapped[int] = mapped_column(Integer, default=0)
    t4: Mapped[int] = mapped_column(Integer, default=0)
    t5: Mapped[int] = mapped_column(Integer, default=0)
    t6: Mapped[int] = mapped_column(Integer, default=0)
    t7: Mapped[int] = mapped_column(Integer, default=0)
    t8: Mapped[int] = mapped_column(Integer, default=0)
    t9: Mapped[int] = mapped_column(Integer, default=0)
    t10: Mapped[int] = mapped_column(Integer, default=0)
    t11: Mapped[int] = mapped_column(Integer, default=0)
    t12: Mapped[int] = mapped_column(Integer, default=0)


class ReasonRollup(Base):
    """Rejections per day × office × case type × department × officer (0: the office's total) × reason code."""

    __tablename__ = "rollup_reasons"
    __table_args__ = (UniqueConstraint("day", "office_id", "case_type", "department", "officer_id", "code",
                                       name="uq_rollup_reasons_key"),
                      Index("ix_rollup_reasons_office_day", "office_id", "officer_id", "day"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    case_type: Mapped[str] = mapped_column(String(30))
    department: Mapped[str] = mapped_column(String(20))
    officer_id: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)


class BacklogSnapshot(Base):
    """Open cases per office × case type × age bucket, refreshed by the job (open cases are few, history is not)."""

    __tablename__ = "rollup_backlog"
    __table_args__ = (UniqueConstraint("office_id", "department", "case_type", "bucket", name="uq_rollup_backlog_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    department: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(30))
    bucket: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(Integer, default=0)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SupervisionMark(Base):
    """Small named state of the supervision jobs: the audit id each job has read up to, the last chain check."""

    __tablename__ = "supervision_marks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigId, default=0)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExportJob(Base):
    """An export too large to stream in one request: built by a job, offered for download when ready."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    file_format: Mapped[str] = mapped_column(String(4))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    full_values: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued, running, ready, failed
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_expected: Mapped[int] = mapped_column(Integer, default=0)
    storage_key: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
