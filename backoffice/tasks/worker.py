"""The RQ worker class: the Flask app is created once, before jobs fork (preloaded).

Run with: rq worker -w backoffice.tasks.worker.AppWorker --with-scheduler --worker-ttl 60 \
          notifications extraction default
"""
import os

from rq import SimpleWorker, Worker

from backoffice.extensions import db


class _AppContextMixin:
    def __init__(self, *args, app=None, **kwargs):
        super().__init__(*args, **kwargs)
        if app is None:
            from backoffice import create_app

            app = create_app()
        self.flask_app = app
        self._context = app.app_context()
        self._context.push()
        # A forked work-horse must not reuse the parent's database connections.
        os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))

    def perform_job(self, job, queue):
        try:
            return super().perform_job(job, queue)
        finally:
            db.session.remove()


class AppWorker(_AppContextMixin, Worker):
    """Fork-per-job worker (a crash in a job cannot take the worker down)."""


class AppSimpleWorker(_AppContextMixin, SimpleWorker):
    """Same, running jobs in the worker process itself (tests, benchmarks)."""
