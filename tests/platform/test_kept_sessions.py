"""A signed-in officer resumed from a worker's kept copy (services.platform.sessions) while the officer's version
stands: a sign-out, a deactivation or a change made by any worker is refused or seen by every worker's next
request, and time limits still hold."""
from datetime import timedelta

from redis import Redis
from sqlalchemy import event, select, update

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import Office, Officer, OfficerSession, Role
from backoffice.models.base import utcnow
from backoffice.services.platform import sessions
from tests.conftest import RequestScopedClient, login


def _worker(app_settings):
    """A second app on the same database and Redis: another gunicorn worker, with its own memory."""
    other = create_app(**app_settings)
    other.test_client_class = RequestScopedClient
    return other


def _signed_in(app, username="canbo.00131"):
    client = app.test_client()
    login(client, username)
    for _ in range(3):  # the first two requests read the database; the copy is kept from the second
        assert client.get("/").status_code == 200
    return client


def _statements_of(client, path="/"):
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731 - the statement
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return response, [s for s in seen if "officer_sessions" in s]


def _cookie(client):
    return client.get_cookie("bo_session")


def test_a_kept_officer_is_resumed_without_reading_the_session(app, demo_logins):
    client = _signed_in(app)
    response, lookups = _statements_of(client)
    assert response.status_code == 200 and lookups == []


def test_a_sign_out_in_another_worker_is_refused_by_this_one(app, app_settings, demo_logins):
    client = _signed_in(app)
    other = _worker(app_settings).test_client()
    other.set_cookie("bo_session", _cookie(client).value)  # the same browser, its next request served elsewhere
    assert other.post("/logout").status_code in (302, 303)
    response = client.get("/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_deactivation_in_another_worker_is_refused_by_this_one(app, app_settings, demo_logins):
    client = _signed_in(app)
    with _worker(app_settings).app_context():
        db.session.scalar(select(Officer).where(Officer.username == "canbo.00131")).active = False
        db.session.commit()
        db.session.remove()
    response = client.get("/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_role_change_in_another_worker_is_seen_at_once(app, app_settings, demo_logins):
    client = _signed_in(app)
    assert client.get("/reissue/").status_code == 200
    with _worker(app_settings).app_context():
        db.session.scalar(select(Officer).where(Officer.username == "canbo.00131")).role = Role.reception_officer
        db.session.commit()
        db.session.remove()
    assert client.get("/reissue/").status_code in (403, 404)


def test_an_office_renamed_anywhere_moves_every_officer(app, app_settings, demo_logins):
    client = _signed_in(app)
    with _worker(app_settings).app_context():
        db.session.execute(update(Office).where(Office.code == "00131").values(name="Tên mới của đơn vị"))
        db.session.commit()
        db.session.remove()
    assert "Tên mới của đơn vị" in client.get("/reissue/").get_data(as_text=True)


def test_idle_and_absolute_limits_hold_for_a_kept_officer(app, demo_logins, monkeypatch):
    client = _signed_in(app)
    later = utcnow() + app.config["SESSION_IDLE_TIMEOUT"] + timedelta(minutes=1)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    response = client.get("/")
    assert response.status_code in (302, 303)
    ended = db.session.scalar(select(OfficerSession.ended_at).order_by(OfficerSession.id.desc()))
    assert ended is not None


def test_the_minute_touch_still_reaches_the_database(app, demo_logins, monkeypatch):
    client = _signed_in(app)
    before = db.session.scalar(select(OfficerSession.last_seen_at).order_by(OfficerSession.id.desc()))
    later = utcnow() + timedelta(minutes=2)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(OfficerSession.last_seen_at).order_by(OfficerSession.id.desc())) > before


def test_without_redis_answering_the_session_is_read_every_time(app, app_settings, demo_logins, monkeypatch):
    client = _signed_in(app)
    monkeypatch.setattr(app.extensions["versions"], "redis", Redis(port=1, socket_connect_timeout=0.2))
    response, lookups = _statements_of(client)
    assert response.status_code == 200 and len(lookups) == 1
    # a deactivation this worker could not hear of is still refused: the record is read
    db.session.execute(update(Officer).where(Officer.username == "canbo.00131").values(active=False)
                       .execution_options(synchronize_session=False))
    db.session.info.pop("platform_versions_noted", None)
    db.session.commit()
    response = client.get("/")
    assert response.status_code in (302, 303)


def test_a_textual_statement_on_the_sessions_table_moves_every_officer(app, demo_logins):
    client = _signed_in(app)
    db.session.execute(db.text("UPDATE officer_sessions SET ended_at = now()"))
    db.session.commit()
    assert client.get("/").status_code in (302, 303)


def test_an_app_without_redis_keeps_no_officer(app, demo_logins, monkeypatch):
    """Without Redis no worker could hear of another's sign-out: the record is read on every request."""
    client = _signed_in(app)
    monkeypatch.setattr(app.extensions["versions"], "redis", None)
    for _ in range(2):
        response, lookups = _statements_of(client)
        assert response.status_code == 200 and len(lookups) == 1
