"""Uploaded files: checked (magic bytes, size, pixels, every byte of the picture read), re-encoded to drop EXIF,
GPS and anything else, stored under a generated key; files written by a transaction that rolls back are deleted
again, so bad input leaves nothing behind."""
import io
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session

from backoffice.extensions import db
from backoffice.idcard import images
from backoffice.models import StoredFile
from backoffice.services.platform.api_intake import Message
from backoffice.storage.access import storage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_STORED_KEYS = "intake_stored_keys"

IMAGE_MESSAGES = {
    "empty": Message("Tệp ảnh rỗng. Hãy chụp và gửi lại ảnh.", "The image file is empty."),
    "too_large": Message("Tệp ảnh lớn hơn 10 MB.", "The image file is larger than 10 MB."),
    "not_an_image": Message("Tệp không phải ảnh JPEG, PNG hoặc WebP.", "The file is not a JPEG, PNG or WebP image."),
    "truncated": Message("Tệp ảnh bị hỏng hoặc không đầy đủ. Hãy gửi lại ảnh.",
                         "The image file is damaged or incomplete."),
    "too_many_pixels": Message("Ảnh quá lớn; tối đa 40 megapixel.", "The image is too large; at most 40 megapixels."),
}
DUPLICATE_PART = Message("Chỉ gửi một tệp cho mỗi loại ảnh.", "Send one file per photo.")
PDF_MESSAGES = {
    "too_large": Message("Tệp lớn hơn 10 MB.", "The file is larger than 10 MB."),
    "not_a_document": Message("Tệp không phải ảnh JPEG, PNG, WebP hoặc tài liệu PDF.",
                              "The file is not a JPEG, PNG or WebP image or a PDF document."),
    "bad_pdf": Message("Tệp PDF bị hỏng, được mã hoá hoặc không đọc được. Hãy gửi lại bản khác.",
                       "The PDF is damaged, encrypted or unreadable."),
    "too_many_pages": Message("Tệp PDF dài quá 50 trang.", "The PDF has more than 50 pages."),
}
MAX_PDF_PAGES = 50


@dataclass(frozen=True)
class Photo:
    """A checked photo, re-encoded without metadata; `name` is the part it came in (its document kind)."""

    name: str
    data: bytes
    width: int
    height: int
    content_type: str


def _photo(name, data):
    if len(data) > MAX_UPLOAD_BYTES:
        raise images.ImageError("too_large", IMAGE_MESSAGES["too_large"].vi)
    clean = images.reencode(data)
    with Image.open(io.BytesIO(clean)) as header:  # reads the header only
        width, height = header.size
    return Photo(name, clean, width, height, images.FORMATS[images.sniff(clean)])


def check_photos(files, names):
    """Verify and re-encode every photo part named in `names`; returns {name: Photo} and {name: Message} of the
    bad ones (a part sent twice is bad). Parts with other names are left to the caller's payload rules."""
    photos, errors = {}, {}
    for name, parts in files.items():
        if len(parts) > 1:
            errors[name] = DUPLICATE_PART
        elif name in names:
            try:
                photos[name] = _photo(name, parts[0])
            except images.ImageError as error:
                errors[name] = IMAGE_MESSAGES.get(error.code, IMAGE_MESSAGES["truncated"])
    return photos, errors


def _pdf(name, data):
    """A PDF read through (every page parsed) and written again with its pages only: no document-level scripts,
    actions, attachments or metadata, and no page annotations (links, forms, scripts)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    if len(data) > MAX_UPLOAD_BYTES:
        raise _Refused(PDF_MESSAGES["too_large"])
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _Refused(PDF_MESSAGES["bad_pdf"])
        if not 1 <= len(reader.pages) <= MAX_PDF_PAGES:
            raise _Refused(PDF_MESSAGES["too_many_pages" if reader.pages else "bad_pdf"])
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Annots", "/AA"):
                if key in page:
                    del page[key]
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
    except _Refused:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError,
            AssertionError, ZeroDivisionError):
        raise _Refused(PDF_MESSAGES["bad_pdf"]) from None
    clean = out.getvalue()
    return Photo(name, clean, 0, 0, "application/pdf")


class _Refused(Exception):
    def __init__(self, message):
        super().__init__(message.en)
        self.message = message


def check_documents(files, names, limit):
    """Verify and re-encode every part named in `names` as a photo or a PDF (at most `limit` files in all); returns
    ([Photo], {name: Message}). A part may repeat (several attachments under one name)."""
    documents, errors = [], {}
    for name, parts in files.items():
        if name not in names:
            continue
        if len(documents) + len(parts) > limit:
            errors[name] = Message(f"Gửi tối đa {limit} ảnh hoặc tệp PDF.", f"Send at most {limit} photos or PDFs.")
            continue
        for index, data in enumerate(parts):
            label = f"{name}[{index}]" if len(parts) > 1 else name
            try:
                if data.startswith(b"%PDF-"):
                    documents.append(_pdf(name, data))
                elif images.sniff(data) is None:
                    errors[label] = PDF_MESSAGES["too_large" if len(data) > MAX_UPLOAD_BYTES else "not_a_document"]
                else:
                    documents.append(_photo(name, data))
            except _Refused as refused:
                errors[label] = refused.message
            except images.ImageError as error:
                errors[label] = IMAGE_MESSAGES.get(error.code, IMAGE_MESSAGES["truncated"])
    return documents, errors


def store(photo, office_id, prefix):
    """Write a checked photo to storage and return its StoredFile row (deleted again if the transaction rolls back)."""
    backend = storage()
    key = backend.put(photo.data, prefix=prefix)
    db.session.info.setdefault(_STORED_KEYS, []).append((backend, key))
    return StoredFile(storage_key=key, content_type=photo.content_type, size=len(photo.data),
                      office_id=office_id, purpose=photo.name)


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop(_STORED_KEYS, None)


@event.listens_for(Session, "after_soft_rollback")
def _discard_files(session, previous_transaction):
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        for backend, key in session.info.pop(_STORED_KEYS, []):
            backend.delete(key)
