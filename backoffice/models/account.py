"""The citizen's e-transaction account (tài khoản giao dịch điện tử), created by an approved declaration."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime, utcnow


class AccountStatus(enum.StrEnum):
    """Whether the citizen may sign in to VssID."""

    active = "active"
    stopped = "stopped"  # the citizen asked to stop (a `stop` declaration)
    locked = "locked"  # the approval that opened it is being corrected after a re-review; a new approval reopens it


class ETransactionAccount(Base):
    """Login = mã số BHXH; the temporary password is stored hashed, expires and must be changed."""

    __tablename__ = "etransaction_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    social_insurance_number: Mapped[str] = mapped_column(String(10), unique=True)
    status: Mapped[AccountStatus] = mapped_column(Enum(AccountStatus, native_enum=False, length=10))
    phone: Mapped[str] = mapped_column(String(15))
    email: Mapped[str] = mapped_column(String(200), default="")
    temporary_password_hash: Mapped[str | None] = mapped_column(String(200))
    temporary_password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
