"""A file kept in storage and the office whose officers may see it."""
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime, utcnow

KEY_LENGTH = 43  # secrets.token_urlsafe(32): 256 random bits, URL-safe


def new_key():
    """An unguessable URL-safe key for a file's address (ids are sequential and would let anyone walk them)."""
    return secrets.token_urlsafe(32)


class StoredFile(Base):
    """Metadata of a stored file; the bytes live in the storage backend under `storage_key`."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the file's URL carries (/files/<key>); who may open it follows from the case that owns it.
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True, default=new_key)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))  # e.g. id_front, portrait, audit_anchor
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
