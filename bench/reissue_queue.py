"""Benchmark of the reissue department queue and of the deadline sweep over a large PostgreSQL database (issue 15).

Prerequisite: a database loaded with the demo data and N open reissue requests, e.g.
    DATABASE_URL=postgresql://127.0.0.1:5432/bench .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=postgresql://127.0.0.1:5432/bench .venv/bin/flask --app wsgi demo seed --reissues 1000000
Then:
    DATABASE_URL=postgresql://127.0.0.1:5432/bench .venv/bin/python bench/reissue_queue.py [--seconds 20]
With REDIS_URL set (as in production) the web workers keep signed-in officers and queue pages under versions in
Redis (services/platform/versions.py); without it every page reads the database. --writes N adds a thread that
assigns one of 00131's requests N times a second while the pages are read (each write makes every worker read that
office's next page afresh).

Queue: 16 threads (one per officer) read department queue pages in-process for 00131's two departments: the first
page, a filtered page (one type, unassigned, due by a date) and a page deep in the keyset; it prints requests/s and
p50/p95/p99 per page kind. In-process on purpose: it measures the query and the page's service call, not HTTP.
HTTP (--http): as bench/desk.py does for the desk: gunicorn serves the app, 16 department officers of 00131 (8 of
THU_SO_THE, 8 of CS_BHXH) sign in, and wrk (Debian package `wrk`) drives one connection per officer: a static file
(the ceiling), then the first page, the filtered page and the deep keyset page of each officer's own department
queue, each right after a static-file run of the same length; the page's ratio is taken to that run. With --rounds N
every pair is repeated and the medians printed. This is the issue's measure (p95 and a fifth of a static page).
Sweep: in a transaction that is rolled back (so runs repeat), the sweep runs at a moment chosen so that 0, 1,000 and
10,000 cases are due; it prints the time of each run and the plan of the sweep's query, to show that its cost grows
with the cases due and not with the open cases.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk import LUA, ROOT  # noqa: E402 - the same wrk script and ratio method as the desk's bench
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


HTTP_OFFICERS = 16
HTTP_PASSWORD = "bench-mat-khau-2026"
HTTP_PREFIX = "bench.phong."  # bench.phong.0 ... 7 of THU_SO_THE, 8 ... 15 of CS_BHXH, all of 00131


def _http_officers(app):
    """The 16 department officers (idempotent); returns the deep keyset position of each department."""
    from backoffice.models import Officer, Role
    from backoffice.services.platform import offices, passwords

    with app.app_context():
        office = offices.by_code("00131")
        departments = {d.code: d for d in office.departments}
        digest = passwords.hash_password(HTTP_PASSWORD)
        for n in range(HTTP_OFFICERS):
            name = f"{HTTP_PREFIX}{n}"
            if not db.session.scalar(select(Officer.id).where(Officer.username == name)):
                db.session.add(Officer(username=name, full_name=name, role=Role.department_officer, office=office,
                                       department=departments[DEPARTMENTS[n * len(DEPARTMENTS) // HTTP_OFFICERS]],
                                       password_hash=digest, must_change_password=False))
        db.session.commit()
        return {department: _deep_key(office.id, department) for department in DEPARTMENTS}


def _sign_in(base, count):
    """Cookie of each officer's session (GET pages only: no CSRF token needed)."""
    sessions = []
    for n in range(count):
        http = requests.Session()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', http.get(f"{base}/login").text).group(1)
        answer = http.post(f"{base}/login", data={"csrf_token": token, "username": f"{HTTP_PREFIX}{n}",
                                                   "password": HTTP_PASSWORD}, allow_redirects=False)
        assert answer.status_code == 303, answer.status_code
        assert http.get(f"{base}/reissue/").status_code == 200
        sessions.append("; ".join(f"{c.name}={c.value}" for c in http.cookies))
    return sessions


def _wrk(base, cookies, paths, duration):
    """One wrk run, one connection per officer, each on its own path; (req/s, p50, p95, p99 ms, errors, count)."""
    import tempfile

    script = (LUA % (", ".join(f'"{c}"' for c in cookies), ", ".join('""' for _ in cookies), "GET", "/")
              ).replace("  wrk.path = path\n", "  wrk.path = paths[id]\n")
    script = "local paths = {%s}\n" % ", ".join(f'"{p}"' for p in paths) + script
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(["wrk", "-t", str(len(cookies)), "-c", str(len(cookies)), "-d", f"{duration}s",
                          "-s", handle.name, base], capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    values = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    return [float(v) for v in values[:4]] + [int(values[4]), int(values[5])]


def _writer(app, per_second, stop, done):
    """Another officer's work while the pages are read: every 1/per_second s one open request of 00131's two
    departments is assigned to someone else or back to nobody (an ORM write and commit, as a claim is), which
    moves the office's version: every worker reads its next page of that office afresh."""
    from backoffice.models import Officer
    from backoffice.services.platform import offices

    with app.app_context():
        office_id = offices.by_code("00131").id
        officers = db.session.scalars(select(Officer.id).where(Officer.username.like(f"{HTTP_PREFIX}%"))).all()
        cases = db.session.scalars(select(ReissueRequest.id).where(
            ReissueRequest.office_id == office_id, ReissueRequest.closed_at.is_(None)).limit(500)).all()
        db.session.remove()
        rng = random.Random(7)
        while not stop.is_set():
            case = db.session.get(ReissueRequest, rng.choice(cases))
            case.assignee_id = None if case.assignee_id else rng.choice(officers)
            db.session.commit()
            db.session.remove()
            done.append(1)
            stop.wait(1 / per_second)


def bench_http(app, duration, rounds, workers, port, writes=0):
    """The issue's measure: p95 and the ratio to a static file through gunicorn and wrk, 16 officers."""
    deep = _http_officers(app)
    with app.app_context():
        due_by = (calendar.today() + timedelta(days=10)).isoformat()
        db.engine.dispose()
    env = dict(os.environ, SECRET_KEY="bench-secret-key-that-is-long-enough-0123",
               LOGIN_ATTEMPTS_PER_IP="1000 per minute")
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
                               "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stderr=subprocess.DEVNULL)
    departments = [DEPARTMENTS[n * len(DEPARTMENTS) // HTTP_OFFICERS] for n in range(HTTP_OFFICERS)]

    def deep_path(department):
        due, at, row_id = deep[department]
        return "/reissue/?" + urlencode({"after_due": due.isoformat(), "after_at": at.isoformat(),
                                         "after_id": row_id})

    pages = {
        "queue, first page": ["/reissue/"] * HTTP_OFFICERS,
        "queue, filtered (type, unassigned, due by)": [
            "/reissue/?" + urlencode({"kind": "bhyt_card" if d == "THU_SO_THE" else "payout_change",
                                      "assignee": "none", "due_by": due_by}) for d in departments],
        "queue, deep keyset page (5,000 rows in)": [deep_path(d) for d in departments],
    }
    try:
        for _ in range(60):
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.5)
        cookies = _sign_in(base, HTTP_OFFICERS)
        pairs = {name: [] for name in pages}
        written = []
        for _ in range(rounds):
            for name, paths in pages.items():
                static = _wrk(base, cookies, ["/static/app.css"] * HTTP_OFFICERS, duration)
                stop = threading.Event()
                writer = threading.Thread(target=_writer, args=(app, writes, stop, written)) if writes else None
                if writer:
                    writer.start()
                pairs[name].append((static, _wrk(base, cookies, paths, duration)))
                if writer:
                    stop.set()
                    writer.join()
    finally:
        server.terminate()
        server.wait()
    print(f"{'scenario':44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs static':>9}")
    statics = [static for runs in pairs.values() for static, _ in runs]
    rows = [("static file", statics, [1.0])] + [
        (name, [page for _, page in runs], [page[0] / static[0] for static, page in runs])
        for name, runs in pairs.items()]
    for name, runs, ratios in rows:
        rps, p50, p95, p99 = (median(run[field] for run in runs) for field in range(4))
        print(f"{name:44} {rps:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} {sum(run[4] for run in runs):7d} "
              f"{median(ratios):9.2f}  (ratios {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"medians of {rounds} round(s), {duration} s each, {workers} gunicorn workers; a page's ratio is its req/s "
          "÷ the static file's in the run just before it; Redis " + (os.environ.get("REDIS_URL") or "none")
          + (f"; {len(written)} writes to 00131's requests during the page runs ({writes}/s)" if writes else ""))


def main():
    """Run the queue and sweep benchmarks against DATABASE_URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--skip-queue", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--http", action="store_true", help="measure through gunicorn and wrk (see the docstring)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5098)
    parser.add_argument("--writes", type=float, default=0,
                        help="with --http: assignments written per second in 00131 while the pages are read")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the loaded benchmark database.")
    app = create_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS + 2})
    if args.http:
        bench_http(app, int(args.seconds), args.rounds, args.workers, args.port, args.writes)
    elif not args.skip_queue:
        bench_queue(app, args.seconds)
    if not args.skip_sweep:
        bench_sweep(app)


if __name__ == "__main__":
    main()
