"""The outbox relay job: enqueued after every commit that wrote messages, and every OUTBOX_SWEEP_SECONDS by rq cron.

Each run drains whatever is due (new rows, retries whose backoff is over, rows whose worker died),
so a commit whose enqueue was lost (Redis down, process killed) is picked up by the next sweep.
"""
import secrets
import time
from functools import partial

from flask import current_app

from backoffice import providers
from backoffice.extensions import db
from backoffice.services.notifications import outbox

# How long a sent message may wait before its status (and audit entry) is saved; batching the
# saves is what lets one worker relay more than a thousand messages a second. A provider that does
# not drop repeated keys itself (SMTP) gets its outcome saved at once, to keep the window in which a
# killed worker causes a second copy as short as possible.
SAVE_EVERY_SECONDS = 0.2


def relay():
    """Send every due outbox message, batch after batch, until none is left or the time budget is spent."""
    config = current_app.config
    stop_claiming = time.monotonic() + config["OUTBOX_RELAY_BUDGET_SECONDS"]
    handled = 0
    if outbox.settle_abandoned_handovers():
        db.session.commit()
    while time.monotonic() < stop_claiming:
        token = secrets.token_hex(16)
        claims = outbox.claim_due(token, config["OUTBOX_BATCH_SIZE"], config["OUTBOX_LEASE_SECONDS"])
        db.session.commit()
        if not claims:
            break
        _send_batch(token, claims, config["OUTBOX_LEASE_SECONDS"])
        handled += len(claims)
    return handled


def _send_batch(token, claims, lease_seconds):
    # Half the lease, then hand the rest back: no other worker may take over a row we still mean to send.
    deadline = time.monotonic() + lease_seconds / 2
    outcomes, saved_at = [], time.monotonic()
    for index, claim in enumerate(claims):
        if time.monotonic() > deadline:
            outbox.release(token, [later.id for later in claims[index:]])
            break
        idempotent = providers.for_channel(claim.channel).idempotent
        outcomes.append(outbox.deliver(claim, None if idempotent else partial(_hand_over, token, claim.id)))
        if not idempotent or time.monotonic() - saved_at > SAVE_EVERY_SECONDS:
            outbox.record(token, outcomes)
            db.session.commit()
            outcomes, saved_at = [], time.monotonic()
    outbox.record(token, outcomes)
    db.session.commit()


def _hand_over(token, message_id):
    """Commit the `handover` mark before a non-idempotent provider passes its point of no return."""
    try:
        outbox.mark_handover(token, message_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
