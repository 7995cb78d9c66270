"""Declarations (Tờ khai Mẫu 01) and their documents (DESIGN.md §4.1)."""
import enum
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base, UTCDateTime, utcnow
from backoffice.models.stored_file import StoredFile


class DeclarationKind(enum.StrEnum):
    """What the citizen asks for."""

    register = "register"
    register_child = "register_child"
    update = "update"
    stop = "stop"


class DeclarationState(enum.StrEnum):
    """Where the declaration stands in the review workflow."""

    submitted = "submitted"
    extracting = "extracting"
    ready = "ready"
    in_review = "in_review"
    awaiting_citizen = "awaiting_citizen"
    awaiting_second_approval = "awaiting_second_approval"
    approved = "approved"
    rejected = "rejected"


class Channel(enum.StrEnum):
    """Where the declaration came from."""

    vssid_app = "vssid_app"
    portal = "portal"


class DocumentKind(enum.StrEnum):
    """The photos a declaration carries."""

    portrait = "portrait"
    id_front = "id_front"
    id_back = "id_back"
    birth_certificate = "birth_certificate"


def _enum(kind, length=30):
    return Enum(kind, native_enum=False, length=length)


BigId = BigInteger().with_variant(Integer, "sqlite")
# Written out as SQL so the queue query and the partial index share one predicate (the planner needs that).
OPEN_PREDICATE = "state NOT IN ('approved', 'rejected')"
CLAIMED_PREDICATE = "state = 'in_review'"
AWAITING_PREDICATE = "state = 'awaiting_citizen'"


class Declaration(Base):
    """One Tờ khai Mẫu 01: declared fields, extraction result, checks, claim and decision."""

    __tablename__ = "declarations"
    __table_args__ = (
        # The office queue: keyset on (submitted_at, id) within an office and state (take-next, state filters).
        Index("ix_declarations_queue", "office_id", "state", "submitted_at", "id"),
        # The default work list: open declarations only, oldest first; decided ones pile up and are skipped.
        Index("ix_declarations_open", "office_id", "submitted_at", "id",
              postgresql_where=text(OPEN_PREDICATE), sqlite_where=text(OPEN_PREDICATE)),
        # Every state, oldest first (the "all" filter and date ranges).
        Index("ix_declarations_office_age", "office_id", "submitted_at", "id"),
        # Take-next looks for lapsed claims first: only the claims, by last activity (and id, its tie-break).
        Index("ix_declarations_claims", "office_id", "claim_touched_at", "id", postgresql_where=text(CLAIMED_PREDICATE),
              sqlite_where=text(CLAIMED_PREDICATE)),
        # The no-show sweep: waiting cases by deadline.
        Index("ix_declarations_due", "due_on", postgresql_where=text(AWAITING_PREDICATE),
              sqlite_where=text(AWAITING_PREDICATE)),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[DeclarationKind] = mapped_column(_enum(DeclarationKind, 20))
    state: Mapped[DeclarationState] = mapped_column(_enum(DeclarationState), default=DeclarationState.submitted)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, 20))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    social_insurance_number: Mapped[str] = mapped_column(String(10), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(3))
    id_type: Mapped[str | None] = mapped_column(String(10))
    id_number: Mapped[str | None] = mapped_column(String(20), index=True)
    phone: Mapped[str] = mapped_column(String(15), index=True)
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    province_code: Mapped[str | None] = mapped_column(String(10))
    ward_code: Mapped[str | None] = mapped_column(String(10))
    street: Mapped[str | None] = mapped_column(String(300))
    guardian_social_insurance_number: Mapped[str | None] = mapped_column(String(10))

    extraction: Mapped[dict | None] = mapped_column(JSON)
    checks: Mapped[list | None] = mapped_column(JSON)
    failing_checks: Mapped[int] = mapped_column(Integer, default=0)
    extraction_attempts: Mapped[int] = mapped_column(Integer, default=0)

    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_touched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    justification: Mapped[str | None] = mapped_column(Text)
    rejection_code: Mapped[str | None] = mapped_column(String(30))
    rejection_text: Mapped[str | None] = mapped_column(Text)
    awaiting_reason: Mapped[str | None] = mapped_column(String(200))
    # the citizen's deadline (a local working day) and its one extension
    due_on: Mapped[date | None] = mapped_column(Date)
    deadline_extended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # back in the queue after waiting (documents received) or sent back by the second approver, and why
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_note: Mapped[str | None] = mapped_column(Text)
    # full_name case-folded without diacritics, for the counter's search (kept by services.declarations.search)
    name_key: Mapped[str | None] = mapped_column(String(200))

    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version_id}

    documents: Mapped[list["DeclarationDocument"]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan", order_by="DeclarationDocument.id"
    )

    def document(self, kind):
        """The document of that kind, or None."""
        return next((d for d in self.documents if d.kind == kind), None)


class DeclarationDocument(Base):
    """A photo attached to a declaration, kept through the storage interface."""

    __tablename__ = "declaration_documents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind, 20))
    # Indexed: access to a file is found through the declaration that owns it (services.platform.scope).
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)

    declaration: Mapped[Declaration] = relationship(back_populates="documents")
    stored_file: Mapped[StoredFile] = relationship()
