"""The hash-chained audit log: append-only in PostgreSQL, and `audit verify` finds any edit or deletion."""
import json
import logging
import os
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.services.platform import audit
from backoffice.storage.access import storage


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


def test_sqlite_chain_verifies_and_detects_edits_and_a_cut_tail(tmp_path):
    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'audit.sqlite'}", REDIS_URL=None,
                     RATELIMIT_STORAGE_URI="memory://", STORAGE_URL=f"file://{tmp_path}",
                     AUDIT_ANCHOR_FILE=str(tmp_path / "audit-anchors.log"))
    with app.app_context():
        upgrade()
        append(4)
        assert run_verify(app).exit_code == 0
        run_anchor(app)
        ids = entry_ids()
        tamper("DELETE FROM audit_entries WHERE id >= :id", id=ids[3])
        db.session.expire_all()
        result = run_verify(app)
        assert result.exit_code == 1 and "the chain has 3 entries" in result.output
        tamper("UPDATE audit_entries SET object_id = 'changed' WHERE id = :id", id=ids[1])
        db.session.expire_all()
        result = run_verify(app)
        assert result.exit_code == 1 and f"id={ids[1]}" in result.output
        db.engine.dispose()


def run_anchor(app):
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    return result


def anchor_lines(app):
    with open(app.config["AUDIT_ANCHOR_FILE"], encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_anchor_writes_the_head_to_the_file_the_log_storage_and_the_chain(app, captured_log):
    append(2)
    head_id, head_hash = db.session.execute(select(AuditEntry.id, AuditEntry.entry_hash)
                                            .order_by(AuditEntry.id.desc())).first()
    run_anchor(app)

    expected = {"count": 2, "entry_id": head_id, "entry_hash": head_hash, "database": audit.database_identity()}
    [line] = anchor_lines(app)
    assert {k: line[k] for k in expected} == expected
    [logged] = [r for r in captured_log.records if r.name == "backoffice.audit.anchor"]
    assert logged.levelno == logging.INFO and logged.audit_anchor == line
    assert json.loads(logged.getMessage().removeprefix("audit_anchor ")) == line
    anchored = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "audit_anchored")).one()
    assert {k: anchored.details[k] for k in ("count", "entry_id", "entry_hash")} == {
        "count": 2, "entry_id": head_id, "entry_hash": head_hash}
    assert json.loads(storage().get(anchored.details["storage_key"])) == line

    append(1)
    run_anchor(app)  # appended, never rewritten
    assert [line["count"] for line in anchor_lines(app)] == [2, 4]


def test_verify_reports_the_latest_anchor_it_matched(app):
    append(3)
    assert "No anchor yet" in run_verify(app).output
    run_anchor(app)
    append(2)
    result = run_verify(app)
    assert result.exit_code == 0
    assert "6 entries, chain intact" in result.output and "latest anchor: 3 entries" in result.output


@pytest.mark.parametrize("cut", ["last_entries", "every_entry", "all_but_the_anchored_head"])
def test_a_tail_cut_after_an_anchor_fails_verify(app, cut):
    append(4)
    run_anchor(app)  # anchors 4 entries; its own entry is the 5th
    append(2)
    ids = entry_ids()
    keep = {"last_entries": 2, "every_entry": 0, "all_but_the_anchored_head": 3}[cut]
    # The attacker deletes the anchor's own entry with the tail: only the file still knows.
    tamper("DELETE FROM audit_entries WHERE id > :id", id=ids[keep - 1] if keep else 0)
    db.session.expire_all()
    assert len(entry_ids()) == keep

    result = run_verify(app)
    assert result.exit_code == 1
    assert f"the chain has {keep} entries, fewer than the latest anchor's: 4 entries up to id={ids[3]}" in result.output
    assert "tail was cut" in result.output


def test_a_replaced_tail_fails_verify_at_the_anchored_position(app):
    append(4)
    run_anchor(app)
    ids = entry_ids()
    tamper("DELETE FROM audit_entries WHERE id > :id", id=ids[1])
    append(4, action="forged")  # a fresh tail that links up, longer than the anchor
    db.session.expire_all()
    assert audit.verify(anchors=[]).ok  # the hashes alone cannot tell
    result = run_verify(app)
    assert result.exit_code == 1
    forged_fourth = entry_ids()[3]
    assert f"BROKEN at audit entry id={forged_fourth}: entry number 4 is not the anchored one" in result.output


def test_verify_takes_anchors_shipped_from_the_log(app, tmp_path):
    append(3)
    run_anchor(app)
    shipped = tmp_path / "shipped.log"
    [line] = open(app.config["AUDIT_ANCHOR_FILE"], encoding="utf-8").readlines()
    shipped.write_text(f"2026-01-02T00:30:00Z worker[1] INFO backoffice.audit.anchor audit_anchor {line}")
    os.remove(app.config["AUDIT_ANCHOR_FILE"])  # the attacker removes the file on the host too
    tamper("DELETE FROM audit_entries")

    assert run_verify(app).exit_code == 0  # nothing on the host says the log was longer
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--anchors", str(shipped)])
    assert result.exit_code == 1 and "the chain has 0 entries" in result.output and str(shipped) in result.output


def test_an_unreadable_anchor_line_fails_verify_and_other_databases_lines_are_skipped(app):
    append(2)
    run_anchor(app)
    path = app.config["AUDIT_ANCHOR_FILE"]
    other = {"database": "postgresql:another", "count": 99, "entry_id": 99, "entry_hash": "a" * 64}
    with open(path, "a", encoding="utf-8") as lines:
        lines.write(json.dumps(other) + "\n\n")
    assert run_verify(app).exit_code == 0
    with open(path, "a", encoding="utf-8") as lines:
        lines.write('{"count": 5, "entry_id": 5, "entry_ha\n')
    result = run_verify(app)
    assert result.exit_code == 1
    assert f"an anchor cannot be read: {path}, line 4: not JSON" in result.output


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
