"""The participant register (người tham gia): the people BHXH already insures."""
from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base


class Participant(Base):
    """One insured person, keyed by their 10-digit mã số BHXH."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    social_insurance_number: Mapped[str] = mapped_column(String(10), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(3))  # "Nam" / "Nữ"
    id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    health_card_number: Mapped[str | None] = mapped_column(String(15))
    phone: Mapped[str | None] = mapped_column(String(15), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
