"""Anchoring the audit chain's head outside the database, so a rewrite or a cut tail of the table shows.

Each anchor (the number of entries, the head's id and hash) goes to four places: a line appended to the anchor
file (AUDIT_ANCHOR_FILE, under the instance folder by default), a log line the operator ships off the host, a
file in file storage, and an entry of the chain itself. `flask audit verify` checks the chain against the anchors
of the file and of the chain; the log's copies can be given to it with --anchors.
"""
import json
import logging
import sys

from flask.logging import has_level_handler

from backoffice.extensions import db
from backoffice.services.platform import audit
from backoffice.storage.access import storage

# Its own logger, at INFO whatever the root's level, so the line reaches the process's log handlers.
log = logging.getLogger("backoffice.audit.anchor")
log.setLevel(logging.INFO)


def _ensure_handler():
    # An RQ worker or the flask CLI configures no handler that takes INFO: the line would be dropped.
    if not has_level_handler(log):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)


def anchor_head():
    """Write the current head to the anchor file, the log and file storage, and audit where it went."""
    head = audit.head()
    if head is None:
        return None
    record = audit.anchor_record(head.id, head.entry_hash, head.count)
    # The head is already committed, so these copies hold even if the entry below is never written.
    audit.append_anchor_line(record)
    line = json.dumps(record, sort_keys=True, separators=(",", ":"))
    _ensure_handler()
    log.info("audit_anchor %s", line, extra={"audit_anchor": record})
    key = storage().put(line.encode(), prefix="audit-anchors")
    in_chain = {name: record[name] for name in ("count", "entry_id", "entry_hash", "at")}
    audit.record(audit.ANCHORED, actor_label="system", details={**in_chain, "storage_key": key})
    db.session.commit()
    return key
