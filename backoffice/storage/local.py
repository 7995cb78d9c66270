"""Local-folder storage (the embedded default); the folder lies outside static/."""
import os
import tempfile
from pathlib import Path

from backoffice.storage import StorageError, check_key, new_key


class LocalStorage:
    """Files in a folder tree; writes are atomic (temporary file, then rename)."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key):
        return self.root / check_key(key)

    def put(self, data, prefix="files"):
        """Store bytes under a new key and return the key."""
        key = new_key(prefix)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        return key

    def get(self, key):
        """The bytes stored under a key."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError(f"no file for key {key!r}") from exc

    def delete(self, key):
        """Remove a key; removing a missing key is not an error (jobs may run twice)."""
        self._path(key).unlink(missing_ok=True)
