"""Background jobs: an RQ queue when REDIS_URL is set, otherwise a thread in this process.

Services call `enqueue(func, *ids)`; the job is handed over only when the transaction commits
and dropped when it rolls back, so a job never sees data that was not saved.
"""
import logging
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

from backoffice.extensions import db

log = logging.getLogger(__name__)
QUEUES = ("notifications", "extraction", "default")  # the worker's priority order
_PENDING = "backoffice_pending_jobs"
RETRY = Retry(max=3, interval=[10, 60, 300])


def enqueue(func, *args, queue="default"):
    """Run func(*args) in the background after the current transaction commits."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so a rollback that follows has a transaction to drop the job with
    session.info.setdefault(_PENDING, []).append((queue, func, args))


@event.listens_for(Session, "after_commit")
def _hand_over(session):
    pending = session.info.pop(_PENDING, [])
    for queue, func, args in pending:
        current_app.extensions["jobs"].submit(queue, func, args)


@event.listens_for(Session, "after_soft_rollback")
def _drop(session, previous_transaction):
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(_PENDING, None)


class JobRunner:
    """Hands jobs to RQ, or runs them on one background thread when there is no Redis."""

    def __init__(self, app):
        self.app = app
        url = app.config["REDIS_URL"]
        self.redis = Redis.from_url(url) if url else None
        self._executor = None if url else ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")

    def queue(self, name):
        """The RQ queue of that name."""
        return Queue(name, connection=self.redis)

    def submit(self, queue, func, args):
        """Hand one job over; a Redis outage is logged, and the periodic sweeps pick the work up."""
        if self.redis is None:
            self._executor.submit(self._run_here, func, args)
            return
        try:
            self.queue(queue).enqueue(func, *args, retry=RETRY)
        except RedisError:
            log.warning("could not enqueue %s on %s; the sweep will pick it up", func.__name__, queue)

    def _run_here(self, func, args):
        with self.app.app_context():
            for attempt in range(1, RETRY.max + 2):
                try:
                    func(*args)
                    return
                except Exception:
                    log.exception("job %s failed (attempt %d)", func.__name__, attempt)
                    db.session.rollback()
                finally:
                    db.session.remove()

    def drain(self):
        """Wait until in-process jobs submitted so far have run (tests, CLI)."""
        if self._executor is not None:
            self._executor.submit(lambda: None).result()


def init_app(app):
    """Attach the runner to the app."""
    app.extensions["jobs"] = JobRunner(app)
