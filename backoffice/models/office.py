"""Offices (a tree of 5-digit codes) and their departments."""
import enum

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base


class OfficeLevel(enum.StrEnum):
    """Where an office stands in the tree."""

    national = "national"
    provincial = "provincial"
    local = "local"


class DepartmentCode(enum.StrEnum):
    """Stable department codes (DESIGN.md §3); routing rules and tests use them."""

    TIEP_NHAN = "TIEP_NHAN"
    THU_SO_THE = "THU_SO_THE"
    CS_BHXH = "CS_BHXH"
    CS_BHYT = "CS_BHYT"
    CNTT = "CNTT"


DEPARTMENT_NAMES = {
    DepartmentCode.TIEP_NHAN: "Bộ phận tiếp nhận và trả kết quả",
    DepartmentCode.THU_SO_THE: "Phòng Quản lý thu – Sổ, thẻ",
    DepartmentCode.CS_BHXH: "Phòng Chế độ BHXH",
    DepartmentCode.CS_BHYT: "Phòng Giám định BHYT",
    DepartmentCode.CNTT: "Trung tâm Công nghệ thông tin",
}


class Office(Base):
    """A BHXH office; `path` holds the codes from the root so a subtree is one prefix query."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[OfficeLevel] = mapped_column(Enum(OfficeLevel, native_enum=False, length=20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    path: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # Remote area (vùng sâu, vùng xa): a khiếu nại gets 45/60 days instead of 30/45 (Luật Khiếu nại 2011 Điều 28).
    remote_area: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    parent: Mapped["Office | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Office"]] = relationship(back_populates="parent", order_by="Office.code")
    departments: Mapped[list["Department"]] = relationship(
        back_populates="office", order_by="Department.code", cascade="all, delete-orphan"
    )

    def __str__(self):
        return f"{self.code} {self.name}"


class Department(Base):
    """A department of one office, identified by its stable code."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("office_id", "code", name="uq_departments_office_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    code: Mapped[DepartmentCode] = mapped_column(Enum(DepartmentCode, native_enum=False, length=20))
    name: Mapped[str] = mapped_column(String(200))

    office: Mapped[Office] = relationship(back_populates="departments")

    def __str__(self):
        return self.name
