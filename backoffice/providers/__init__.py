"""Delivery providers behind one interface:
`send(idempotency_key, recipient, rendered, handover=None) -> provider message id`, and `idempotent`:
True when the provider itself drops a repeated key.

Each provider is called with the message's idempotency key so that a retry after an unknown
outcome (timeout, worker killed mid-send) is recognised as the same message, not a new one.
A provider that cannot drop a repeat (SMTP) calls `handover()` just before the step after which
the message may be delivered, and raises UncertainError when it cannot tell whether that step took.
"""
from flask import current_app

from backoffice.models.outbox import Channel


class DeliveryError(Exception):
    """The provider did not take the message."""


class TransientError(DeliveryError):
    """Worth retrying later: the provider is down, slow or overloaded."""


class PermanentError(DeliveryError):
    """Retrying cannot help (invalid number or address, refused content)."""


class UncertainError(DeliveryError):
    """The provider may or may not have the message; sending it again could deliver it twice."""


def _from_config(channel, config):
    from backoffice.providers import files, sms_http, smtp

    if channel == Channel.sms and config["SMS_GATEWAY_URL"]:
        return sms_http.HttpSmsGateway.from_config(config)
    if channel == Channel.email and config["SMTP_HOST"]:
        return smtp.SmtpProvider.from_config(config)
    return files.FileProvider(config["OUTBOX_DIR"], channel)


def for_channel(channel):
    """The app's provider for a channel: configured ones, else files under OUTBOX_DIR (development)."""
    providers = current_app.extensions.setdefault("notification_providers", {})
    if channel not in providers:
        providers[channel] = _from_config(channel, current_app.config)
    return providers[channel]
