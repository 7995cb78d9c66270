"""File storage behind one interface: put/get/delete by a generated key.

`STORAGE_URL` picks the backend: `file:///abs/path` (default, under instance/) or
`s3://bucket/prefix?endpoint_url=https://...&region=...` for an S3-compatible object store.
Files are never served from static/: an authorised view streams them (views/files.py).
"""
import re
import secrets
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlparse

KEY_PATTERN = re.compile(r"^[a-z0-9_-]{1,40}/\d{4}/\d{2}/\d{2}/[A-Za-z0-9_-]{32}$")


class StorageError(Exception):
    """A key that does not exist or is malformed."""


def new_key(prefix):
    """A generated, unguessable key: prefix/yyyy/mm/dd/random (no citizen data in it)."""
    now = datetime.now(timezone.utc)
    return f"{prefix}/{now:%Y/%m/%d}/{secrets.token_urlsafe(24)}"


def check_key(key):
    """Refuse keys we did not generate (path traversal, injected names)."""
    if not KEY_PATTERN.match(key or ""):
        raise StorageError(f"invalid storage key {key!r}")
    return key


def from_url(url):
    """Build the backend that STORAGE_URL names."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        from backoffice.storage.local import LocalStorage

        return LocalStorage(parsed.path)
    if parsed.scheme == "s3":
        from backoffice.storage.s3 import S3Storage

        options = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        return S3Storage(parsed.netloc, parsed.path.strip("/"), **options)
    raise ValueError(f"STORAGE_URL scheme must be file:// or s3://, not {parsed.scheme!r}")
