"""Browser tests: Playwright drives Debian's Chromium against the app served on loopback."""
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = "/usr/bin/chromium"
_DRAIN_SECONDS = 5
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use the system Chromium: Playwright cannot download browsers here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A counter PC's screen."""
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "vi-VN"}


@pytest.fixture
def app_settings(app_settings):
    app_settings["WTF_CSRF_ENABLED"] = True  # the real thing, as officers get it
    return app_settings


class Busy:
    """How many connections the live server is handling (werkzeug closes each after one request)."""

    def __init__(self):
        self.count, self.changed = 0, threading.Condition()

    def handler(self):
        busy = self

        class Handler(WSGIRequestHandler):
            def handle(self):
                with busy.changed:
                    busy.count += 1
                try:
                    super().handle()
                finally:
                    with busy.changed:
                        busy.count -= 1
                        busy.changed.notify_all()

        return Handler

    def wait_idle(self, seconds: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, seconds)


@pytest.fixture
def live_server(app):
    """The test app served by a real HTTP server in a thread; yields its base URL.

    At the end the server stops taking requests, and the ones it took get a few seconds to finish: a
    request the page sent last (a photo, an htmx poll) still in its transaction when the app fixture
    empties the tables deadlocked with it on a loaded machine. Werkzeug's server does not always
    close a response whose client has gone, and then leaves its session open, so the app fixture
    also ends any transaction left idle (tests/conftest.py, truncate_all)."""
    busy = Busy()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=busy.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    busy.wait_idle(_DRAIN_SECONDS)
    server.server_close()


@pytest.fixture
def csp_violations(page):
    """Console errors about the Content-Security-Policy (there must be none)."""
    found = []
    page.on("console", lambda message: found.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    return found
