"""Complaints and petitions (DESIGN.md §4.3): cases of the casework core, owned to the end by the receiving office.

A complaint keeps its answer drafts (every version, never overwritten), its consults to other offices, its
attachments and, when an officer re-routes it, the correction the router learns from.
"""
import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base, UTCDateTime, utcnow
from backoffice.models.casework import BigId, CaseColumns, case_indexes
from backoffice.models.stored_file import StoredFile


class ComplaintKind(enum.StrEnum):
    """The law a complaint falls under, decided at acceptance (empty before)."""

    petition = "petition"  # phản ánh, kiến nghị
    complaint = "complaint"  # khiếu nại (Luật Khiếu nại 2011)
    denunciation = "denunciation"  # tố cáo: to the office's leadership, confidential


class ComplaintState(enum.StrEnum):
    """Where a complaint stands (DESIGN.md §4.3)."""

    received = "received"
    accepted = "accepted"
    assigned = "assigned"
    answered = "answered"  # a draft answer waits for the head
    approved = "approved"  # the answer went to the citizen
    closed = "closed"
    rejected_as_invalid = "rejected_as_invalid"
    consulting = "consulting"  # waiting for another office's answer
    reopened = "reopened"


class Complaint(CaseColumns, Base):
    """One citizen's complaint or petition: the text, the route, the kind and clock, the approved answer."""

    __tablename__ = "complaints"
    __table_args__ = (
        *case_indexes("complaints"),
        # Likely duplicates: the same phone or mã số BHXH on the same category within 30 days.
        Index("ix_complaints_phone", "phone", "category", "received_at"),
        Index("ix_complaints_sin", "social_insurance_number", "category", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="")
    channel: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    topic_hint: Mapped[str | None] = mapped_column(String(30))
    category: Mapped[str | None] = mapped_column(String(30))
    route_confidence: Mapped[float | None] = mapped_column(Float)
    social_insurance_number: Mapped[str | None] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(200))
    complex: Mapped[bool] = mapped_column(Boolean, default=False)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalid_code: Mapped[str | None] = mapped_column(String(30))
    invalid_text: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    answer_text: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    # The approved answer's number as an official letter (số công văn), given once at approval.
    letter_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The state to return to when the last open consult is answered.
    resume_state: Mapped[str | None] = mapped_column(String(30))

    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version_id}

    drafts: Mapped[list["ComplaintDraft"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintDraft.version")
    consults: Mapped[list["ComplaintConsult"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintConsult.id")
    attachments: Mapped[list["ComplaintAttachment"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintAttachment.id")


class ComplaintDraft(Base):
    """One version of the answer; a new version never overwrites an older one."""

    __tablename__ = "complaint_drafts"
    __table_args__ = (UniqueConstraint("complaint_id", "version", name="uq_complaint_drafts_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="submitted")  # submitted, returned, approved
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship(back_populates="drafts")


class ComplaintConsult(Base):
    """A question to a department of another office, with its own deadline inside the owner's clock."""

    __tablename__ = "complaint_consults"
    __table_args__ = (
        Index("ix_complaint_consults_inbox", "office_id", "department_code", "answered_at"),
        # the inbox's pages, due first (keyset on due_at, id)
        Index("ix_complaint_consults_open", "office_id", "department_code", "due_at", "id",
              postgresql_where=text("answered_at IS NULL"), sqlite_where=text("answered_at IS NULL")),
        Index("ix_complaint_consults_due", "due_at",
              postgresql_where=text("answered_at IS NULL AND escalated_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    department_code: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    files: Mapped[list] = mapped_column(JSON, default=list)  # stored_file ids attached by either side

    complaint: Mapped[Complaint] = relationship(back_populates="consults")


class ComplaintAttachment(Base):
    """A photo or PDF the citizen sent with the complaint, or one an office sent with a consult."""

    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    # Set for a document sent with a consult's question or answer (either office); None: the citizen's.
    consult_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_consults.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")
    stored_file: Mapped[StoredFile] = relationship()


class RoutingCorrection(Base):
    """An officer's re-route: the text and the category it should have had (the router trains on these)."""

    __tablename__ = "complaint_routing_corrections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    hint: Mapped[str | None] = mapped_column(String(30))
    from_category: Mapped[str | None] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(30))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LetterSequence(Base):
    """The last letter number an office gave in a year (numbers restart each year, as official letters do)."""

    __tablename__ = "letter_sequences"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)
