"""E-transaction accounts: created or changed by the approving decision; temporary passwords by SMS only."""
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AccountStatus, Declaration, DeclarationKind, ETransactionAccount
from backoffice.models.base import utcnow
from backoffice.services.platform import passwords

TEMPORARY_PASSWORD_VALID = timedelta(hours=72)


def by_login(social_insurance_number):
    """The account whose login is this mã số BHXH, or None."""
    return db.session.scalar(select(ETransactionAccount).where(
        ETransactionAccount.social_insurance_number == social_insurance_number))


def issue_temporary_password(account):
    """A new random temporary password: stored hashed, expiring, to be changed at first login; returned once."""
    temporary = passwords.temporary_password()
    account.temporary_password_hash = passwords.hash_password(temporary)
    account.temporary_password_expires_at = utcnow() + TEMPORARY_PASSWORD_VALID
    account.must_change_password = True
    return temporary


def apply_decision(declaration):
    """Create, change or stop the account as the approved declaration asks; returns a new password or None."""
    account = by_login(declaration.social_insurance_number)
    if declaration.kind == DeclarationKind.stop:
        if account is not None:
            account.status = AccountStatus.stopped
        return None
    if account is None:
        account = ETransactionAccount(social_insurance_number=declaration.social_insurance_number,
                                      status=AccountStatus.active, phone=declaration.phone)
        db.session.add(account)
    account.phone, account.email = declaration.phone, declaration.email or ""
    if declaration.kind == DeclarationKind.update and account.status == AccountStatus.active:
        return None  # contact details changed; the citizen keeps their password
    account.status = AccountStatus.active
    temporary = issue_temporary_password(account)
    db.session.flush()
    return temporary


def lock_for_correction(declaration):
    """Lock the account an approval of this declaration opened or changed, while that decision is corrected: no
    sign-in, the temporary password void. Returns the locked account, or None when the approval left none open (a
    `stop` declaration, or an account no longer active). Approving the declaration again reopens it with a new
    temporary password (`apply_decision`)."""
    if declaration.kind == DeclarationKind.stop:
        return None
    account = by_login(declaration.social_insurance_number)
    if account is None or account.status != AccountStatus.active:
        return None
    account.status = AccountStatus.locked
    account.temporary_password_hash = account.temporary_password_expires_at = None
    db.session.flush()
    return account


def reissue_for_declaration(declaration_id, actor):
    """Credential issuer for a resent approval SMS: a new password replaces the old one."""
    declaration = db.session.get(Declaration, int(declaration_id))
    account = by_login(declaration.social_insurance_number)
    return {"temporary_password": issue_temporary_password(account)}
