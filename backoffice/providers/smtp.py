"""Email over SMTP (smtplib): multipart text + HTML, full Vietnamese, STARTTLS or implicit TLS, optional auth."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from backoffice.providers import PermanentError, TransientError


class SmtpProvider:
    """One SMTP connection per message; the idempotency key becomes the Message-ID.

    SMTP has no idempotency of its own: a retry after an unknown outcome carries the same Message-ID,
    which receiving systems use to drop the second copy.
    """

    idempotent = False

    def __init__(self, host, port, sender, username=None, password=None, starttls=True, use_ssl=False, timeout=10):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.use_ssl, self.timeout = starttls, use_ssl, timeout
        self.domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"

    @classmethod
    def from_config(cls, config):
        """Build from SMTP_* settings."""
        return cls(config["SMTP_HOST"], config["SMTP_PORT"], config["MAIL_FROM"], config["SMTP_USERNAME"],
                   config["SMTP_PASSWORD"], config["SMTP_STARTTLS"], config["SMTP_SSL"], config["SMTP_TIMEOUT"])

    def build(self, idempotency_key, recipient, rendered):
        """The MIME message: text/plain with a text/html alternative, UTF-8 throughout."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = rendered.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{idempotency_key}@{self.domain}>"
        message.set_content(rendered.text)
        message.add_alternative(rendered.html, subtype="html")
        return message

    def _connect(self):
        context = ssl.create_default_context()
        if self.use_ssl:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            connection.starttls(context=context)
        return connection

    def send(self, idempotency_key, recipient, rendered):
        """Hand the message to the SMTP server; 5xx answers are permanent, the rest is retried."""
        message = self.build(idempotency_key, recipient, rendered)
        try:
            with self._connect() as connection:
                if self.username:
                    connection.login(self.username, self.password or "")
                connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise (PermanentError if all(c >= 500 for c in codes) else TransientError)(
                f"SMTP refused the recipient ({codes})") from error
        except smtplib.SMTPResponseException as error:
            kind = PermanentError if error.smtp_code >= 500 else TransientError
            raise kind(f"SMTP {error.smtp_code}: {error.smtp_error!r}"[:300]) from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransientError(f"SMTP unavailable: {type(error).__name__}: {error}"[:300]) from error
        return message["Message-ID"]
