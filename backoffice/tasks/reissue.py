"""Reissue jobs: approved payout changes take effect when their cooling-off period is over."""
from backoffice.extensions import db
from backoffice.services import reissue


def apply_payout_changes():
    """Apply the payout changes whose cooling-off has ended, a batch per transaction (idempotent)."""
    while reissue.apply_due_payout_changes():
        db.session.commit()
    db.session.commit()
