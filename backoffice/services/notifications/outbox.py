"""The relay's steps: claim due messages (FOR UPDATE SKIP LOCKED), deliver one, record outcomes (DESIGN.md §7).

The loop that commits between these steps is the job in tasks/notifications.py. A claimed row is
leased until `next_attempt_at`; a worker that dies mid-send leaves it due again when the lease ends,
and the retry reuses the idempotency key so the provider recognises the message. A provider that
cannot recognise a repeat (SMTP) marks the row `handover` just before the point of no return; such a
row whose lease ends is never retried automatically but becomes `uncertain` (DESIGN.md §7).
"""
import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from flask import current_app
from jinja2 import TemplateError
from sqlalchemy import case, select, update

from backoffice import providers
from backoffice.extensions import db
from backoffice.masking import mask_recipient
from backoffice.models import OutboxMessage
from backoffice.models.base import utcnow
from backoffice.models.outbox import CLAIMABLE, OutboxStatus
from backoffice.services.notifications import message_templates
from backoffice.services.platform import audit, secret_box

log = logging.getLogger(__name__)
_NO_SYNC = {"synchronize_session": False}
# Errors that retrying cannot fix: the message is dead at once.
_PERMANENT = (providers.PermanentError, TemplateError, message_templates.MessageTooLong, InvalidTag)
_SETTLE = (OutboxMessage.id, OutboxMessage.case_type, OutboxMessage.case_id, OutboxMessage.office_id,
           OutboxMessage.event, OutboxMessage.channel, OutboxMessage.attempts)


@dataclass(frozen=True)
class Claim:
    """What the relay needs to send one claimed message, detached from the session."""

    id: int
    idempotency_key: str
    event: str
    channel: str
    recipient: str
    context: dict
    secret_box: bytes | None
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """The result of one delivery attempt."""

    message_id: int
    provider_message_id: str | None = None
    error: str = ""
    permanent: bool = False
    uncertain: bool = False

    @property
    def sent(self):
        return self.provider_message_id is not None


def backoff_seconds(attempts, base, cap):
    """Delay before the next try: base × 3^(attempts−1), capped, ±20% so retries do not arrive in a herd."""
    return min(cap, base * 3 ** (attempts - 1)) * random.uniform(0.8, 1.2)


def claim_due(token, limit, lease_seconds):
    """Lease up to `limit` due messages to this relay run (rows other workers hold are skipped)."""
    now = utcnow()
    ids = db.session.scalars(
        select(OutboxMessage.id).where(CLAIMABLE, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at).limit(limit).with_for_update(skip_locked=True)).all()
    if not ids:
        return []
    rows = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .values(status=OutboxStatus.sending, attempts=OutboxMessage.attempts + 1, claim_token=token,
                next_attempt_at=now + timedelta(seconds=lease_seconds))
        .returning(OutboxMessage.id, OutboxMessage.idempotency_key, OutboxMessage.event, OutboxMessage.channel,
                   OutboxMessage.recipient, OutboxMessage.context, OutboxMessage.secret_box, OutboxMessage.attempts),
        execution_options=_NO_SYNC).all()
    return sorted((Claim(*row) for row in rows), key=lambda claim: claim.id)


def release(token, message_ids):
    """Hand back claimed messages this run will not reach, without counting an attempt."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(message_ids), OutboxMessage.claim_token == token)
        .values(status=OutboxStatus.pending, attempts=OutboxMessage.attempts - 1, claim_token=None,
                next_attempt_at=utcnow()),
        execution_options=_NO_SYNC)


def mark_handover(token, message_id):
    """Record that this run is about to pass the point after which the provider may deliver the message.

    Raises TransientError (nothing was delivered yet) when the row is no longer this run's to send.
    """
    # A fresh lease: a live worker waiting for the server's answer must not be settled as abandoned.
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    taken = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(status=OutboxStatus.handover, next_attempt_at=utcnow() + lease), execution_options=_NO_SYNC).rowcount
    if not taken:
        raise providers.TransientError("the claim on this message ended before the hand-over")


def settle_abandoned_handovers():
    """Messages whose worker stopped during the hand-over (lease over) become `uncertain`, audited."""
    rows = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.handover,
                                    OutboxMessage.next_attempt_at <= utcnow())
        .values(status=OutboxStatus.uncertain, claim_token=None, secret_box=None,
                last_error="the worker stopped while handing the message over")
        .returning(*_SETTLE), execution_options=_NO_SYNC).all()
    for row in rows:
        _settled_uncertain(row, "the worker stopped while handing the message over")
    return len(rows)


def _settled_uncertain(row, error):
    _audit("notification_uncertain", row.case_type, row.case_id, row.office_id, message_id=row.id,
           event=row.event, channel=str(row.channel), attempts=row.attempts, error=error)
    log.warning("outbox message %s (%s) is uncertain: %s; check the provider's log for its Message-ID", row.id,
                row.channel, error)


def deliver(claim, handover=None):
    """Render and hand one message to its provider, with its idempotency key; never raises.

    `handover` is passed to a provider that cannot drop a repeated key (see mark_handover).
    """
    if claim.attempts > current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        # Only a worker dying during every attempt gets here: stop feeding it the message.
        return Outcome(claim.id, error="the worker stopped during every attempt", permanent=True)
    try:
        secrets = secret_box.unseal(claim.secret_box, claim.idempotency_key) if claim.secret_box else None
        rendered = message_templates.render(claim.event, claim.channel, claim.context, secrets)
        provider_id = providers.for_channel(claim.channel).send(
            claim.idempotency_key, claim.recipient, rendered, **({"handover": handover} if handover else {}))
    except providers.UncertainError as error:
        return Outcome(claim.id, error=str(error), uncertain=True)
    except providers.TransientError as error:
        return Outcome(claim.id, error=str(error))
    except _PERMANENT as error:
        return Outcome(claim.id, error=f"{type(error).__name__}: {error}", permanent=True)
    except Exception as error:  # one broken message must not stop the batch: it is retried, then dies
        log.exception("outbox message %s (%s to %s) failed unexpectedly", claim.id, claim.channel,
                      mask_recipient(claim.channel, claim.recipient))
        return Outcome(claim.id, error=f"{type(error).__name__}: {error}")
    return Outcome(claim.id, provider_message_id=str(provider_id))


def record(token, outcomes):
    """Save the outcomes of this run's claims (rows another run took over meanwhile are left alone)."""
    now = utcnow()
    sent = {outcome.message_id: outcome.provider_message_id for outcome in outcomes if outcome.sent}
    if sent:
        rows = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(sent), OutboxMessage.claim_token == token)
            .values(status=OutboxStatus.sent, sent_at=now, provider_message_id=case(sent, value=OutboxMessage.id),
                    secret_box=None, claim_token=None, last_error="")
            .returning(*_SETTLE), execution_options=_NO_SYNC).all()
        for row in rows:
            _audit("notification_sent", row.case_type, row.case_id, row.office_id,
                   message_id=row.id, event=row.event, channel=str(row.channel), attempts=row.attempts)
    for outcome in outcomes:
        if not outcome.sent:
            _record_failure(token, outcome, now)


def _audit(action, case_type, case_id, office_id, **details):
    audit.record(action, actor_label="system", object_type=case_type, object_id=case_id, office_id=office_id,
                 details=details)


def _record_failure(token, outcome, now):
    message = db.session.get(OutboxMessage, outcome.message_id, populate_existing=True)
    if message is None or message.claim_token != token:
        return
    config = current_app.config
    message.last_error, message.claim_token = outcome.error[:500], None
    if outcome.uncertain:
        message.status, message.secret_box = OutboxStatus.uncertain, None
        _settled_uncertain(message, message.last_error)
    elif outcome.permanent or message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        message.status, message.secret_box = OutboxStatus.dead, None
        _audit("notification_dead", message.case_type, message.case_id, message.office_id, message_id=message.id,
               event=message.event, channel=message.channel.value, attempts=message.attempts,
               error=message.last_error)
        log.warning("outbox message %s to %s is dead after %d attempts: %s", message.id,
                    mask_recipient(message.channel, message.recipient), message.attempts, message.last_error)
    else:
        delay = backoff_seconds(message.attempts, config["OUTBOX_RETRY_BASE_SECONDS"],
                                config["OUTBOX_RETRY_MAX_SECONDS"])
        message.status, message.next_attempt_at = OutboxStatus.failed, now + timedelta(seconds=delay)
        log.info("outbox message %s to %s failed (attempt %d), retry in %.0fs: %s", message.id,
                 mask_recipient(message.channel, message.recipient), message.attempts, delay, message.last_error)
    db.session.flush()
