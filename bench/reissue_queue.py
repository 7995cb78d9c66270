"""Benchmark of the reissue department queue and of the deadline sweep over a large PostgreSQL database (issue 15).

Prerequisite: a database loaded with the demo data and N open reissue requests, e.g.
    DATABASE_URL=postgresql://127.0.0.1:5432/bench .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=postgresql://127.0.0.1:5432/bench .venv/bin/flask --app wsgi demo seed --reissues 1000000
Then:
    DATABASE_URL=postgresql://127.0.0.1:5432/bench .venv/bin/python bench/reissue_queue.py [--seconds 20]

Queue: 16 threads (one per officer) read department queue pages in-process for 00131's two departments: the first
page, a filtered page (one type, unassigned, due by a date) and a page deep in the keyset; it prints requests/s and
p50/p95/p99 per page kind. In-process on purpose: it measures the query and the page's service call, not HTTP.
Sweep: in a transaction that is rolled back (so runs repeat), the sweep runs at a moment chosen so that 0, 1,000 and
10,000 cases are due; it prints the time of each run and the plan of the sweep's query, to show that its cost grows
with the cases due and not with the open cases.
"""
import argparse
import os
import random
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from backoffice import create_app  # noqa: E402
from backoffice.extensions import db  # noqa: E402
from backoffice.models import Office, ReissueRequest  # noqa: E402
from backoffice.services import reissue  # noqa: E402
from backoffice.services.casework import escalation, queue  # noqa: E402
from backoffice.services.platform import calendar  # noqa: E402

THREADS = 16
DEPARTMENTS = ("THU_SO_THE", "CS_BHXH")


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def _queue_worker(app, office_id, kind, stop, results):
    rng = random.Random(threading.get_ident())
    with app.app_context():
        while time.monotonic() < stop:
            department = rng.choice(DEPARTMENTS)
            filters, after = queue.QueueFilters(), None
            if kind == "filtered":
                filters = queue.QueueFilters(kind="bhyt_card" if department == "THU_SO_THE" else "payout_change",
                                             assignee="none", due_by=(calendar.now() + timedelta(days=10)).date())
            elif kind == "deep":
                after = _deep_key(office_id, department)
            started = time.perf_counter()
            rows = reissue.department_page(office_id, department, filters, after, queue.PAGE_SIZE + 1)
            results.append(time.perf_counter() - started)
            assert rows is not None
            db.session.rollback()


_deep = {}


def _deep_key(office_id, department):
    """The keyset position 5,000 rows into a department's queue (found once)."""
    if (office_id, department) not in _deep:
        row = db.session.execute(select(ReissueRequest.queue_due_at, ReissueRequest.received_at, ReissueRequest.id)
                                 .where(ReissueRequest.office_id == office_id,
                                        ReissueRequest.department_code == department,
                                        ReissueRequest.closed_at.is_(None))
                                 .order_by(ReissueRequest.queue_due_at, ReissueRequest.received_at, ReissueRequest.id)
                                 .offset(5000).limit(1)).first()
        _deep[(office_id, department)] = tuple(row) if row else None
    return _deep[(office_id, department)]


def bench_queue(app, seconds):
    """Each page kind for `seconds` with 16 threads; prints rate and latency percentiles."""
    with app.app_context():
        office_id = db.session.scalar(select(Office.id).where(Office.code == "00131"))
        for department in DEPARTMENTS:
            _deep_key(office_id, department)
    for kind in ("first", "filtered", "deep"):
        results, stop = [], time.monotonic() + seconds
        threads = [threading.Thread(target=_queue_worker, args=(app, office_id, kind, stop, results))
                   for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"queue {kind:9} {len(results) / seconds:8.1f} pages/s  p50 {_percentile(results, .5):6.1f} ms  "
              f"p95 {_percentile(results, .95):6.1f} ms  p99 {_percentile(results, .99):6.1f} ms")


def bench_sweep(app):
    """The sweep at moments with 0, 1,000 and 10,000 cases due, each rolled back."""
    with app.app_context():
        open_cases = db.session.scalar(select(func.count()).select_from(ReissueRequest)
                                       .where(ReissueRequest.closed_at.is_(None)))
        print(f"sweep over {open_cases:,} open cases")
        for due in (0, 1000, 10000):
            # The moment just after the due-th earliest warning or deadline: that many rows to handle.
            moment = db.session.scalar(select(ReissueRequest.due_soon_at).where(
                ReissueRequest.closed_at.is_(None), ReissueRequest.warned_at.is_(None),
                ReissueRequest.due_soon_at.is_not(None)).order_by(ReissueRequest.due_soon_at).offset(max(due - 1, 0))
                .limit(1))
            if due == 0:
                moment -= timedelta(seconds=1)
            started, handled, batches = time.perf_counter(), 0, 0
            while True:
                done = escalation.sweep_batch(now=moment)
                if not done:
                    break
                handled, batches = handled + done, batches + 1
            elapsed = time.perf_counter() - started
            db.session.rollback()
            print(f"sweep due~{due:>6,}: {handled:>7,} warned or escalated in {elapsed:6.2f} s ({batches} batches)")
        plan = db.session.execute(text(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM reissue_requests WHERE closed_at IS NULL AND "
            "escalated_at IS NULL AND due_at IS NOT NULL AND due_at <= now() - interval '100 days' "
            "ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED")).scalars().all()
        db.session.rollback()
        print("\n".join("  " + line for line in plan))


def main():
    """Run the queue and sweep benchmarks against DATABASE_URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--skip-queue", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the loaded benchmark database.")
    app = create_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS + 2})
    if not args.skip_queue:
        bench_queue(app, args.seconds)
    if not args.skip_sweep:
        bench_sweep(app)


if __name__ == "__main__":
    main()
