"""The transactional outbox: one row per citizen or officer message, written with the decision (DESIGN.md §7)."""
import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime, utcnow


class Channel(enum.StrEnum):
    """How a message travels."""

    sms = "sms"
    email = "email"


class OutboxStatus(enum.StrEnum):
    """Where the relay stands with a message.

    pending → sending → sent; a failed attempt goes to `failed` (retried after a backoff), the last
    one to `dead`. `cancelled` marks a message replaced by an officer's resend before it went out.
    A provider that cannot drop a repeat (SMTP) takes `sending → handover → sent`; a worker that dies
    in `handover`, or an answer lost there, leaves the message `uncertain` for a supervisor to settle.
    """

    pending = "pending"
    sending = "sending"
    handover = "handover"
    uncertain = "uncertain"
    sent = "sent"
    failed = "failed"
    dead = "dead"
    cancelled = "cancelled"


class DeliveryStatus(enum.StrEnum):
    """What the SMS gateway's receipt said happened on the handset."""

    delivered = "delivered"
    undelivered = "undelivered"


# Rows the relay may claim, as literal SQL so the planner matches the partial index below (which keeps the
# claim query cheap as sent rows pile up) even for a prepared statement.
CLAIMABLE = text("status IN ('pending', 'failed', 'sending')")


class OutboxMessage(Base):
    """One message to send; the relay renders it from `event` + `context` (+ sealed secrets) at send time.

    `next_attempt_at` doubles as the lease of a claimed (`sending`) row: a worker that dies mid-send
    leaves the row due again once that moment passes, and the retry reuses the idempotency key.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "next_attempt_at", postgresql_where=CLAIMABLE,
              sqlite_where=CLAIMABLE),
        Index("ix_outbox_messages_case", "case_type", "case_id", "id"),
        Index("ix_outbox_messages_status_office", "status", "office_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    event: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(Enum(Channel, native_enum=False, length=10))
    recipient: Mapped[str] = mapped_column(String(200))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    # AES-GCM sealed secrets (the temporary password); wiped once the message is sent or dead.
    secret_box: Mapped[bytes | None] = mapped_column(LargeBinary)
    case_type: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    status: Mapped[OutboxStatus] = mapped_column(Enum(OutboxStatus, native_enum=False, length=12),
                                                 default=OutboxStatus.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(String(500), default="")
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_status: Mapped[DeliveryStatus | None] = mapped_column(
        Enum(DeliveryStatus, native_enum=False, length=12))
    delivery_detail: Mapped[str] = mapped_column(String(200), default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    resend_of_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))

    @property
    def shown_status(self):
        """The status officers see on the case: queued, sent, delivered, failed, uncertain, cancelled (DESIGN.md §7)."""
        if self.status in (OutboxStatus.cancelled, OutboxStatus.uncertain):
            return self.status.value
        if self.status == OutboxStatus.dead or self.delivery_status == DeliveryStatus.undelivered:
            return "failed"
        if self.delivery_status == DeliveryStatus.delivered:
            return "delivered"
        return "sent" if self.status == OutboxStatus.sent else "queued"
