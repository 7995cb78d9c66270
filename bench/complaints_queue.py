"""Benchmark of the complaints department queue at 1,000,000 complaints with 16 officers (issue 16).

Prerequisite: a database loaded with the demo data and N complaints, e.g.
    createdb -h 127.0.0.1 bench_cmp
    DATABASE_URL=postgresql://127.0.0.1:5432/bench_cmp .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=postgresql://127.0.0.1:5432/bench_cmp .venv/bin/flask --app wsgi demo seed --complaints 1000000
Then:
    DATABASE_URL=postgresql://127.0.0.1:5432/bench_cmp .venv/bin/python bench/complaints_queue.py \
        [--duration 5] [--rounds 3]

With REDIS_URL set (as in production) the web workers keep signed-in officers and queue pages under versions in
Redis (services/platform/versions.py); without it every page reads the database.

The method of bench/desk.py: it serves the app with gunicorn (4 sync workers, gunicorn.conf.py), signs in 16
department officers of 00131's THU_SO_THE (bench.canbo.0 ... bench.canbo.15, created if missing) and drives GET
/complaints/ with wrk (Debian package `wrk`), one connection per officer, each sending its next request as soon as
the last one is answered:
* the first page (every open complaint of the department, due first);
* a filtered page (accepted, unassigned, due within ten days);
* a page deep in the keyset (after the 5,000th open complaint).
Each page is measured right after a static-file run of the same length served by the same gunicorn, and its ratio is
taken to that run (the machine is shared and its speed drifts within seconds, which shifts both runs of a pair alike).
Before each run the bench waits until the workers have answered what the last run left queued (slow pages otherwise
spill into the next static run).
With --rounds N every pair is repeated N times and the medians are printed.

Before the HTTP runs it prints, in process, the SQL of each page's query as the queue service sends it, with
EXPLAIN (ANALYZE, BUFFERS): the database's share of a page.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk import run_wrk, sign_in  # noqa: E402  (the reception desk bench's sign-in, wrk script and parsing)

ROOT = Path(__file__).resolve().parent.parent
OFFICERS = 16
PASSWORD = "bench-mat-khau-2026"
OFFICER_PREFIX = "bench.canbo."
OFFICE, DEPARTMENT = "00131", "THU_SO_THE"
DEEP = 5000
TARGET_P95_MS, TARGET_RATIO = 100, 0.2

PREPARE = f"""
import json, sys
from datetime import timedelta
from sqlalchemy import event, func, select, text
from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import Complaint, Department, Officer, Role
from backoffice.services import complaints
from backoffice.services.casework import queue
from backoffice.services.platform import calendar, offices, passwords
app = create_app()
with app.app_context():
    office = offices.by_code({OFFICE!r})
    department = db.session.scalar(select(Department).where(Department.office_id == office.id,
                                                            Department.code == {DEPARTMENT!r}))
    digest = passwords.hash_password({PASSWORD!r})
    for n in range({OFFICERS}):
        name = f"{OFFICER_PREFIX}{{n}}"
        if not db.session.query(Officer).filter_by(username=name).first():
            db.session.add(Officer(username=name, full_name=name, role=Role.department_officer, office=office,
                                   department=department, password_hash=digest, must_change_password=False))
    db.session.commit()
    open_rows = db.session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.office_id == office.id, Complaint.department_code == {DEPARTMENT!r}, Complaint.closed_at.is_(None)))
    key = db.session.execute(select(Complaint.queue_due_at, Complaint.received_at, Complaint.id).where(
        Complaint.office_id == office.id, Complaint.department_code == {DEPARTMENT!r}, Complaint.closed_at.is_(None))
        .order_by(Complaint.queue_due_at, Complaint.received_at, Complaint.id).offset({DEEP}).limit(1)).one()
    due_by = calendar.today() + timedelta(days=10)
    pages = {{"first": (queue.QueueFilters(), None),
              "filtered": (queue.QueueFilters(state="accepted", assignee="none", due_by=due_by), None),
              "deep": (queue.QueueFilters(), tuple(key))}}
    seen = []
    listen = lambda conn, cursor, statement, parameters, context, many: seen.append((statement, parameters))
    event.listen(db.engine, "before_cursor_execute", listen)
    plans = {{}}
    for name, (filters, after) in pages.items():
        seen.clear()
        complaints.department_page(office.id, {DEPARTMENT!r}, filters, after, queue.PAGE_SIZE + 1)
        statement, parameters = seen[-1]
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plans[name] = [row[0] for row in cursor.fetchall()]
    event.remove(db.engine, "before_cursor_execute", listen)
    db.session.rollback()
    total = db.session.scalar(select(func.count()).select_from(Complaint))
    json.dump({{"total": total, "open": open_rows, "key": [k.isoformat() if hasattr(k, "isoformat") else k
                                                          for k in key],
               "due_by": due_by.isoformat(), "plans": plans}}, sys.stdout)
"""


def prepare(env):
    """The bench officers (idempotent), the deep key, the filter's date and the three queries' plans."""
    done = subprocess.run([sys.executable, "-c", PREPARE], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout)


def free_port():
    """A port nobody listens on now (other benchmarks run on the same host)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env, port, workers):
    """gunicorn on 127.0.0.1:port, ready (the caller terminates it)."""
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
                               "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stderr=subprocess.DEVNULL)
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}): is port {port} taken?")
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def settle(base, seconds=20):
    """Wait until the workers have answered what the last run left queued (wrk stops sending, but up to one request
    a connection is still waiting): a static file answered in under 50 ms twice in a row, or `seconds` passed."""
    deadline, quick = time.monotonic() + seconds, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.perf_counter()
        requests.get(f"{base}/static/app.css", timeout=seconds)
        quick = quick + 1 if time.perf_counter() - started < 0.05 else 0


def measure(base, sessions, path, duration):
    """One wrk run after the server settled."""
    settle(base)
    return run_wrk(base, sessions, "GET", path, duration)


def main():
    """Prepare, print the plans, serve, sign in, measure, print a table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="default: a free port (others' servers share the host)")
    parser.add_argument("--officers", type=int, default=OFFICERS, choices=range(1, OFFICERS + 1), metavar="1-16")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the loaded benchmark database.")
    env = dict(os.environ, SECRET_KEY="bench-secret-key-that-is-long-enough-0123",
               LOGIN_ATTEMPTS_PER_IP="1000 per minute")
    facts = prepare(env)
    print(f"{facts['total']:,} complaints; {OFFICE} {DEPARTMENT}: {facts['open']:,} open; deep key after "
          f"{DEEP:,} rows")
    for name, plan in facts["plans"].items():
        print(f"-- {name} page: EXPLAIN (ANALYZE, BUFFERS)")
        print("\n".join("   " + line for line in plan))
    due, at, row_id = facts["key"]
    pages = [("first page", "/complaints/"),
             ("filtered page", "/complaints/?" + urlencode({"state": "accepted", "assignee": "none",
                                                            "due_by": facts["due_by"]})),
             (f"deep keyset page ({DEEP:,} in)", "/complaints/?" + urlencode({"after_due": due, "after_at": at,
                                                                             "after_id": row_id}))]
    port = args.port or free_port()
    server = serve(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    pairs = {name: [] for name, _ in pages}
    try:
        sessions = sign_in(base, prefix=OFFICER_PREFIX, page="/complaints/", count=args.officers)
        for _ in range(args.rounds):
            for name, path in pages:
                static = measure(base, sessions, "/static/app.css", args.duration)
                pairs[name].append((static, measure(base, sessions, path, args.duration)))
    finally:
        server.terminate()
        server.wait()
    print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs static':>9}")
    statics = [static for runs in pairs.values() for static, _ in runs]
    table = [("static file", statics, 1.0)] + [
        (name, [page for _, page in runs], median(page[0] / max(static[0], 1e-9) for static, page in runs))
        for name, runs in pairs.items()]
    verdicts = []
    for name, runs, ratio in table:
        rps, p50, p95, p99 = (median(run[field] for run in runs) for field in range(4))
        errors = sum(run[4] for run in runs)
        print(f"{name:32} {rps:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} {errors:7d} {ratio:9.2f}")
        if name != "static file":
            verdicts.append(p95 <= TARGET_P95_MS and ratio >= TARGET_RATIO and not errors)
    print(f"medians of {args.rounds} round(s) of {args.duration} s, {len(sessions)} officers, {args.workers} "
          f"gunicorn workers; ratio: median of page req/s ÷ static req/s in the run just before it. Targets "
          f"(p95 ≤ {TARGET_P95_MS} ms, ratio ≥ {TARGET_RATIO}): {'met' if all(verdicts) else 'NOT met'}")


if __name__ == "__main__":
    main()
