"""Development provider: each message becomes a file named after its idempotency key."""
import logging
import os

from backoffice.masking import mask_recipient

log = logging.getLogger(__name__)


class FileProvider:
    """Writes SMS as .txt and email as .eml under OUTBOX_DIR/<channel>/; a key already written is not rewritten."""

    idempotent = True

    def __init__(self, directory, channel):
        self.directory = os.path.join(directory, channel)
        self.channel = channel

    def send(self, idempotency_key, recipient, rendered):
        """Write the message once (O_EXCL makes a retry a no-op) and return its path as the message id."""
        os.makedirs(self.directory, exist_ok=True)
        suffix = "txt" if self.channel == "sms" else "eml"
        path = os.path.join(self.directory, f"{idempotency_key}.{suffix}")
        body = f"To: {recipient}\n"
        if rendered.subject:
            body += f"Subject: {rendered.subject}\n"
        body += f"\n{rendered.text}"
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(body)
        except FileExistsError:
            log.info("outbox file %s already written", os.path.basename(path))
        else:
            log.info("%s to %s written to %s", self.channel, mask_recipient(self.channel, recipient), path)
        return f"file:{idempotency_key}"
