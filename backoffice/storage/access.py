"""The app's storage backend, built once per process from STORAGE_URL."""
from flask import current_app

from backoffice import storage as storage_backends


def storage():
    """The configured storage backend."""
    backend = current_app.extensions.get("storage")
    if backend is None:
        backend = current_app.extensions["storage"] = storage_backends.from_url(current_app.config["STORAGE_URL"])
    return backend
