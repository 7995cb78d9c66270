"""Background jobs: an RQ queue when REDIS_URL is set, otherwise a thread in this process.

Services call `enqueue("backoffice.tasks.<domain>.<job>", *ids)` by dotted name, so they never import
tasks; the job is handed over only when the transaction commits and dropped when it rolls back, so a
job never sees data that was not saved. Without Redis the name is resolved and run in-process.
"""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.utils import import_attribute
from sqlalchemy import event
from sqlalchemy.orm import Session

from backoffice.extensions import db

log = logging.getLogger(__name__)
QUEUES = ("notifications", "extraction", "default")  # the worker's priority order
_PENDING = "backoffice_pending_jobs"
RETRY = Retry(max=3, interval=[10, 60, 300])
# What `rq cron` (tasks/cron.py) runs periodically and must also run in-process without Redis (`make run`):
# (dotted name, settings key of the interval in seconds, default interval).
IN_PROCESS_PERIODIC = (("backoffice.tasks.casework.sweep_deadlines", "CASEWORK_SWEEP_SECONDS", 300),
                       ("backoffice.tasks.reissue.apply_payout_changes", "PAYOUT_CHANGE_SWEEP_SECONDS", 600),
                       ("backoffice.tasks.complaints.escalate_overdue_consults", "CONSULT_SWEEP_SECONDS", 600))


def job_name(func):
    """The dotted name a job is queued under (RQ stores this name in Redis)."""
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def enqueue(func, *args, queue="default"):
    """Run the job `func` (a dotted name, or a task function) with args after the current transaction commits."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    func = job_name(func)
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
        self._timers = {}
        if not url and not app.config.get("TESTING"):
            for name, setting, default in IN_PROCESS_PERIODIC:
                self._every(app.config.get(setting, default), name)

    def _every(self, seconds, name):
        """Run a periodic job on the job thread every `seconds`, as rq cron does with Redis."""
        def tick():
            if name in self._timers:  # not stopped meanwhile
                self._executor.submit(self._run_here, name, ())
                self._every(seconds, name)

        timer = threading.Timer(seconds, tick)
        timer.daemon = True  # never keeps the process alive (flask CLI commands exit as before)
        self._timers[name] = timer
        timer.start()

    def stop_periodic(self):
        """Stop the in-process periodic jobs (tests; a process that ends needs nothing)."""
        timers, self._timers = self._timers, {}
        for timer in timers.values():
            timer.cancel()

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
            log.warning("could not enqueue %s on %s; the sweep will pick it up", func, queue)

    def _run_here(self, name, args):
        func = import_attribute(name)
        with self.app.app_context():
            for attempt in range(1, RETRY.max + 2):
                try:
                    func(*args)
                    return
                except Exception:
                    log.exception("job %s failed (attempt %d)", name, attempt)
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
