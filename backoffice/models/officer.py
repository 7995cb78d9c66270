"""Officers (the users of the back office) and their server-side sign-in sessions."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base, UTCDateTime, utcnow
from backoffice.models.office import Department, Office


class Role(enum.StrEnum):
    """What an officer does; permissions.py maps roles to actions."""

    reception_officer = "reception_officer"
    department_officer = "department_officer"
    department_head = "department_head"
    supervisor = "supervisor"
    admin = "admin"


class Officer(Base):
    """A person who signs in to the back office."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=30))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped[Office] = relationship()
    department: Mapped[Department | None] = relationship()

    # Set by services.sessions for the request; flask-login stores it instead of the id
    # (its "alternative token" pattern), so ending the session record signs the browser out.
    session_token = None

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return self.session_token

    def __str__(self):
        return f"{self.full_name} ({self.username})"


class OfficerSession(Base):
    """One signed-in browser; the cookie carries a random token, the table its SHA-256."""

    __tablename__ = "officer_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(String(64), default="")

    officer: Mapped[Officer] = relationship()
