"""Intake benchmark: declarations accepted per second by POST /api/v1/declarations (extraction excluded).

Starts gunicorn on 127.0.0.1 against a PostgreSQL database and a Redis db of this machine (jobs are
queued to Redis and left there: the extraction worker is not running, so OCR is excluded), then a
client loop of CONCURRENCY threads, each on one keep-alive connection, posts REQUESTS declarations,
each with three ~300 KB JPEG photos (portrait, ID front, ID back). The multipart body is built once,
so the client spends its CPU on sending, not on encoding. Every request is bounded by a timeout, the
run by REQUESTS, and everything goes to loopback only.

    .venv/bin/python bench/intake.py --database-url postgresql://127.0.0.1:5432/bench_api \\
        --redis-url redis://127.0.0.1:6379/13 --requests 2000 --concurrency 8 --workers 4
"""
import argparse
import http.client
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_BYTES = 300 * 1024


def photo_near_300kb(jpeg, width=1600):
    """Resize a synthetic photo and pick the width (up to `width`) and JPEG quality that land closest to 300 KB:
    quality alone can jump past it (one card's back went from under 280 KB to 333 KB in one step)."""
    original = Image.open(io.BytesIO(jpeg)).convert("RGB")
    best = None
    for scale in (1.0, 0.97, 0.94, 0.91):
        image = original.resize((round(width * scale), round(width * scale * original.height / original.width)))
        for quality in range(50, 99):
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality)
            if best is None or abs(out.tell() - TARGET_BYTES) < abs(len(best) - TARGET_BYTES):
                best = out.getvalue()
    return best


def build_request(key):
    """One multipart body (payload + three ~300 KB photos) and its headers."""
    from backoffice.idcard.idnumber import make_id12
    from backoffice.idcard.synth import make_sample

    sample = make_sample("cccd_chip", "phone", 7)
    ident = sample.identity
    files = {"portrait": photo_near_300kb(make_sample("cccd_chip", "light", 8).front, 1400),
             "id_front": photo_near_300kb(sample.front), "id_back": photo_near_300kb(sample.back)}
    payload = {"kind": "register", "social_insurance_number": "0123456789", "full_name": ident.full_name.title(),
               "date_of_birth": ident.date_of_birth.isoformat(), "sex": ident.sex, "id_type": "cccd",
               "id_number": make_id12(1, ident.date_of_birth, ident.sex, 4242), "phone": "0912345678",
               "address": {"province_code": "01", "ward_code": "00070", "street": "Số 7 Tràng Thi"},
               "receiving_office_code": "00131", "channel": "vssid_app"}
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="payload"\r\n'
             f'Content-Type: application/json\r\n\r\n'.encode() + json.dumps(payload).encode() + b"\r\n"]
    for name, data in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.jpg"\r\n'
                     f'Content-Type: image/jpeg\r\n\r\n'.encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return body, headers, {name: len(data) for name, data in files.items()}


def prepare(env):
    """Migrate, make sure the demo offices exist, and create a fresh channel key."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    from backoffice import create_app
    from backoffice.extensions import db
    from backoffice.services import demo
    from backoffice.services.platform import api_keys

    app = create_app()
    with app.app_context():
        demo.seed_offices_and_officers("bench-password")
        _, key = api_keys.create("vssid_app", actor_label="bench")
        db.session.commit()
    return key


def wait_ready(port, deadline=30):
    """Wait for /healthz, at most `deadline` seconds."""
    stop = time.time() + deadline
    while time.time() < stop:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def run(port, body, headers, total, concurrency):
    """Send `total` POSTs over `concurrency` keep-alive connections; returns statuses and latencies."""
    counter = iter(range(total))
    lock = threading.Lock()
    results = []

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            connection.request("POST", "/api/v1/declarations", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                results.append((response.status, time.perf_counter() - started))

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return results, time.perf_counter() - started


def main():
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://127.0.0.1:5432/bench_api")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5081)
    args = parser.parse_args()

    storage_dir = tempfile.mkdtemp(prefix="bench-intake-")
    env = {**os.environ, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url,
           "STORAGE_URL": f"file://{storage_dir}", "APP_ENV": "development"}
    key = prepare(env)
    body, headers, sizes = build_request(key)
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", str(args.workers), "-b",
                               f"127.0.0.1:{args.port}", "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    try:
        wait_ready(args.port)
        run(args.port, body, headers, args.warmup, args.concurrency)
        results, elapsed = run(args.port, body, headers, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
    accepted = [latency for status, latency in results if status == 201]
    latencies = sorted(latency for _, latency in results)
    print(json.dumps({
        "requests": len(results), "accepted": len(accepted),
        "statuses": {str(s): sum(1 for r in results if r[0] == s) for s in sorted({r[0] for r in results})},
        "elapsed_s": round(elapsed, 2), "accepted_per_s": round(len(accepted) / elapsed, 1),
        "latency_ms": {"p50": round(statistics.median(latencies) * 1000, 1),
                       "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
                       "max": round(latencies[-1] * 1000, 1)},
        "photo_bytes": sizes, "request_bytes": len(body), "workers": args.workers,
        "concurrency": args.concurrency, "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_average_after": os.getloadavg(),
    }, indent=2))


if __name__ == "__main__":
    main()
