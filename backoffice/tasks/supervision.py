"""Supervision jobs: rollups and anomaly flags (periodic), the audit chain check, large exports."""
from flask import current_app

from backoffice.extensions import db
from backoffice.models.base import utcnow
from backoffice.models.supervision import ExportJob
from backoffice.services import supervision
from backoffice.storage.access import storage


def refresh_rollups():
    """Fold new audit entries into the dashboard rollups (idempotent: run it any time)."""
    read = supervision.rollups.refresh()
    db.session.commit()
    return read


def detect_flags():
    """Bring the rollups up to date (the volume rules read them), then find the anomalies of the last two days
    (idempotent: a finding already stored is not raised again)."""
    refresh_rollups()
    created = supervision.flags.detect()
    db.session.commit()
    return created


def verify_audit_chain():
    """Walk the audit chain and keep the result for the supervisors' audit page."""
    result = supervision.auditlog.verify_and_record()
    db.session.commit()
    return result.ok


def build_export(job_id):
    """Build a large export, committing its progress as it goes; the file is then offered for download."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status == "ready":
        return None  # a second run of a finished job does nothing
    job.status, job.rows_done = "running", 0
    db.session.commit()

    def progress(done):
        job.rows_done = done
        db.session.commit()

    try:
        data = supervision.exports.build(job, supervision.exports.officer_of(job), progress)
    except Exception as exc:  # noqa: BLE001 - the officer must see that it failed, whatever the cause
        db.session.rollback()
        job.status, job.error = "failed", str(exc)[:500]
        db.session.commit()
        current_app.logger.exception("export %s failed", job_id)
        return None
    job.storage_key = storage().put(data, prefix="exports")
    job.status, job.rows_done = "ready", max(job.rows_done, job.rows_expected)
    job.params = {**job.params, "finished_at": utcnow().isoformat()}
    db.session.commit()
    return job.storage_key
