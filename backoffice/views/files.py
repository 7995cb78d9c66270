"""Streams stored files to officers who may read the case that owns them; every view is audited.

A file's URL carries its unguessable key, never its sequential id.
"""
from flask import Blueprint, Response, abort
from flask_login import current_user

from backoffice.extensions import db
from backoffice.models import StoredFile
from backoffice.services.platform import audit
from backoffice.storage import StorageError
from backoffice.storage.access import storage
from backoffice.web.permissions import citizen_data, scoped_get

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.route("/<key>")
@citizen_data
def show(key):
    """The file's bytes, never cached, for officers who may read its case (404 outside their scope, 403 else)."""
    stored = scoped_get(current_user, StoredFile, key)
    try:
        data = storage().get(stored.storage_key)
    except StorageError:
        abort(404)
    audit.record("file_viewed", actor=current_user, object_type="stored_file", object_id=stored.id,
                 office_id=stored.office_id, details={"purpose": stored.purpose})
    db.session.commit()
    response = Response(data, mimetype=stored.content_type)
    response.headers["Content-Disposition"] = "inline"
    return response
