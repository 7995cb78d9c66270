"""The desk's workflow as services: extraction, checks, claim, decide, second approval, conflicts."""
import threading

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import (
    AccountStatus,
    AuditEntry,
    Declaration,
    DeclarationState,
    ETransactionAccount,
    OutboxMessage,
)
from backoffice.services import Conflict, DomainError, declarations
from backoffice.services.platform.passwords import verify_password
from backoffice.tasks.declarations import extract_declaration
from tests.declarations.conftest import make_declaration, officer

S = DeclarationState


def checks_by_code(declaration):
    return {c["code"]: c for c in declaration.checks}


def test_extraction_makes_it_ready_with_passing_checks(ready_declaration):
    d = ready_declaration
    assert d.state == S.ready and d.extraction_attempts == 1
    checks = checks_by_code(d)
    assert checks["id_fields"]["status"] == "pass", checks["id_fields"]
    assert checks["register"]["status"] == "pass" and checks["id_structure"]["status"] == "pass"
    assert d.failing_checks == 0
    extract_declaration(d.id)  # a second run (RQ may run a job twice) changes nothing
    db.session.expire_all()
    assert db.session.get(Declaration, d.id).extraction_attempts == 1


def test_mismatching_name_fails_against_card_and_register(app, demo_logins):
    d = make_declaration(full_name="Trần Văn Khác")
    extract_declaration(d.id)
    db.session.expire_all()
    d = db.session.get(Declaration, d.id)
    checks = checks_by_code(d)
    assert checks["id_fields"]["status"] == "fail"
    assert checks["id_fields"]["evidence"]["fields"]["full_name"]["status"] == "mismatch"
    assert checks["register"]["status"] == "fail" and d.failing_checks == 2


def test_unreadable_photos_leave_it_ready_with_could_not_read(app, demo_logins):
    d = make_declaration()
    from backoffice.storage.access import storage

    for document in d.documents:
        storage().delete(document.stored_file.storage_key)
        document.stored_file.storage_key = storage().put(b"not an image", prefix="id_front")
    db.session.commit()
    extract_declaration(d.id)
    db.session.expire_all()
    d = db.session.get(Declaration, d.id)
    assert d.state == S.ready
    assert checks_by_code(d)["id_fields"]["evidence"]["could_not_read"] is True


def test_gives_up_after_the_last_attempt(app, demo_logins):
    d = make_declaration()
    d.extraction_attempts = 3
    d.state = S.extracting
    db.session.commit()
    extract_declaration(d.id)
    db.session.expire_all()
    d = db.session.get(Declaration, d.id)
    assert d.state == S.ready and checks_by_code(d)["id_fields"]["status"] == "fail"


def test_take_next_claims_the_oldest_and_approval_sends_credentials(ready_declaration):
    clerk = officer("tiepnhan.00131")
    claimed = declarations.take_next(clerk)
    db.session.commit()
    stored = db.session.get(Declaration, claimed.id)
    assert claimed.id == ready_declaration.id and stored.state == S.in_review and stored.claimed_by_id == clerk.id
    assert claimed.version_id == stored.version_id  # the version the officer's forms will carry
    assert declarations.take_next(clerk) is None
    declarations.approve(clerk, claimed.id, claimed.version_id)
    db.session.commit()
    account = db.session.scalar(select(ETransactionAccount))
    assert account.status == AccountStatus.active and account.must_change_password
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert sorted((m.event, m.channel.value) for m in messages) == [
        ("declaration_approved", "email"), ("declaration_approved", "sms")]
    assert all("temporary_password" not in str(m.context) for m in messages)
    decision = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_approved"))
    assert [c["code"] for c in decision.details["checks_seen"]][:2] == ["id_fields", "register"]


def test_stale_or_double_decision_is_refused_and_sends_nothing_twice(ready_declaration):
    clerk = officer("tiepnhan.00131")
    d = declarations.claim(clerk, ready_declaration.id)
    db.session.commit()
    seen_version = d.version_id
    declarations.reject(clerk, d.id, seen_version, "ID_UNREADABLE")
    db.session.commit()
    with pytest.raises(Conflict):
        declarations.approve(clerk, d.id, seen_version)  # the other tab
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 2
    assert db.session.scalar(select(ETransactionAccount)) is None


def test_override_needs_justification_and_a_second_officer(app, demo_logins):
    d = make_declaration(full_name="Trần Văn Khác")
    extract_declaration(d.id)
    clerk, colleague = officer("tiepnhan.00131"), officer("giamsat.00131")
    d = declarations.claim(clerk, d.id)
    db.session.commit()
    with pytest.raises(DomainError):
        declarations.approve(clerk, d.id, d.version_id, "ngắn")
    db.session.rollback()
    d = declarations.approve(clerk, d.id, d.version_id, "Đã đối chiếu căn cước gốc tại quầy, tên khai sai chính tả.")
    db.session.commit()
    assert d.state == S.awaiting_second_approval
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0
    with pytest.raises(DomainError):
        declarations.confirm_second_approval(clerk, d.id, d.version_id)  # not the proposer
    db.session.rollback()
    declarations.confirm_second_approval(colleague, d.id, d.version_id)
    db.session.commit()
    assert db.session.get(Declaration, d.id).state == S.approved
    account = db.session.scalar(select(ETransactionAccount))
    assert account.temporary_password_hash and not verify_password(account.temporary_password_hash, "x")


def test_other_office_cannot_see_it(ready_declaration):
    with pytest.raises(Exception) as caught:
        declarations.get_for(officer("tiepnhan.00109"), ready_declaration.id)
    assert caught.type.__name__ == "NotFound"


def test_eight_officers_take_next_at_once_never_share(app, demo_logins):
    from backoffice.tasks.declarations import extract_declaration as run

    ids = []
    for seed in range(1, 4):
        d = make_declaration(seed=seed)
        run(d.id)
        ids.append(d.id)
    clerk_id = officer("tiepnhan.00131").id
    claimed, barrier = [], threading.Barrier(8)

    def worker():
        with app.app_context():
            me = db.session.get(type(officer("tiepnhan.00131")), clerk_id)
            barrier.wait()
            got = declarations.take_next(me)
            db.session.commit()
            claimed.append(got.id if got else None)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    taken = [c for c in claimed if c]
    assert sorted(taken) == sorted(ids) and claimed.count(None) == 5


def test_supervisor_above_sees_it_another_province_does_not(ready_declaration):
    city_supervisor = officer("giamsat.00100")
    assert declarations.get_for(city_supervisor, ready_declaration.id).id == ready_declaration.id
    with pytest.raises(Exception) as caught:
        declarations.get_for(officer("giamsat.05600"), ready_declaration.id)
    assert caught.type.__name__ == "NotFound"


def test_keyset_pages_cover_the_queue_once_in_order_across_equal_times(app, demo_logins):
    from backoffice.services.declarations import demo as demo_declarations

    for _done in demo_declarations.bulk_batches(400, batch_size=400, seed=7):
        db.session.commit()
    reception = officer("tiepnhan.00131")
    everyone = declarations.QueueFilters(state="all")
    ids = db.session.scalars(select(Declaration.id).where(Declaration.office_id == reception.office_id)).all()
    tied = ids[::3]  # a third of them share one moment: the id breaks the tie
    moment = db.session.scalar(select(Declaration.submitted_at).where(Declaration.id == ids[0]))
    db.session.execute(Declaration.__table__.update().where(Declaration.id.in_(tied)).values(submitted_at=moment))
    db.session.commit()

    seen, counts, after = [], [], None
    while True:
        rows, count = declarations.queue_page(reception, everyone, after, limit=7)
        seen += [(row.submitted_at, row.id) for row in rows]
        counts.append(count)
        if len(rows) < 7:
            break
        after = (rows[-1].submitted_at, rows[-1].id)
    assert len(ids) > 14 and sorted(seen) == seen and sorted(id_ for _, id_ in seen) == sorted(ids)
    assert counts[0] == len(ids) and set(counts[1:]) == {None}  # the first page alone is counted


def test_a_claim_idle_for_30_minutes_goes_to_the_next_officer_who_asks(ready_declaration):
    from datetime import timedelta

    from backoffice.models import Officer, Role
    from backoffice.models.base import utcnow

    clerk = officer("tiepnhan.00131")
    colleague = Officer(username="tiepnhan2.00131", full_name="Lê Thị Hai", role=Role.reception_officer,
                        office_id=clerk.office_id, password_hash="-", must_change_password=False)
    db.session.add(colleague)
    declarations.take_next(clerk)
    db.session.commit()
    assert declarations.take_next(colleague) is None  # a live claim is nobody else's

    ready_declaration.claim_touched_at = utcnow() - declarations.CLAIM_IDLE - timedelta(minutes=1)
    db.session.commit()
    taken = declarations.take_next(colleague)
    db.session.commit()
    assert taken.id == ready_declaration.id and db.session.get(Declaration, taken.id).claimed_by_id == colleague.id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "declaration_claimed")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.details == {"expired_claim_of": clerk.id}


def test_of_several_lapsed_claims_the_one_abandoned_longest_goes_first(ready_declaration):
    from datetime import timedelta

    from backoffice.models.base import utcnow

    clerk = officer("tiepnhan.00131")
    newer = make_declaration(seed=2)  # submitted after ready_declaration
    for declaration, idle_minutes in ((ready_declaration, 40), (newer, 90)):
        declaration.state = DeclarationState.in_review
        declaration.claimed_by_id = clerk.id
        declaration.claim_touched_at = utcnow() - timedelta(minutes=idle_minutes)
    db.session.commit()
    assert declarations.take_next(clerk).id == newer.id  # idle 90 minutes, though submitted later


def test_take_next_on_the_embedded_sqlite_database_claims_the_oldest_ready_ones_in_turn(tmp_path):
    """`make run` serves from SQLite: take-next's one-statement claim (CTEs, UPDATE ... FROM ... RETURNING) runs
    there too, without the row locks."""
    from flask_migrate import upgrade

    from backoffice import create_app
    from backoffice.services.platform import audit

    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'desk.sqlite'}", REDIS_URL=None,
                     RATELIMIT_STORAGE_URI="memory://", STORAGE_URL=f"file://{tmp_path}")
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["demo", "seed", "--declarations", "30"]).exit_code == 0
        clerk = officer("tiepnhan.00131")
        ready = db.session.scalars(select(Declaration.id).where(
            Declaration.office_id == clerk.office_id, Declaration.state == DeclarationState.ready)
            .order_by(Declaration.submitted_at, Declaration.id)).all()
        taken = []
        for _ in range(2):
            claim = declarations.take_next(clerk)
            db.session.commit()
            taken.append(claim.id)
        assert len(ready) >= 2 and taken == ready[:2]
        first = db.session.get(Declaration, taken[0])
        assert first.state == DeclarationState.in_review and first.claimed_by_id == clerk.id
        assert audit.verify().ok
        db.engine.dispose()
