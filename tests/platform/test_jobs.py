"""Background jobs: handed over only after commit; RQ with Redis, a thread without it."""
from flask_migrate import upgrade
from rq import Queue
from sqlalchemy import select

from backoffice import create_app
from backoffice.extensions import db
from backoffice.jobs import enqueue
from backoffice.models import AuditEntry
from backoffice.services.platform import audit
from backoffice.tasks.audit import anchor_head
from backoffice.tasks.worker import AppSimpleWorker


def test_job_is_queued_after_commit_and_not_after_rollback(app):
    runner = app.extensions["jobs"]
    audit.record("seed", actor_label="t")
    enqueue(anchor_head, queue="default")
    assert runner.queue("default").count == 0  # nothing before the commit
    db.session.commit()
    assert runner.queue("default").count == 1

    enqueue(anchor_head, queue="default")
    db.session.rollback()
    db.session.commit()
    assert runner.queue("default").count == 1


def test_worker_runs_the_job_in_the_app_context(app):
    audit.record("seed", actor_label="t")
    enqueue(anchor_head, queue="default")
    db.session.commit()
    runner = app.extensions["jobs"]
    worker = AppSimpleWorker([runner.queue("default")], connection=runner.redis, app=app)
    assert worker.work(burst=True)
    db.session.expire_all()
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["seed", "audit_anchored"]
    assert Queue("default", connection=runner.redis).count == 0


def test_without_redis_jobs_run_in_process_after_commit(tmp_path):
    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'jobs.sqlite'}", REDIS_URL=None,
                     RATELIMIT_STORAGE_URI="memory://", STORAGE_URL=f"file://{tmp_path / 'files'}")
    with app.app_context():
        upgrade()
        audit.record("seed", actor_label="t")
        enqueue(anchor_head)
        db.session.commit()
        app.extensions["jobs"].drain()
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["seed", "audit_anchored"]
        assert list((tmp_path / "files" / "audit-anchors").rglob("*"))
        db.engine.dispose()


def test_procfile_worker_command_runs_jobs(app, app_settings, tmp_path):
    """The Procfile's `rq worker` with our preloading worker class, as a real subprocess."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import DATABASE_URL, REDIS_URL

    audit.record("seed", actor_label="t")
    enqueue(anchor_head, queue="default")
    db.session.commit()
    env = dict(os.environ, DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, STORAGE_URL=app_settings["STORAGE_URL"],
               INSTANCE_PATH=str(tmp_path), OMP_THREAD_LIMIT="1")
    rq = Path(sys.executable).with_name("rq")
    done = subprocess.run([str(rq), "worker", "--burst", "--worker-ttl", "60", "--worker-class",
                           "backoffice.tasks.worker.AppWorker", "--url", REDIS_URL, "notifications", "extraction",
                           "default"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    assert db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all() == ["seed", "audit_anchored"]
