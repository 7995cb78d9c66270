"""The business calendar: days that differ from the Monday-to-Friday rule."""
from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base


class CalendarDay(Base):
    """A public holiday on a weekday, or a weekend day made a working day (make-up Saturday)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="admin")  # "holidays" package or "admin"


class CalendarYear(Base):
    """Marks a year whose holidays were loaded, so an admin's deletions are not re-added."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
