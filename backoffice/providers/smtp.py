"""Email over SMTP (smtplib): multipart text + HTML, full Vietnamese, STARTTLS or implicit TLS, optional auth."""
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from backoffice.providers import PermanentError, TransientError, UncertainError

_LEADING_DOT = re.compile(rb"(?m)^\.")


class _Handover:
    """smtplib's DATA step split in two: the whole message, then `handover()`, then the final dot.

    The server keeps nothing until it reads the final dot, so a sender that stops before it has
    delivered nothing and may retry; after it, only the server's reply tells, and if that reply is
    lost the outcome is uncertain.
    """

    handover = None
    dot_sent = False

    def data(self, msg):
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = _LEADING_DOT.sub(b"..", msg)
        self.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        if self.handover:
            try:
                self.handover()
            except BaseException:
                self.close()  # mid-DATA: the server drops what it has; QUIT would only be read as data
                raise
        self.dot_sent = True
        self.send(b".\r\n")
        return self.getreply()


class _Smtp(_Handover, smtplib.SMTP):
    pass


class _SmtpSsl(_Handover, smtplib.SMTP_SSL):
    pass


class SmtpProvider:
    """One SMTP connection per message; the idempotency key becomes the Message-ID.

    SMTP has no idempotency of its own, so the relay records the hand-over just before the final dot
    of DATA: a worker that dies before it left nothing at the server and the message is retried; one
    that dies after it leaves the message `uncertain`, for a supervisor to settle from the mail
    server's log (same Message-ID), rather than risking a second copy.
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
            return _SmtpSsl(self.host, self.port, timeout=self.timeout, context=context)
        connection = _Smtp(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            connection.starttls(context=context)
        return connection

    def send(self, idempotency_key, recipient, rendered, handover=None):
        """Hand the message to the SMTP server; 5xx answers are permanent, other refusals are retried,
        and a connection lost between the final dot and the server's answer is uncertain."""
        message = self.build(idempotency_key, recipient, rendered)
        connection = None
        try:
            connection = self._connect()
            if self.username:
                connection.login(self.username, self.password or "")
            connection.handover = handover
            connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise (PermanentError if all(c >= 500 for c in codes) else TransientError)(
                f"SMTP refused the recipient ({codes})") from error
        except smtplib.SMTPResponseException as error:
            kind = PermanentError if error.smtp_code >= 500 else TransientError
            raise kind(f"SMTP {error.smtp_code}: {error.smtp_error!r}"[:300]) from error
        except (smtplib.SMTPException, OSError) as error:
            if connection is not None and connection.dot_sent:
                raise UncertainError(f"SMTP answer lost after the final dot: {type(error).__name__}: {error}"[:300]) \
                    from error
            raise TransientError(f"SMTP unavailable: {type(error).__name__}: {error}"[:300]) from error
        finally:
            if connection is not None:
                _close(connection)
        return message["Message-ID"]


def _close(connection):
    """QUIT politely; once the message is accepted, a failed QUIT must not turn into a retry."""
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
