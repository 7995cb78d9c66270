"""Relay throughput: N outbox messages, one RQ worker (AppWorker, app preloaded) and a no-op provider.

Usage: .venv/bin/python bench/outbox_throughput.py [--messages 20000]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://127.0.0.1:5432/bench_outbox, recreated) and
redis-server on PATH (a private one is started on a free port).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from backoffice.models.outbox import Channel  # noqa: E402
from backoffice.tasks.worker import AppWorker  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://127.0.0.1:5432/bench_outbox")
SAMPLE = {"full_name": "Nguyễn Thị Ánh", "reference": "TK-00131-2026-0000001", "office_name": "BHXH Bắc Từ Liêm",
          "reason": "Ảnh căn cước bị mờ.", "next_step": "Chụp lại căn cước rõ nét rồi gửi lại tờ khai."}


class NoopProvider:
    """Takes every message at once (measures the relay, not a gateway)."""

    idempotent = True

    def send(self, idempotency_key, recipient, rendered):
        """Accept the message; its key is its id."""
        return idempotency_key


class BenchWorker(AppWorker):
    """The production worker class with both channels wired to the no-op provider."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flask_app.extensions["notification_providers"] = {Channel.sms: NoopProvider(),
                                                               Channel.email: NoopProvider()}


def recreate_database(url):
    """Drop and create the benchmark database, then migrate it to head."""
    from config import _database_url

    base, name = url.rsplit("/", 1)
    admin = create_engine(_database_url(base + "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()


def bench_app(database_url, redis_url, **extra):
    """An app on the benchmark database, migrated, with one office."""
    from flask_migrate import upgrade

    from backoffice import create_app
    from config import _database_url

    app = create_app(SQLALCHEMY_DATABASE_URI=_database_url(database_url), REDIS_URL=redis_url,
                     RATELIMIT_STORAGE_URI="memory://", **extra)
    with app.app_context():
        upgrade()
    return app


def start_redis(directory):
    """A private redis-server on a free port; returns (process, url)."""
    from tests.notifications.conftest import PrivateRedis

    server = PrivateRedis(directory)
    server.start()
    return server


def write_messages(app, count, per_transaction=250):
    """count messages (rejections: one SMS + one email each) in committed transactions via notify()."""
    from backoffice.extensions import db
    from backoffice.models import Office
    from backoffice.services import notifications

    with app.app_context():
        office = Office(code="00131", name="BHXH Quận Bắc Từ Liêm", level="local", path="00131")
        db.session.add(office)
        db.session.commit()
        for start in range(0, count // 2, per_transaction):
            for case_id in range(start, min(start + per_transaction, count // 2)):
                notifications.notify("declaration_rejected", case_type="declaration", case_id=case_id,
                                     office_id=office.id, phone="0912345678", email="a@example.vn", context=SAMPLE)
            db.session.commit()


def main():
    """Write the messages, start one worker, time the relay."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        redis = start_redis(Path(scratch))
        try:
            recreate_database(DATABASE_URL)
            app = bench_app(DATABASE_URL, redis.url)
            started = time.perf_counter()
            write_messages(app, args.messages)
            print(f"wrote {args.messages} messages in {time.perf_counter() - started:.1f}s")
            env = {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": redis.url, "PYTHONPATH": str(ROOT)}
            started = time.perf_counter()
            worker = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "-w",
                                       "bench.outbox_throughput.BenchWorker", "--url", redis.url, "notifications"],
                                      env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
            query = text("SELECT count(*) FILTER (WHERE status = 'sent'), min(sent_at), max(sent_at) "
                         "FROM outbox_messages")
            while True:
                with engine.connect() as connection:
                    sent, first, last = connection.execute(query).one()
                if sent >= args.messages:
                    break
                time.sleep(0.2)
            wall = time.perf_counter() - started
            worker.kill()
            worker.wait()
            with engine.connect() as connection:
                audits = connection.execute(select(func.count()).select_from(text("audit_entries"))
                                            .where(text("action = 'notification_sent'"))).scalar()
            relay_seconds = (last - first).total_seconds()
            print(f"sent {sent} messages: {sent / relay_seconds:.0f} msg/s between the first and the last send "
                  f"({relay_seconds:.2f}s); {sent / wall:.0f} msg/s including worker start ({wall:.2f}s); "
                  f"{audits} notification_sent audit entries")
            engine.dispose()
        finally:
            redis.stop()


if __name__ == "__main__":
    main()
