"""Reissue requests: the four public services of VssID (DESIGN.md §4.2), cases of the casework core."""
import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base, UTCDateTime
from backoffice.models.casework import BigId, CaseColumns, case_indexes
from backoffice.models.stored_file import StoredFile


class ReissueType(enum.StrEnum):
    """The four services."""

    bhyt_card = "bhyt_card"
    si_book = "si_book"
    pension_transfer = "pension_transfer"
    payout_change = "payout_change"


class ReissueState(enum.StrEnum):
    """Where a request stands; the last six beyond the issue's list are the payout and transfer safeguards."""

    received = "received"
    processing = "processing"
    awaiting_citizen = "awaiting_citizen"
    shipped = "shipped"
    delivered = "delivered"
    returned = "returned"
    completed = "completed"
    rejected = "rejected"
    awaiting_second_approval = "awaiting_second_approval"
    cooling_off = "cooling_off"
    awaiting_destination = "awaiting_destination"
    cancelled = "cancelled"


class ReissueRequest(CaseColumns, Base):
    """One citizen's request: declared identity, the type's payload, checks, decision and result."""

    __tablename__ = "reissue_requests"
    __table_args__ = (
        *case_indexes("reissue_requests"),
        # A transfer waits in the destination office's queue too.
        Index("ix_reissue_requests_destination", "destination_office_id", "state"),
        Index("ix_reissue_requests_person", "social_insurance_number", "kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[ReissueType] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))
    social_insurance_number: Mapped[str] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    id_number: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    checks: Mapped[list] = mapped_column(JSON, default=list)
    failing_checks: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict] = mapped_column(JSON, default=dict)

    data_change: Mapped[bool] = mapped_column(Boolean, default=False)
    verification_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_method: Mapped[str] = mapped_column(String(10), default="pickup")  # pickup, post
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    rejection_code: Mapped[str | None] = mapped_column(String(30))
    rejection_text: Mapped[str | None] = mapped_column(Text)
    awaiting_reason: Mapped[str | None] = mapped_column(String(40))

    # pension_transfer: the office that takes over the payment; the origin owns the case until it acknowledges.
    destination_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # payout_change: identity re-check, maker-checker, SMS to the phone registered before, cooling-off.
    identity_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    alert_phone: Mapped[str | None] = mapped_column(String(15))
    effective_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong stop codes sent through the API (services/reissue/citizen_stop.py); at 5 the API stops accepting codes.
    stop_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))

    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version_id}

    documents: Mapped[list["ReissueDocument"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ReissueDocument.id")


class ReissueDocument(Base):
    """A photo sent with a request: proof of a data change, a power of attorney, the damaged card."""

    __tablename__ = "reissue_documents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("reissue_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))

    request: Mapped[ReissueRequest] = relationship(back_populates="documents")
    stored_file: Mapped[StoredFile] = relationship()
