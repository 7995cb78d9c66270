"""services.platform.memo: small reads kept a few seconds per app, forgotten when this process writes their model."""
import time

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import Department, Office, Officer
from backoffice.services.casework import cases
from backoffice.services.platform.memo import Memo

_OFFICERS = Memo("test_officers", 60, (Officer,))


def test_answer_is_kept_until_a_flush_writes_its_model(app, demo_logins):
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    assert _OFFICERS.get("k", load) == 1
    assert _OFFICERS.get("k", load) == 1  # kept: not read again
    assert _OFFICERS.get("other", load) == 2  # keyed

    office = db.session.scalars(db.select(Office)).first()
    office.phone = "0241234567"  # a model the memo was not read from
    db.session.flush()
    assert _OFFICERS.get("k", load) == 1

    officer = db.session.scalars(db.select(Officer)).first()
    officer.full_name = officer.full_name + " A"
    db.session.flush()  # written here: forgotten at once, before the commit
    assert _OFFICERS.get("k", load) == 3
    db.session.rollback()


def test_answer_expires_after_its_seconds(app):
    short = Memo("test_short", 0.05, (Officer,))
    calls = []
    assert short.get("k", lambda: calls.append(1) or len(calls)) == 1
    time.sleep(0.08)
    assert short.get("k", lambda: calls.append(1) or len(calls)) == 2


def test_each_app_starts_empty(app_settings):
    first, second = create_app(**app_settings), create_app(**app_settings)
    with first.app_context():
        assert _OFFICERS.get("k", lambda: "first") == "first"
    with second.app_context():
        assert _OFFICERS.get("k", lambda: "second") == "second"
    with first.app_context():
        assert _OFFICERS.get("k", lambda: "again") == "first"


def test_queue_filter_shows_an_officer_added_in_this_process(app, demo_logins):
    from backoffice.services.platform import offices

    office = offices.by_code("00131")
    department = db.session.scalar(db.select(Department).where(Department.office_id == office.id,
                                                                 Department.code == "THU_SO_THE"))
    before = cases.listed_officers(office.id, "THU_SO_THE")
    newcomer = Officer(username="moi.tst.00131", full_name="Cán bộ Mới", role="department_officer", office=office,
                       department=department, password_hash="x", must_change_password=False)
    db.session.add(newcomer)
    db.session.commit()
    after = cases.listed_officers(office.id, "THU_SO_THE")
    assert (newcomer.id, "Cán bộ Mới") in after
    assert len(after) == len(before) + 1


def test_a_read_between_flush_and_commit_is_forgotten_at_the_commit(app, demo_logins):
    """Another thread of the process may read the old rows after the flush: the commit empties the memo again."""
    officer = db.session.scalars(db.select(Officer)).first()
    officer.full_name = officer.full_name + " B"
    db.session.flush()
    assert _OFFICERS.get("k", lambda: "read before the commit") == "read before the commit"
    db.session.commit()
    assert _OFFICERS.get("k", lambda: "read after the commit") == "read after the commit"
