"""Department queue pages kept per worker (services.casework.shared_pages) under their office's version: every write
to the office's cases, made by any worker, is on every worker's next page; nothing kept is shown after a write."""
from redis import Redis
from sqlalchemy import event, update

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import ReissueRequest
from backoffice.services.casework import shared_pages
from backoffice.services.reissue import demo
from tests.conftest import RequestScopedClient, login
from tests.reissue.conftest import officer


def _new(payload):
    request = demo.create_from_payload(payload)
    db.session.commit()
    return request


def _worker(app_settings):
    """A second app on the same database and Redis: another gunicorn worker, with its own memory."""
    other = create_app(**app_settings)
    other.test_client_class = RequestScopedClient
    return other


class _Statements:
    """Counts the statements sent to the database while it is on."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)
        self.engine = engine

    def _seen(self, *_args):
        self.count += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_a_kept_page_is_read_without_a_statement_and_a_write_in_another_worker_reaches_it(app, app_settings, world):
    first = _new(world["card_pickup"])
    worker_a, worker_b = app.test_client(), _worker(app_settings)
    login(worker_a, "canbo.00131")
    assert first.reference in worker_a.get("/reissue/").get_data(as_text=True)
    assert worker_a.get("/reissue/").status_code == 200  # the sign-in is kept from here on too
    statements = _Statements(db.engine)
    try:
        page = worker_a.get("/reissue/").get_data(as_text=True)
    finally:
        statements.close()
    assert first.reference in page and statements.count == 0  # the officer and the page both kept

    with worker_b.app_context():  # another worker takes in a request for the same office and closes the first
        second = demo.create_from_payload(world["card_pickup"])
        db.session.get(ReissueRequest, first.id).closed_at = db.func.now()
        db.session.commit()
        second_reference = second.reference
        db.session.remove()
    page = worker_a.get("/reissue/").get_data(as_text=True)
    assert second_reference in page and first.reference not in page


def test_a_bulk_statement_on_the_case_table_moves_every_office(app, world):
    first = _new(world["card_pickup"])
    client = app.test_client()
    login(client, "canbo.00131")
    assert first.reference in client.get("/reissue/").get_data(as_text=True)
    db.session.execute(update(ReissueRequest).values(closed_at=db.func.now()))  # no ORM object: a bulk statement
    db.session.commit()
    assert first.reference not in client.get("/reissue/").get_data(as_text=True)


def test_a_page_read_in_the_transaction_that_wrote_is_read_fresh(app, world):
    first = _new(world["card_pickup"])
    office_id, department = first.office_id, first.department_code
    from backoffice.services import reissue
    from backoffice.services.casework import queue

    with app.test_request_context():
        assert [row.id for row in reissue.department_page(office_id, department, queue.QueueFilters())] == [first.id]
        db.session.get(ReissueRequest, first.id).closed_at = db.func.now()
        db.session.flush()  # written, not committed: this transaction must not read the kept page
        assert reissue.department_page(office_id, department, queue.QueueFilters()) == []
        db.session.rollback()
        assert [row.id for row in reissue.department_page(office_id, department, queue.QueueFilters())] == [first.id]


def test_without_redis_answering_pages_are_read_fresh(app, world, monkeypatch):
    first = _new(world["card_pickup"])
    client = app.test_client()
    login(client, "canbo.00131")
    assert first.reference in client.get("/reissue/").get_data(as_text=True)
    store = app.extensions["versions"]
    monkeypatch.setattr(store, "redis", Redis(port=1, socket_connect_timeout=0.2))  # nothing listens there
    # a write this worker cannot announce: another worker's, seen only in the database
    db.session.execute(update(ReissueRequest).values(closed_at=db.func.now()).execution_options(
        synchronize_session=False))
    db.session.info.pop("platform_versions_noted", None)  # as if written elsewhere: nothing moves here
    db.session.commit()
    assert first.reference not in client.get("/reissue/").get_data(as_text=True)


def test_exports_and_my_cases_are_never_kept(app, world):
    """Only a queue page's limit is kept: longer reads (exports) and "my cases" always read the database."""
    first = _new(world["card_pickup"])
    first.assignee_id = officer("canbo.00131").id
    db.session.commit()
    from backoffice.services import reissue
    from backoffice.services.casework import queue

    with app.test_request_context():
        long_read = reissue.department_page(first.office_id, first.department_code, queue.QueueFilters(), None, 1000)
        page = reissue.department_page(first.office_id, first.department_code, queue.QueueFilters())
        mine = reissue.my_page(officer("canbo.00131"))
    assert not isinstance(long_read, shared_pages.SharedRows) and not isinstance(mine, shared_pages.SharedRows)
    assert isinstance(page, shared_pages.SharedRows)
    assert [row.id for row in long_read] == [row.id for row in page] == [first.id] and mine[0].id == first.id


def test_a_kept_page_is_printed_in_each_readers_language_and_its_badges_follow_the_clock(app, world, clock):
    """The rows are kept once; their printed form per language and minute (web.case_rows)."""
    from datetime import timedelta

    first = _new(world["card_pickup"])
    client = app.test_client()
    login(client, "canbo.00131")
    assert "Trong hạn" in client.get("/reissue/").get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/reissue/").get_data(as_text=True)
    assert "On time" in english and "Trong hạn" not in english
    clock.moment = first.due_at.astimezone(clock.moment.tzinfo) + timedelta(minutes=1)  # past its deadline
    assert "Overdue" in client.get("/reissue/").get_data(as_text=True)


def test_a_kept_page_always_equals_a_fresh_read_whatever_two_workers_do(app, app_settings, world):
    """Property: in any order of reads and committed writes (ORM changes, a bulk statement, a rolled-back change) in
    either of two workers, every page either worker serves equals what the database holds at that moment."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from backoffice.services import reissue
    from backoffice.services.casework import queue

    cases = [_new(world["card_pickup"]) for _ in range(4)]
    ids, office_id, department = [c.id for c in cases], cases[0].office_id, cases[0].department_code
    me = officer("canbo.00131").id
    workers = [app, _worker(app_settings)]
    db.session.remove()

    def served(worker):
        with worker.test_request_context():
            rows = [row.id for row in reissue.department_page(office_id, department, queue.QueueFilters())]
            fresh = [row.id for row in reissue.department_page(office_id, department, queue.QueueFilters(), None,
                                                                1000)][:queue.PAGE_SIZE + 1]
            db.session.remove()
        return rows, fresh

    def write(worker, action, index):
        with worker.app_context():
            case = db.session.get(ReissueRequest, ids[index])
            if action == "assign":
                case.assignee_id = None if case.assignee_id else me
            elif action == "close":
                case.closed_at = None if case.closed_at else db.func.now()
            elif action == "bulk":
                db.session.execute(update(ReissueRequest).where(ReissueRequest.id == ids[index]).values(
                    closed_at=db.case((ReissueRequest.closed_at.is_(None), db.func.now()), else_=None))
                    .execution_options(synchronize_session=False))
            if action == "rolled back":
                case.closed_at = db.func.now()
                db.session.flush()
                db.session.rollback()
            else:
                db.session.commit()
            db.session.remove()

    steps = st.lists(st.tuples(st.sampled_from(["read", "assign", "close", "bulk", "rolled back"]),
                               st.integers(0, 1), st.integers(0, 3)), min_size=1, max_size=12)

    @given(steps)
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def walk(plan):
        for action, worker, index in plan:
            if action == "read":
                rows, fresh = served(workers[worker])
                assert rows == fresh
            else:
                write(workers[worker], action, index)
        for worker in workers:
            rows, fresh = served(worker)
            assert rows == fresh

    walk()
