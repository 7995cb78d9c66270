"""No dead ends: every link a page shows its reader opens for that reader.

A link the reader may not follow (a supervisor's "back to the queue" on a declaration they audit, a counter
officer's link to a reissue request listed in a complaint's register data) answers 403: the page hides such a
link (permissions.may_open). Each demo role is walked over the demo data of `make run`, following every link
from its home page, two pages of each address pattern, in both languages."""
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from flask_login import login_user
from werkzeug.exceptions import HTTPException

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState, Officer, ReissueRequest, Role
from backoffice.services.platform import scope
from backoffice.tasks.worker import AppSimpleWorker
from backoffice.web.permissions import allows, may_open, may_send, rule_for
from tests.conftest import DEMO_PASSWORD, login

LINK = re.compile(r'<a\b[^>]*\bhref="([^"#]*)"')
FORM = re.compile(r"<form\b([^>]*)>")
ATTRIBUTE = re.compile(r'\b(method|action|hx-post)="([^"]*)"')
NOT_WALKED = re.compile(r"^/(logout|static/)|\.(pdf|csv|xlsx)$|/files/|/print")
WALKERS = ("tiepnhan.00131", "canbo.00131", "truongphong.00131", "giamsat.00131", "giamsat.00100",
           "giamsat.00001", "quantri.00001", "canbo.00100", "truongphong.00100", "tiepnhan.00100")
PAGES = 60  # a walk's limit, far above what each role reaches over the demo data


@pytest.fixture
def demo_data(app, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    # the photos read, as a worker does after the seed: the declarations reach the desk's states (ready, claimed)
    runner = app.extensions["jobs"]
    AppSimpleWorker([runner.queue("extraction")], connection=runner.redis, app=app).work(burst=True)


def _posts(page, html):
    """The addresses the page's forms (and htmx buttons' forms) post to."""
    for attributes in FORM.findall(html):
        given = dict(ATTRIBUTE.findall(attributes))
        if given.get("method", "get").lower() == "post" or "hx-post" in given:
            yield urlsplit(urljoin(page, unescape(given.get("hx-post") or given.get("action") or page))).path


def _walk(client, posted=None):
    """(page, link, status) of every link followed; each address pattern (numbers as N) at most twice. The
    addresses its forms post to are added to `posted`, with the page showing them."""
    seen, patterns, found = set(), {}, []
    queue = [("/", "/")]
    while queue and len(seen) < PAGES:
        source, path = queue.pop(0)
        pattern = re.sub(r"\d+", "N", urlsplit(path).path) + ("?" if urlsplit(path).query else "")
        if path in seen or patterns.get(pattern, 0) >= 2:
            continue
        patterns[pattern] = patterns.get(pattern, 0) + 1
        seen.add(path)
        response = client.get(path)
        found.append((source, path, response.status_code))
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        html = response.get_data(as_text=True)
        if posted is not None:
            posted.update((target, path) for target in _posts(path, html))
        for href in LINK.findall(html):
            target = urlsplit(urljoin(path, unescape(href)))
            if target.netloc or NOT_WALKED.search(target.path):
                continue
            queue.append((path, target.path + (f"?{target.query}" if target.query else "")))
    return found


def _role_may_post(app, role, path):
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method="POST")
    except HTTPException:
        return False
    return allows(rule_for(app.view_functions[endpoint]), role)


def test_every_link_a_role_is_shown_opens(app, client, demo_data):
    walked = {}
    for language in ("vi", "en"):  # one seed for both: the demo's extraction is the slow part
        for username in WALKERS:
            client.post("/logout")
            assert login(client, username).status_code == 303
            client.post("/language", data={"language": language})
            posted = set()
            found = _walk(client, posted)
            walked[username, language] = len(found)
            dead = [(source, path, status) for source, path, status in found if status >= 400]
            assert not dead, f"{username} ({language}): links that do not open (page, link, status): {dead}"
            role = db.session.query(Officer).filter_by(username=username).one().role
            refused = [(page, target) for target, page in posted if not _role_may_post(app, role, target)]
            assert not refused, f"{username} ({language}): forms their role may not send: {sorted(refused)}"
    # the walks reached the case pages, where the links at stake are
    assert all(count >= 10 for count in walked.values()), walked


def test_may_open_follows_the_route_rule_and_the_case_scope(app, demo_data):
    officers = {name: db.session.query(Officer).filter_by(username=name).one()
                for name in ("tiepnhan.00131", "truongphong.00131", "giamsat.00131", "truongphong.00109")}
    requests = db.session.query(ReissueRequest).all()
    opened = {}
    for name, officer in officers.items():
        with app.test_request_context():
            login_user(officer)
            assert may_open("home.index")
            assert may_open("declarations.queue") is (officer.role is Role.reception_officer), name
            opened[name] = {r.id for r in requests if may_open("reissue.show", r)}
            assert opened[name] == {r.id for r in requests if scope.can_read(officer, r)
                                    and officer.role is not Role.reception_officer}, name
    declaration = db.session.query(Declaration).filter_by(state=DeclarationState.ready).first()
    for name, claims in (("tiepnhan.00131", True), ("giamsat.00131", False), ("tiepnhan.00100", False)):
        officer = db.session.query(Officer).filter_by(username=name).one()
        with app.test_request_context():
            login_user(officer)
            assert may_send("declarations.claim", declaration) is claims, name
    # the route's rule keeps the counter officer out; scope keeps the head to their own office's requests
    assert not opened["tiepnhan.00131"]
    assert opened["truongphong.00131"] and opened["truongphong.00109"] != opened["truongphong.00131"]
