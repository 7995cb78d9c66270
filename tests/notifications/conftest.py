"""Real parts for the notification tests: an aiosmtpd SMTP server and an HTTP SMS gateway on loopback,
RQ workers and `rq cron` as subprocesses, and a private redis-server that can be stopped and started."""
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from redis import Redis

from backoffice.extensions import db
from backoffice.models import Declaration
from backoffice.services import notifications
from backoffice.services.platform import audit, offices

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RECEIPT_SECRET = "receipt-secret-for-tests"
# "timeout" outlasts the in-process tests' SMS_TIMEOUT (1 s); "hold" keeps a worker busy long enough to kill it.
PAUSES = {"timeout": 3.0, "hold": 2.5}
APPROVAL_CONTEXT = {"full_name": "Nguyễn Thị Ánh", "reference": "TK-00131-2026-0000001",
                    "office_name": "BHXH Quận Bắc Từ Liêm", "login": "0123456789", "password_valid_hours": 72}


def free_port():
    """A loopback port nobody listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=40.0, interval=0.05, what="condition"):
    """Poll until condition() is truthy; fail the test with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class SmtpSink:
    """aiosmtpd handler that keeps every message it is handed; `delay` holds back its answer, as a slow
    server does after it has queued the message."""

    def __init__(self):
        self.messages = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.messages.append(message_from_bytes(envelope.original_content, policy=default_policy))
        await asyncio.sleep(self.delay)
        return "250 OK"

    def message_ids(self):
        """Message-ID of every message received, in order (repeats included)."""
        return [message["Message-ID"] for message in self.messages]


class SmsGateway:
    """A gateway that records each call and, like real ones, answers a repeated Idempotency-Key with the
    first message id instead of sending again. `plan` holds the answers for the next calls: "ok", an HTTP
    status, "timeout" (answers after the client gave up) or "hold" (accepts after a pause)."""

    def __init__(self):
        self.calls = []
        self.accepted = {}  # idempotency key -> (gateway id, text): what reached handsets
        self.plan = []
        self.latency = 0.0  # seconds each accepted call takes (benchmarks)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                try:
                    body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                except ValueError:
                    return  # a client killed halfway through its request
                key = self.headers.get("Idempotency-Key")
                with gateway.lock:
                    gateway.calls.append({"key": key, "body": body, "auth": self.headers.get("Authorization")})
                    action = gateway.plan.pop(0) if gateway.plan else "ok"
                if action in PAUSES:
                    time.sleep(PAUSES[action])
                elif action != "ok":
                    self.send_response(int(action))
                    self.end_headers()
                    return
                time.sleep(gateway.latency)
                with gateway.lock:
                    if key not in gateway.accepted:
                        gateway.accepted[key] = (f"gw-{len(gateway.accepted) + 1}", body["text"])
                    answer = json.dumps({"data": {"id": gateway.accepted[key][0]}}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout) or was killed mid-call

        return Handler

    def calls_for(self, key):
        """How many times the gateway was called with this idempotency key."""
        return sum(1 for call in self.calls if call["key"] == key)


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback."""
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def sms_gateway():
    """A real HTTP SMS gateway on loopback."""
    gateway = SmsGateway()
    yield gateway
    gateway.server.shutdown()
    gateway.server.server_close()


@pytest.fixture
def app_settings(app_settings, smtp_server, sms_gateway):
    """The platform's test settings, pointed at the loopback SMTP server and SMS gateway, with short timers."""
    return {**app_settings, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SMTP_STARTTLS": False,
            "SMTP_TIMEOUT": 2.0, "SMS_GATEWAY_URL": sms_gateway.url,
            "SMS_AUTH_HEADER": "Authorization: Bearer gw-token",
            "SMS_MESSAGE_ID_FIELD": "data.id", "SMS_TIMEOUT": 1.0, "SMS_RECEIPT_SECRET": RECEIPT_SECRET,
            "OUTBOX_LEASE_SECONDS": 4.0, "OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_RETRY_BASE_SECONDS": 0.2,
            "OUTBOX_SWEEP_SECONDS": 1}


@pytest.fixture
def office(app, demo_logins):
    """The demo district office 00131."""
    return offices.by_code("00131")


def approve(office_id, case_id, password="Tm9pPass2345", phone="0912345678", email="anh.nguyen@example.vn"):
    """A stand-in approval: the decision's audit entry and its messages in one transaction (not committed).

    The declaration is created when missing: who may see or resend a message follows from its case."""
    if db.session.get(Declaration, case_id) is None:
        db.session.add(Declaration(id=case_id, reference=f"T{case_id:09d}", kind="register", channel="vssid_app",
                                   office_id=office_id, social_insurance_number=f"{case_id:010d}",
                                   full_name=APPROVAL_CONTEXT["full_name"], date_of_birth=date(1990, 1, 1), sex="Nữ",
                                   phone=phone[:15], state="approved"))
    audit.record("declaration_approved", actor_label="test", object_type="declaration", object_id=case_id,
                 office_id=office_id)
    return notifications.notify("declaration_approved", case_type="declaration", case_id=case_id,
                                office_id=office_id, phone=phone, email=email,
                                context={**APPROVAL_CONTEXT, "reference": f"TK-00131-2026-{case_id:07d}"},
                                secrets={"temporary_password": password})


def subprocess_env(app, **extra):
    """Environment for a worker or cron process: the same settings as the test app."""
    config = app.config
    env = {**os.environ, "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": config["REDIS_URL"],
           "SECRET_KEY": config["SECRET_KEY"], "OUTBOX_DIR": config["OUTBOX_DIR"], "PYTHONPATH": str(ROOT)}
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_TIMEOUT", "SMS_GATEWAY_URL", "SMS_AUTH_HEADER",
                 "SMS_MESSAGE_ID_FIELD", "SMS_TIMEOUT", "OUTBOX_LEASE_SECONDS", "OUTBOX_MAX_ATTEMPTS",
                 "OUTBOX_RETRY_BASE_SECONDS", "OUTBOX_RETRY_MAX_SECONDS", "OUTBOX_SWEEP_SECONDS"):
        env[name] = str(config[name])
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Processes:
    """RQ workers and `rq cron` started for one test; each in its own process group, all killed at the end."""

    def __init__(self, app, log_dir):
        self.app = app
        self.log_dir = log_dir
        self.running = []

    def _start(self, args, redis_url):
        log = open(self.log_dir / f"{args[0]}-{len(self.running)}.log", "wb")  # read these when a test fails
        process = subprocess.Popen([str(BIN / "rq"), *args, "--url", redis_url], cwd=ROOT,
                                   env=subprocess_env(self.app, REDIS_URL=redis_url), start_new_session=True,
                                   stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.running.append(process)
        return process

    def worker(self, redis_url=None):
        """A production-like worker: fork per job, app preloaded, scheduler on."""
        return self._start(["worker", "--worker-class", "backoffice.tasks.worker.AppWorker", "--with-scheduler",
                            "--worker-ttl", "60", "notifications"], redis_url or self.app.config["REDIS_URL"])

    def cron(self, redis_url=None):
        """The Procfile's clock: enqueues the outbox sweep every OUTBOX_SWEEP_SECONDS."""
        return self._start(["cron", "backoffice.tasks.cron"], redis_url or self.app.config["REDIS_URL"])

    @staticmethod
    def children(process):
        """Pids of a process's direct children (the work-horse, the scheduler)."""
        found = []
        try:
            tasks = list(Path(f"/proc/{process if isinstance(process, int) else process.pid}/task").glob("*"))
        except FileNotFoundError:
            return found  # the process ended meanwhile
        for task in tasks:
            try:
                found += [int(pid) for pid in (task / "children").read_text().split()]
            except FileNotFoundError:
                pass  # the task ended meanwhile
        return found

    def horse(self, worker):
        """The worker's newest child: the work-horse running the current job (the scheduler started first)."""
        def started(pid):
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])

        return max(self.children(worker), key=started)

    def kill_group(self, process):
        """SIGKILL a process and every descendant: RQ puts its work-horse in a session of its own."""
        doomed, pending = [], [process.pid]
        while pending:
            pid = pending.pop()
            doomed.append(pid)
            pending += self.children(pid)
        for pid in doomed:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait()

    def stop_all(self):
        """Kill whatever is still running; one that cannot be walked is still killed with its process group."""
        for process in self.running:
            try:
                self.kill_group(process)
            finally:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)  # each was started in a session of its own
                process.wait()


@pytest.fixture
def processes(app, tmp_path):
    """Start workers and cron for this test; they are killed afterwards (logs in tmp_path)."""
    started = Processes(app, tmp_path)
    yield started
    started.stop_all()


class PrivateRedis:
    """A redis-server of the test's own, on its own port, that the test may stop and start."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        """Start (or restart) the server and wait until it answers."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self._answers(), timeout=10, what="redis-server to start")

    def _answers(self):
        try:
            return Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self):
        """Kill the server (its data is gone, as after a crash without persistence)."""
        self.process.kill()
        self.process.wait()


@pytest.fixture
def private_redis(tmp_path):
    """A private redis-server, stopped at the end of the test."""
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()

