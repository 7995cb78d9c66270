"""What every case (reissue request, complaint) shares: the casework columns and the case events (DESIGN.md §6).

A case table mixes in `CaseColumns` (owner office and department, state, assignee, clock) and adds `case_indexes`
to its `__table_args__`. Its history (transitions, assignments, pauses, internal notes) is one shared table,
`case_events`, keyed by (case_type, case_id): the clock's paused time is rebuilt from these rows, never counted.
"""
import enum
from datetime import datetime, timezone

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime, utcnow

BigId = BigInteger().with_variant(Integer, "sqlite")
# The queue sorts paused cases (no deadline while the clock stands) after every running one.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=timezone.utc)
OPEN = "closed_at IS NULL"
# The sweep's two partial indexes hold only the cases still to be warned or escalated: its cost grows with the
# cases due, not with all cases.
TO_WARN = "closed_at IS NULL AND warned_at IS NULL AND due_soon_at IS NOT NULL"
TO_ESCALATE = "closed_at IS NULL AND escalated_at IS NULL AND due_at IS NOT NULL"


class CaseEventKind(enum.StrEnum):
    """What a case event records."""

    transition = "transition"
    assignment = "assignment"
    note = "note"  # internal: the citizen never sees it
    deadline = "deadline"  # the deadline was set or recomputed (calendar edit, verification needed)
    warning = "warning"
    escalation = "escalation"


class CaseColumns:
    """The casework columns of a case table (mixin); the table adds `kind` (the queue's type filter) and a
    `version_id` column (optimistic locking)."""

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    department_code: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(30))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The clock: working days allowed and the law or rule that sets them, stored on the case.
    sla_days: Mapped[int] = mapped_column(Integer, default=0)
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    clock_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Computed from the above and the case's events (services/casework/sla.py); NULL while paused.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_soon_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    queue_due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=NO_DEADLINE)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # escalated, until the head acknowledges it


def case_indexes(table):
    """The indexes every case table needs: the department queue and the sweep's two partial indexes."""
    return (
        # The department queue: open cases of one office and department, by deadline then age (keyset).
        Index(f"ix_{table}_queue", "office_id", "department_code", "queue_due_at", "received_at", "id",
              postgresql_where=text(OPEN), sqlite_where=text(OPEN)),
        # "My cases": an officer's open cases by deadline.
        Index(f"ix_{table}_assignee", "assignee_id", "queue_due_at", "id",
              postgresql_where=text(OPEN), sqlite_where=text(OPEN)),
        Index(f"ix_{table}_to_warn", "due_soon_at", postgresql_where=text(TO_WARN), sqlite_where=text(TO_WARN)),
        Index(f"ix_{table}_to_escalate", "due_at", postgresql_where=text(TO_ESCALATE),
              sqlite_where=text(TO_ESCALATE)),
    )


class CaseEvent(Base):
    """One entry of a case's timeline: a transition, an assignment, an internal note, a warning or escalation."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case", "case_type", "case_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_type: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int] = mapped_column(BigId)
    kind: Mapped[CaseEventKind] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    actor_label: Mapped[str] = mapped_column(String(100), default="")
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    # A pause's or a resume's coded reason, a rejection code, an assignment reason code.
    reason_code: Mapped[str | None] = mapped_column(String(40))
    # Whether the clock stands after this event: the paused time is rebuilt from these flags.
    clock_paused: Mapped[bool | None] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
