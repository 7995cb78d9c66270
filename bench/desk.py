"""Benchmark of the reception desk over a large PostgreSQL database (issue 4, DESIGN.md §11).

Prerequisite: a database loaded with the demo data and N declarations, e.g.
    DATABASE_URL=postgresql://127.0.0.1:5432/bench_desk .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=postgresql://127.0.0.1:5432/bench_desk .venv/bin/flask --app wsgi demo seed --declarations 1000000
Then:
    DATABASE_URL=postgresql://127.0.0.1:5432/bench_desk .venv/bin/python bench/desk.py [--duration 20] [--rounds 3]

It serves the app with gunicorn, signs in 16 reception officers of office 00131, and drives it with
wrk (Debian package `wrk`), one connection per officer: a static file (the ceiling), the queue page,
a filtered queue page deep in the keyset, and take-next (POST, claims a declaration each time).
Each page is measured right after a static-file run of the same length, and its ratio is taken to that run: the
machine is shared and its speed drifts within seconds, which shifts the two measurements of a pair alike. With
--rounds N every pair is repeated N times; it prints the medians of requests/s, p50/p95/p99 latency and of the
pairs' ratios.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
OFFICERS = 16
PASSWORD = "bench-mat-khau-2026"
OFFICER_PREFIX = "bench.tiepnhan."  # the bench's officers: bench.tiepnhan.0 ... bench.tiepnhan.15
LUA = r"""
local cookies = {%s}
local tokens = {%s}
local method, path = "%s", "%s"
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  wrk.method = method
  wrk.path = path
  wrk.headers["Cookie"] = cookies[id]
  wrk.headers["X-CSRFToken"] = tokens[id]
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%.1f %%.2f %%.2f %%.2f %%d %%d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.requests))
end
"""


def prepare_database(env):
    """16 reception officers of 00131 with a known password (idempotent); the declarations they claimed in an
    earlier run handed back to the queue and the table vacuumed, so every run starts from the same queue (take-next
    claims hundreds a second and never decides: left alone, the ready rows thin out and the deep page slows)."""
    code = f"""
from sqlalchemy import text
from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import Officer, Role
from backoffice.services.platform import offices, passwords
app = create_app()
with app.app_context():
    office = offices.by_code("00131")
    digest = passwords.hash_password({PASSWORD!r})
    for n in range({OFFICERS}):
        name = f"{OFFICER_PREFIX}{{n}}"
        if not db.session.query(Officer).filter_by(username=name).first():
            db.session.add(Officer(username=name, full_name=name, role=Role.reception_officer, office=office,
                                   password_hash=digest, must_change_password=False))
    db.session.execute(text(
        "UPDATE declarations SET state = 'ready', claimed_by_id = NULL, claimed_at = NULL, claim_touched_at = NULL, "
        "version_id = version_id + 1 WHERE state = 'in_review' AND claimed_by_id IN "
        "(SELECT id FROM officers WHERE username LIKE '{OFFICER_PREFIX}%')"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE declarations"))
"""
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def sign_in(base, prefix=OFFICER_PREFIX, page="/declarations/", count=OFFICERS):
    """Cookie and CSRF token of each officer's session (`prefix`0 ... signed in, then `page` read for the token)."""
    sessions = []
    for n in range(count):
        http = requests.Session()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', http.get(f"{base}/login").text).group(1)
        answer = http.post(f"{base}/login", data={"csrf_token": token, "username": f"{prefix}{n}",
                                                   "password": PASSWORD}, allow_redirects=False)
        assert answer.status_code == 303, answer.status_code
        header_token = re.search(r'"X-CSRFToken": "([^"]+)"', http.get(f"{base}{page}").text).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        sessions.append((cookie, header_token))
    return sessions


def run_wrk(base, sessions, method, path, duration):
    """One wrk run, one connection per signed-in officer; returns (req/s, p50, p95, p99 ms, errors, requests)."""
    script = LUA % (", ".join(f'"{c}"' for c, _ in sessions), ", ".join(f'"{t}"' for _, t in sessions), method, path)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(["wrk", "-t", str(len(sessions)), "-c", str(len(sessions)), "-d", f"{duration}s",
                          "-s", handle.name,
                          base], capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    values = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    return [float(v) for v in values[:4]] + [int(values[4]), int(values[5])]


def main():
    """Serve, sign in, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat every (static file, page) pair this many times and print medians "
                             "(for a shared, noisy machine)")
    parser.add_argument("--officers", type=int, default=OFFICERS, choices=range(1, OFFICERS + 1), metavar="1-16",
                        help="concurrent officers, each with its own connection (default 16)")
    args = parser.parse_args()
    env = dict(os.environ, SECRET_KEY="bench-secret-key-that-is-long-enough-0123",
               LOGIN_ATTEMPTS_PER_IP="1000 per minute")
    prepare_database(env)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", str(args.workers),
                               "--bind", f"127.0.0.1:{args.port}", "wsgi:app"], cwd=ROOT, env=env,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(60):
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.5)
        sessions = sign_in(base)[:args.officers]
        deep = "/declarations/?" + urlencode({"state": "ready", "after_at": "2026-01-01T00:00:00+00:00",
                                              "after_id": 500000})
        pages = [("queue page", "GET", "/declarations/"), ("queue, filtered, deep keyset page", "GET", deep),
                 ("take next (POST)", "POST", "/declarations/next")]
        pairs = {name: [] for name, _, _ in pages}
        for _ in range(args.rounds):
            for name, method, path in pages:
                static = run_wrk(base, sessions, "GET", "/static/app.css", args.duration)
                pairs[name].append((static, run_wrk(base, sessions, method, path, args.duration)))
    finally:
        server.terminate()
        server.wait()
    print(f"{'scenario':36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs static':>9}")
    statics = [static for runs in pairs.values() for static, _ in runs]
    rows = [("static file", statics, 1.0)] + [
        (name, [page for _, page in runs], median(page[0] / static[0] for static, page in runs))
        for name, runs in pairs.items()]
    for name, runs, ratio in rows:
        rps, p50, p95, p99 = (median(run[field] for run in runs) for field in range(4))
        print(f"{name:36} {rps:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} {sum(run[4] for run in runs):7d} {ratio:9.2f}")
    print(f"medians of {args.rounds} round(s); a page's ratio is the median over rounds of its req/s ÷ "
          "the static file's "
          f"in the run just before it")


if __name__ == "__main__":
    main()
