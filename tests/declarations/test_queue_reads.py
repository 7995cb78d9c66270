"""How the desk's hot paths use the database: the queue reads without a transaction and without recounting a queue
known to be over the cap; a claim commits without waiting for the disk."""
import re

from sqlalchemy import event

from backoffice.extensions import db
from backoffice.services import declarations
from backoffice.services.declarations import workflow
from tests.conftest import login


def _watch_statements(app):
    """(SQL, autocommit) of every statement the app runs from now on."""
    seen = []

    def record(connection, _cursor, statement, *_args):
        seen.append((statement, connection.connection.dbapi_connection.autocommit))

    event.listen(db.engine, "before_cursor_execute", record)
    return seen


def test_the_queue_reads_in_autocommit_and_take_next_in_a_transaction(app, client, ready_declaration):
    login(client, "tiepnhan.00131")
    client.get("/declarations/")  # warms the business calendar the deadlines are counted on (cached a minute)
    seen = _watch_statements(app)
    assert client.get("/declarations/").status_code == 200
    # sign-in lookup, the menu's count of second approvals waiting (issue 18), and the page
    assert len(seen) == 3 and all(autocommit for _, autocommit in seen)
    assert sum("proposed_by_id" in statement for statement, _ in seen) == 1
    seen.clear()
    assert client.post("/declarations/next").status_code == 303
    assert seen and not any(autocommit for _, autocommit in seen)  # the claim and its audit entry commit together


def _page_query(seen):
    """The queue's own statement of a page (the menu's count of second approvals runs after it, as it renders; the
    business calendar the deadlines are counted on may be read once a minute)."""
    return [statement for statement, _ in seen
            if "proposed_by_id" not in statement and "FROM declarations" in statement][-1]


def test_a_count_over_the_cap_is_remembered_until_forgotten(app, client, ready_declaration, monkeypatch):
    login(client, "tiepnhan.00131")
    monkeypatch.setattr(workflow, "COUNT_CAP", 0)
    seen = _watch_statements(app)
    assert "Hơn 0 tờ khai" in client.get("/declarations/").get_data(as_text=True)
    assert "count(*)" in _page_query(seen)
    seen.clear()
    assert "Hơn 0 tờ khai" in client.get("/declarations/").get_data(as_text=True)
    assert "count(*)" not in _page_query(seen)  # remembered: the page query alone
    monkeypatch.setattr(workflow, "COUNT_CAP", 1000)
    assert "Hơn 0 tờ khai" not in client.get("/declarations/?state=ready").get_data(as_text=True)  # other filters
    declarations.forget_counts()
    seen.clear()
    assert "1 tờ khai" in client.get("/declarations/").get_data(as_text=True)
    assert "count(*)" in _page_query(seen)


def test_a_claim_commits_without_waiting_for_the_disk_and_a_decision_waits(app, client, ready_declaration):
    login(client, "tiepnhan.00131")
    modes = []

    def commit_mode(connection):
        modes.append(connection.exec_driver_sql("SHOW synchronous_commit").scalar())

    event.listen(db.engine, "commit", commit_mode)  # runs just before COMMIT, inside the transaction
    assert client.post("/declarations/next").status_code == 303
    assert modes == ["off"]
    page = client.get(f"/declarations/{ready_declaration.id}").get_data(as_text=True)
    version = int(re.search(r'name="version_id" type="hidden" value="(\d+)"', page)[1])
    modes.clear()
    assert client.post(f"/declarations/{ready_declaration.id}/approve", data={"version_id": version}).status_code == 303
    assert modes == ["on"]  # the approval, its account and its messages are on disk before the officer is told
