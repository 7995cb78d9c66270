"""The register's records beyond the person: health-insurance cards, social-insurance books, monthly benefits.

The reissue services read them for their checks and change them when a request completes (DESIGN.md §4.2).
"""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base


class HealthCard(Base):
    """A person's current BHYT card: number, validity, paid-up date, and how often it was reissued."""

    __tablename__ = "health_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    social_insurance_number: Mapped[str] = mapped_column(String(10), unique=True)
    card_number: Mapped[str] = mapped_column(String(15))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    paid_until: Mapped[date] = mapped_column(Date)
    hospital: Mapped[str] = mapped_column(String(200), default="")  # nơi đăng ký khám chữa bệnh ban đầu
    reissue_count: Mapped[int] = mapped_column(Integer, default=0)


class InsuranceBook(Base):
    """A person's social-insurance book; `needs_verification` marks a contribution history still to be checked."""

    __tablename__ = "insurance_books"

    id: Mapped[int] = mapped_column(primary_key=True)
    social_insurance_number: Mapped[str] = mapped_column(String(10), unique=True)
    book_number: Mapped[str] = mapped_column(String(15))
    issued_on: Mapped[date] = mapped_column(Date)
    needs_verification: Mapped[bool] = mapped_column(Boolean, default=False)
    reissue_count: Mapped[int] = mapped_column(Integer, default=0)
    reissued_on: Mapped[date | None] = mapped_column(Date)


class Benefit(Base):
    """A monthly benefit (pension or allowance): which office pays it, how, and to whom, from which month."""

    __tablename__ = "benefits"

    id: Mapped[int] = mapped_column(primary_key=True)
    social_insurance_number: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # pension, monthly_allowance
    monthly_amount: Mapped[int] = mapped_column(Integer)
    paying_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    paying_from_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    previous_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    previous_office_last_month: Mapped[str | None] = mapped_column(String(7))
    payout_method: Mapped[str] = mapped_column(String(10))  # cash, bank
    bank_code: Mapped[str | None] = mapped_column(String(20))
    account_number: Mapped[str | None] = mapped_column(String(30))
    account_holder: Mapped[str | None] = mapped_column(String(200))
    recipient_name: Mapped[str | None] = mapped_column(String(200))  # someone authorised to receive it
    payout_from_month: Mapped[str | None] = mapped_column(String(7))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
