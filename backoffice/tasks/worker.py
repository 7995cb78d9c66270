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

    def work(self, *args, **kwargs):
        with self.flask_app.app_context():
            # A forked work-horse must not reuse the parent's database connections.
            engine = db.engine
            os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
            return super().work(*args, **kwargs)

    def perform_job(self, *args, **kwargs):
        try:
            return super().perform_job(*args, **kwargs)
        finally:
            db.session.remove()


class AppWorker(_AppContextMixin, Worker):
    """Fork-per-job worker (a crash in a job cannot take the worker down)."""


class AppSimpleWorker(_AppContextMixin, SimpleWorker):
    """Same, running jobs in the worker process itself (tests, benchmarks)."""
