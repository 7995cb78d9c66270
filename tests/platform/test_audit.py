"""The hash-chained audit log: append-only in PostgreSQL, and `audit verify` finds any edit or deletion."""
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.services.platform import audit


def append(n, action="test_event"):
    for i in range(n):
        audit.record(action, actor_label="tester", object_type="thing", object_id=i, details={"n": i, "tên": "Đặng"})
    db.session.commit()


def run_verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def entry_ids():
    return list(db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def tamper(sql, **params):
    """Edit the table behind the trigger's back, as a DBA with superuser rights could."""
    db.session.rollback()  # end our own transaction first (SQLite allows one writer)
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(sql), params)


def test_chain_links_each_entry_to_the_previous(app):
    append(3)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    result = run_verify(app)
    assert result.exit_code == 0 and "3 entries" in result.output


def test_postgresql_refuses_update_delete_and_truncate(app):
    append(1)
    for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries",
                      "TRUNCATE audit_entries"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
    assert len(entry_ids()) == 1


@pytest.mark.parametrize("change", ["edit_details", "edit_actor", "delete_middle", "delete_first"])
def test_verify_names_the_first_bad_entry(app, change):
    append(5)
    ids = entry_ids()
    if change == "edit_details":
        tamper("UPDATE audit_entries SET details = '{\"n\": 99}' WHERE id = :id", id=ids[2])
        bad = ids[2]
    elif change == "edit_actor":
        tamper("UPDATE audit_entries SET actor = 'someone' WHERE id = :id", id=ids[3])
        bad = ids[3]
    elif change == "delete_middle":
        tamper("DELETE FROM audit_entries WHERE id = :id", id=ids[1])
        bad = ids[2]
    else:
        tamper("DELETE FROM audit_entries WHERE id = :id", id=ids[0])
        bad = ids[1]
    db.session.expire_all()
    result = run_verify(app)
    assert result.exit_code == 1
    assert f"id={bad}" in result.output


def test_concurrent_writers_never_fork_the_chain(app):
    def writer():
        with app.app_context():
            for i in range(15):
                audit.record("concurrent", actor_label="thread", object_id=i)
                db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(entry_ids()) == 120
    assert audit.verify().ok


def test_sqlite_chain_verifies_and_detects_edits(tmp_path):
    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'audit.sqlite'}", REDIS_URL=None,
                     RATELIMIT_STORAGE_URI="memory://", STORAGE_URL=f"file://{tmp_path}")
    with app.app_context():
        upgrade()
        append(4)
        assert run_verify(app).exit_code == 0
        ids = entry_ids()
        tamper("UPDATE audit_entries SET object_id = 'changed' WHERE id = :id", id=ids[1])
        db.session.expire_all()
        result = run_verify(app)
        assert result.exit_code == 1 and f"id={ids[1]}" in result.output
        db.engine.dispose()


def test_anchor_writes_the_head_to_storage(app):
    append(2)
    head_id = entry_ids()[-1]
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert result.exit_code == 0
    anchored = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "audit_anchored")).one()
    from backoffice.storage.access import storage

    body = storage().get(anchored.details["storage_key"]).decode()
    assert f'"entry_id": {head_id}' in body


def test_a_durable_entry_after_a_non_durable_one_makes_the_commit_durable_again(app):
    modes = []

    def commit_mode(connection):
        modes.append(connection.exec_driver_sql("SHOW synchronous_commit").scalar())

    event.listen(db.engine, "commit", commit_mode)  # runs just before COMMIT, inside the transaction
    try:
        audit.record("claimed", actor_label="t", durable=False)
        db.session.commit()
        audit.record("claimed", actor_label="t", durable=False)
        audit.record("approved", actor_label="t")
        db.session.commit()
        audit.record("approved", actor_label="t")
        db.session.commit()
    finally:
        event.remove(db.engine, "commit", commit_mode)
    assert modes == ["off", "on", "on"]
    assert audit.verify().checked == 4
