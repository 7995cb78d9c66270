"""A disagreement corrected through the normal workflow: the declaration goes back to the desk, held by another
officer, who decides again with the desk's own steps (a rejection reaches the citizen through the outbox)."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AccountStatus, AuditEntry, DeclarationState, ETransactionAccount, OutboxMessage
from backoffice.services import Conflict, DomainError, declarations
from backoffice.services.supervision import corrections, sampling
from tests.conftest import csrf_token, login
from tests.supervision.conftest import WORKDAY_10AM, add_officer, officer
from tests.supervision.test_sampling import DAY


@pytest.fixture
def disagreement(desk):
    """An approval of tiepnhan.00131 that the supervisor's re-review would have rejected."""
    add_officer("tiepnhan2.00131")
    declaration = desk.decide("tiepnhan.00131", at=WORKDAY_10AM)
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=5, seed=1)
    (item,) = sample.items
    verdict = sampling.record_verdict(supervisor, item.id, "rejected", "Ảnh chân dung không khớp ảnh căn cước")
    db.session.commit()
    return declaration, item, verdict, supervisor


def test_correcting_puts_the_declaration_back_for_another_officer_and_the_rejection_reaches_the_citizen(
        disagreement):
    declaration, item, verdict, supervisor = disagreement
    decider, other = officer("tiepnhan.00131"), officer("tiepnhan2.00131")
    choices = dict(corrections.correctors(supervisor, item))
    assert other.id in choices and decider.id not in choices and supervisor.id not in choices
    with pytest.raises(DomainError):  # the officer who decided never decides again
        corrections.settle(supervisor, verdict.id, "corrected", "Ảnh không khớp, cần quyết định lại", decider.id)
    db.session.rollback()
    corrections.settle(supervisor, verdict.id, "corrected", "Ảnh không khớp, cần quyết định lại", other.id)
    db.session.commit()
    db.session.refresh(declaration)
    assert declaration.state == DeclarationState.in_review and declaration.claimed_by_id == other.id
    assert "Ảnh không khớp" in declaration.returned_note
    opened = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_correction_opened"))
    assert opened.actor_id == supervisor.id and opened.details["before"] == "approved" \
        and opened.details["officer"] == other.id and opened.details["review_item"] == item.id
    assert corrections.status(item, verdict) == ("waiting", None)
    with pytest.raises(Conflict):  # the first officer cannot act on it: another officer holds it
        declarations.reject(decider, declaration.id, declaration.version_id, "OTHER", "Ảnh không khớp người")
    db.session.rollback()
    with pytest.raises(Conflict):  # one correction at a time
        corrections.settle(supervisor, verdict.id, "corrected", "Lần nữa cho chắc chắn", other.id)
    db.session.rollback()
    declarations.reject(other, declaration.id, declaration.version_id, "OTHER",
                        "Ảnh chân dung không khớp ảnh trên căn cước")
    db.session.commit()
    assert declaration.state == DeclarationState.rejected and declaration.decided_by_id == other.id
    assert corrections.status(item, verdict) == ("decided", "rejected")
    assert _account(declaration).status == AccountStatus.locked  # rejected on the second look: it stays locked
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "declaration_rejected",
                                                          OutboxMessage.case_id == str(declaration.id))).all()
    assert sent


def _account(declaration):
    return db.session.scalar(select(ETransactionAccount).where(
        ETransactionAccount.social_insurance_number == declaration.social_insurance_number))


def _messages(declaration, event):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == event,
                                                          OutboxMessage.case_id == str(declaration.id))).all()


def test_a_corrected_approval_locks_the_account_it_opened_until_approved_again(disagreement):
    declaration, _item, verdict, supervisor = disagreement
    account = _account(declaration)
    assert account.status == AccountStatus.active and account.temporary_password_hash  # what the approval made
    other = officer("tiepnhan2.00131")
    corrections.settle(supervisor, verdict.id, "corrected", "Ảnh không khớp, cần quyết định lại", other.id)
    db.session.commit()
    db.session.refresh(account)
    assert account.status == AccountStatus.locked and account.temporary_password_hash is None \
        and account.temporary_password_expires_at is None
    told = _messages(declaration, "declaration_account_locked")
    assert {m.channel.value for m in told} == {"sms", "email"} and told[0].created_by_id == supervisor.id
    assert {m.recipient for m in told} >= {"cong.dan@example.vn"}
    locked = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_account_locked"))
    assert locked.actor_id == supervisor.id and locked.object_id == str(declaration.id) \
        and locked.details["after"] == "locked"
    opened = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_correction_opened"))
    assert opened.details["account"] == "locked"
    # The desk no longer sees its own account as a duplicate; approving again reopens it with a new password.
    declarations.refresh_checks(declaration)
    assert not declaration.failing_checks
    declarations.approve(other, declaration.id, declaration.version_id)
    db.session.commit()
    db.session.refresh(account)
    assert account.status == AccountStatus.active and account.temporary_password_hash
    assert len(_messages(declaration, "declaration_approved")) == 2 * len(told)  # the first and the new approval


def test_a_corrected_rejection_has_no_account_to_lock(desk):
    add_officer("tiepnhan2.00131")
    declaration = desk.decide("tiepnhan.00131", outcome="rejected", at=WORKDAY_10AM)
    supervisor = officer("giamsat.00100")
    sample = sampling.draw(supervisor, DAY, DAY, method="fixed", fixed_count=5, seed=1)
    verdict = sampling.record_verdict(supervisor, sample.items[0].id, "approved", "Ảnh đủ rõ để đọc số căn cước")
    db.session.commit()
    corrections.settle(supervisor, verdict.id, "corrected", "Ảnh đủ rõ, cần quyết định lại",
                       officer("tiepnhan2.00131").id)
    db.session.commit()
    assert _account(declaration) is None and not _messages(declaration, "declaration_account_locked")
    assert declaration.state == DeclarationState.in_review


def test_confirming_changes_nothing_on_the_case(disagreement):
    declaration, _item, verdict, supervisor = disagreement
    corrections.settle(supervisor, verdict.id, "confirmed", "Ảnh đủ rõ, giữ nguyên quyết định ban đầu.")
    db.session.commit()
    db.session.refresh(declaration)
    assert declaration.state == DeclarationState.approved
    assert not db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "declaration_correction_opened"))


def test_the_sample_page_offers_the_officers_and_shows_the_correction(disagreement, client):
    _declaration, _item, verdict, _supervisor = disagreement
    login(client, "giamsat.00100")
    path = f"/supervision/samples/{verdict.item.sample_id}"
    page = client.get(path)
    assert page.status_code == 200 and 'name="officer_id"' in page.text and "Cán bộ tiepnhan2.00131" in page.text
    answer = client.post(f"/supervision/verdicts/{verdict.id}/follow-up", data={
        "csrf_token": csrf_token(client, path), "action": "corrected", "note": "Ảnh không khớp, cần quyết định lại",
        "officer_id": str(officer("tiepnhan2.00131").id)})
    assert answer.status_code == 303
    page = client.get(f"/supervision/samples/{verdict.item.sample_id}")
    assert "Đang chờ quyết định lại theo quy trình" in page.text
