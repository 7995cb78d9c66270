"""A file kept in storage and the office whose officers may see it."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime, utcnow


class StoredFile(Base):
    """Metadata of a stored file; the bytes live in the storage backend under `storage_key`."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))  # e.g. id_front, portrait, audit_anchor
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
