"""Fault run: 1,000 approvals while workers are SIGKILLed at random and Redis restarts once.

Usage: .venv/bin/python bench/outbox_faults.py [--approvals 1000] [--workers 2]
Real parts: PostgreSQL (BENCH_DATABASE_URL, default .../bench_outbox_faults, recreated), a private
redis-server, RQ workers and rq cron as subprocesses, an HTTP SMS gateway and an aiosmtpd SMTP server on
loopback. Each approval commits one SMS (with a temporary password) and one email. An email whose worker
died between the hand-over and the server's answer is `uncertain`; the script then does what a supervisor
does (looks its Message-ID up in the mail server's log, confirms or re-queues it). Prints expected, sent,
lost and duplicated messages; the last two must be 0.
"""
import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.outbox_throughput import bench_app, recreate_database, start_redis  # noqa: E402
from tests.notifications.conftest import APPROVAL_CONTEXT, Processes, SmsGateway, SmtpSink, free_port  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://127.0.0.1:5432/bench_outbox_faults")


def approve_all(app, count, office_id):
    """count approvals, each its own committed transaction writing an SMS and an email."""
    from backoffice.extensions import db
    from backoffice.services import notifications
    from backoffice.services.platform import audit

    with app.app_context():
        for case_id in range(1, count + 1):
            audit.record("declaration_approved", actor_label="bench", object_type="declaration",
                         object_id=case_id, office_id=office_id)
            notifications.notify("declaration_approved", case_type="declaration", case_id=case_id,
                                 office_id=office_id, phone="0912345678", email=f"c{case_id}@example.vn",
                                 context=APPROVAL_CONTEXT, secrets={"temporary_password": f"Pw{case_id:08d}x"})
            db.session.commit()  # Redis may be down right now: the commit stands, the sweep sends later


class Chaos:
    """Kills work-horses or whole workers at random, restarts them, and restarts Redis once."""

    def __init__(self, processes, redis, workers):
        self.processes, self.redis = processes, redis
        self.workers = [processes.worker(redis.url) for _ in range(workers)]
        self.clock = processes.cron(redis.url)
        self.kills = Counter()
        self.stop = threading.Event()

    def respawn(self):
        """What a process manager does: start again whatever has exited."""
        self.workers = [w if w.poll() is None else self.processes.worker(self.redis.url) for w in self.workers]
        if self.clock.poll() is not None:
            self.clock = self.processes.cron(self.redis.url)

    def run(self, redis_restart_after):
        """Until stopped: every 0.3–1.2 s kill something; restart Redis once."""
        started = time.monotonic()
        while not self.stop.wait(random.uniform(0.3, 1.2)):
            victim = random.choice(self.workers)
            if victim.poll() is None and random.random() < 0.5:
                try:
                    os.kill(self.processes.horse(victim), signal.SIGKILL)
                    self.kills["work-horse"] += 1
                except (ProcessLookupError, FileNotFoundError, ValueError) as error:
                    self.kills[f"no horse to kill ({type(error).__name__})"] += 1
            else:
                self.processes.kill_group(victim)
                self.kills["whole worker"] += 1
            if redis_restart_after is not None and time.monotonic() - started > redis_restart_after:
                self.redis.stop()
                time.sleep(1.0)
                self.redis.start()
                self.kills["redis restart"] += 1
                redis_restart_after = None
            self.respawn()


def run_chaos(app, processes, redis, args, office_id):
    """Approve under chaos, then wait until every message is settled; returns (rows, seconds, kills)."""
    chaos = Chaos(processes, redis, args.workers)
    killer = threading.Thread(target=chaos.run, args=(4.0,))
    started = time.monotonic()
    killer.start()
    try:
        approve_all(app, args.approvals, office_id)
        time.sleep(3.0)  # keep killing for a while after the last approval
    finally:
        chaos.stop.set()
        killer.join()
    chaos.respawn()
    rows = wait_until_settled(app, 2 * args.approvals)
    return rows, time.monotonic() - started, chaos.kills


def wait_until_settled(app, expected):
    """Outbox rows once every one is sent, dead or uncertain (or after 10 minutes)."""
    from backoffice.extensions import db
    from backoffice.models import OutboxMessage

    with app.app_context():
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.channel,
                                             OutboxMessage.idempotency_key)).all()
            db.session.rollback()
            if len(rows) == expected and all(row.status in ("sent", "dead", "uncertain") for row in rows):
                return rows
            time.sleep(0.5)
    return rows


def settle_uncertain(app, rows, received_keys):
    """What a supervisor does with each uncertain email: look its Message-ID up in the mail server's log
    (here, the SMTP sink), then confirm it as sent or put it back in the queue. Returns (confirmed, requeued)."""
    from backoffice.extensions import db
    from backoffice.services import notifications

    confirmed = requeued = 0
    with app.app_context():
        for row in rows:
            if row.status != "uncertain":
                continue
            if row.idempotency_key in received_keys:
                notifications.confirm_sent(None, row.id)
                confirmed += 1
            else:
                notifications.requeue(None, row.id)
                requeued += 1
            db.session.commit()
    return confirmed, requeued


def _mail_keys(sink):
    return [mid.strip("<>").split("@")[0] for mid in sink.message_ids()]


def main():
    """Run the approvals under chaos, wait for the outbox to drain, and count what reached the recipients."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--approvals", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    random.seed(args.seed)
    gateway, sink = SmsGateway(), SmtpSink()
    gateway.latency = 0.01  # a kill often lands while a call is in flight
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    logs = ROOT / "bench" / "out" / "outbox_faults"  # worker and clock logs, kept for reading afterwards
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        redis = start_redis(Path(scratch))
        recreate_database(DATABASE_URL)
        app = bench_app(DATABASE_URL, redis.url, SECRET_KEY="bench-secret-key-that-is-long-enough-01",
                        OUTBOX_DIR=scratch, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_STARTTLS=False,
                        SMTP_TIMEOUT=5.0, SMS_GATEWAY_URL=gateway.url, SMS_AUTH_HEADER="Authorization: Bearer b",
                        SMS_MESSAGE_ID_FIELD="data.id", SMS_TIMEOUT=5.0, OUTBOX_LEASE_SECONDS=6.0,
                        OUTBOX_MAX_ATTEMPTS=8, OUTBOX_RETRY_BASE_SECONDS=0.5, OUTBOX_RETRY_MAX_SECONDS=5,
                        OUTBOX_SWEEP_SECONDS=1)
        from backoffice.extensions import db
        from backoffice.models import Office

        with app.app_context():
            office = Office(code="00131", name="BHXH Quận Bắc Từ Liêm", level="local", path="00131")
            db.session.add(office)
            db.session.commit()
            office_id = office.id
        processes = Processes(app, logs)
        try:
            rows, elapsed, kills = run_chaos(app, processes, redis, args, office_id)
            uncertain = Counter(row.channel for row in rows if row.status == "uncertain")
            confirmed, requeued = settle_uncertain(app, rows, set(_mail_keys(sink)))
            rows = wait_until_settled(app, 2 * args.approvals)
        finally:  # never leave workers behind: they would keep working on the next run's database
            processes.stop_all()
            redis.stop()
            smtp.stop()

    expected = 2 * args.approvals
    keys = {row.idempotency_key: row.channel for row in rows}
    sms_delivered = set(gateway.accepted)
    mail_ids = Counter(_mail_keys(sink))
    delivered = sms_delivered | set(mail_ids)
    lost = [key for key in keys if key not in delivered]
    duplicated = sum(count - 1 for count in mail_ids.values() if count > 1)
    repeated_calls = len(gateway.calls) - len(gateway.accepted) - sum(1 for c in gateway.calls if c["key"] is None)
    print(f"approvals committed: {args.approvals}; chaos: {dict(kills)}; drained in {elapsed:.1f}s")
    print(f"uncertain after the run: {dict(uncertain)}; settled by the supervisor from the mail log: "
          f"{confirmed} confirmed as sent, {requeued} put back in the queue")
    print(f"outbox rows: {len(rows)} ({Counter(row.status for row in rows)})")
    print(f"expected: {expected}  sent: {len(delivered & set(keys))}  lost: {len(lost)}  duplicated: {duplicated}")
    print(f"SMS gateway calls repeated with an already-accepted key (absorbed by the idempotency key): "
          f"{repeated_calls}")
    return 0 if not lost and not duplicated and len(rows) == expected else 1


if __name__ == "__main__":
    sys.exit(main())
