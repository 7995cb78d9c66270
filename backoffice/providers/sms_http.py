"""SMS over an HTTP gateway: a JSON body built from a template, an auth header, the message id read back.

SMS_BODY_TEMPLATE is JSON; inside its string values the placeholders {recipient}, {text} and
{idempotency_key} are replaced after parsing, so the text is always correctly JSON-escaped.
"""
import json
import socket
import urllib.error
import urllib.request

from backoffice.providers import PermanentError, TransientError

_RETRYABLE_STATUS = {408, 409, 425, 429}


def _fill(node, values):
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values) for value in node]
    if isinstance(node, str):
        for placeholder, value in values.items():
            node = node.replace(placeholder, value)
    return node


def _dig(document, dotted):
    for part in dotted.split("."):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


class HttpSmsGateway:
    """POSTs JSON to the gateway with an Idempotency-Key header and the key in the body template."""

    idempotent = True  # gateways drop a repeated Idempotency-Key / client reference

    def __init__(self, url, body_template, message_id_field="id", auth_header=None, timeout=10):
        self.url = url
        self.template = json.loads(body_template)  # refuse a broken template at start-up, not per message
        self.message_id_field = message_id_field
        self.headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if auth_header:
            name, _, value = auth_header.partition(":")
            self.headers[name.strip()] = value.strip()
        self.timeout = timeout

    @classmethod
    def from_config(cls, config):
        """Build from SMS_* settings."""
        return cls(config["SMS_GATEWAY_URL"], config["SMS_BODY_TEMPLATE"], config["SMS_MESSAGE_ID_FIELD"],
                   config["SMS_AUTH_HEADER"], config["SMS_TIMEOUT"])

    def body(self, idempotency_key, recipient, text):
        """The JSON document sent for one message."""
        values = {"{recipient}": recipient, "{text}": text, "{idempotency_key}": idempotency_key}
        return _fill(self.template, values)

    def send(self, idempotency_key, recipient, rendered):
        """POST the message; 5xx, timeouts and refused connections are retried, other 4xx are permanent."""
        data = json.dumps(self.body(idempotency_key, recipient, rendered.text), ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=data, method="POST",
                                         headers={**self.headers, "Idempotency-Key": idempotency_key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            kind = TransientError if error.code >= 500 or error.code in _RETRYABLE_STATUS else PermanentError
            raise kind(f"SMS gateway answered {error.code}") from error
        except (urllib.error.URLError, socket.timeout, OSError) as error:
            raise TransientError(f"SMS gateway unreachable: {getattr(error, 'reason', error)}"[:300]) from error
        try:
            return str(_dig(json.loads(answer), self.message_id_field))
        except (ValueError, KeyError, IndexError, TypeError) as error:
            # Accepted but unreadable: a retry with the same key is answered with the same id.
            raise TransientError(f"SMS gateway answer has no {self.message_id_field!r}") from error
