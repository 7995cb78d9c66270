"""Settings read from the environment; one class per deployment kind."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))
DEV_SECRET_KEY = "dev-only-secret-key-change-me"


def _database_url(url):
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _bool(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _limiter_store():
    """RATELIMIT_STORAGE_URI if set, else REDIS_URL, else per-process memory (development only)."""
    return os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"


class Config:
    """Defaults for one laptop: SQLite, in-process jobs, local storage, file outbox."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'backoffice.engine.sqlite'}")
    )
    REDIS_URL = os.environ.get("REDIS_URL") or None
    STORAGE_URL = os.environ.get("STORAGE_URL", f"file://{INSTANCE_DIR / 'files'}")
    # Where rate-limit counters live: Redis when there is one. memory:// counts per process, so with N web
    # workers (or replicas) every limit is N times looser; production refuses it (check()).
    RATELIMIT_STORAGE_URI = _limiter_store()
    RATELIMIT_KEY_PREFIX = "backoffice-limits"

    # Sessions (OWASP ASVS 5.0 level 2): server-side records, see services/sessions.py.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    SESSION_COOKIE_NAME = "bo_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_TIMEOUT
    # The cookie lives as long as the absolute timeout from login; the idle timeout is kept on the server record,
    # so the cookie is not re-signed and re-sent on every response.
    SESSION_REFRESH_EACH_REQUEST = False
    LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_ATTEMPTS_PER_IP = os.environ.get("LOGIN_ATTEMPTS_PER_IP", "60 per 15 minutes")

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 45 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    BUSINESS_DAY_END_HOUR = 17

    # Outgoing messages (docs/notifications.md): nothing configured means files under OUTBOX_DIR.
    MAIL_FROM = os.environ.get("MAIL_FROM", "BHXH <no-reply@baohiemxahoi.gov.vn>")
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
    SMTP_SSL = _bool("SMTP_SSL")
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "10"))
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL") or None
    SMS_AUTH_HEADER = os.environ.get("SMS_AUTH_HEADER") or None
    SMS_BODY_TEMPLATE = os.environ.get(
        "SMS_BODY_TEMPLATE", '{"to": "{recipient}", "text": "{text}", "ref": "{idempotency_key}"}'
    )
    SMS_MESSAGE_ID_FIELD = os.environ.get("SMS_MESSAGE_ID_FIELD", "id")
    SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", "10"))
    SMS_RECEIPT_SECRET = os.environ.get("SMS_RECEIPT_SECRET") or None
    SMS_RECEIPT_TOLERANCE_SECONDS = int(os.environ.get("SMS_RECEIPT_TOLERANCE_SECONDS", "300"))
    OUTBOX_DIR = os.environ.get("OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    # Relay: a claimed row is leased; a worker killed mid-send leaves it due again when the lease ends.
    OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "120"))
    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
    OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "21600"))
    OUTBOX_RELAY_BUDGET_SECONDS = float(os.environ.get("OUTBOX_RELAY_BUDGET_SECONDS", "90"))
    OUTBOX_SWEEP_SECONDS = int(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))

    # The audit chain's anchors, one JSON line each, appended only (backoffice/tasks/audit.py). Point it at storage
    # the database's administrators cannot rewrite (another host's mount, a file with chattr +a).
    AUDIT_ANCHOR_FILE = os.environ.get("AUDIT_ANCHOR_FILE", str(INSTANCE_DIR / "audit-anchors.log"))

    # Casework deadlines that no source fixes (DESIGN.md §6), in working days, and where links in emails point.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    REISSUE_PAYOUT_CHANGE_DAYS = int(os.environ.get("REISSUE_PAYOUT_CHANGE_DAYS", "5"))
    REISSUE_COOLING_OFF_DAYS = int(os.environ.get("REISSUE_COOLING_OFF_DAYS", "3"))
    COMPLAINTS_PETITION_DAYS = int(os.environ.get("COMPLAINTS_PETITION_DAYS", "10"))
    COMPLAINTS_REOPEN_DAYS = int(os.environ.get("COMPLAINTS_REOPEN_DAYS", "30"))

    TESTING = False
    PRODUCTION = False


class ProductionConfig(Config):
    """Production refuses defaults that would be unsafe."""

    PRODUCTION = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)


def load_config(name=None):
    """Pick the settings class from APP_ENV (development by default)."""
    name = name or os.environ.get("APP_ENV", "development")
    return ProductionConfig if name == "production" else Config


def check(config):
    """Refuse to start production with settings that would be unsafe."""
    if config.get("PRODUCTION"):
        if config["SECRET_KEY"] in {DEV_SECRET_KEY, "", None} or len(config["SECRET_KEY"]) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random value of 32+ characters in production.")
        if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            raise RuntimeError("Production needs DATABASE_URL pointing at PostgreSQL.")
        # The development providers write messages (temporary passwords included) to files.
        if not config.get("SMTP_HOST") or not config.get("SMS_GATEWAY_URL"):
            raise RuntimeError("Production needs SMTP_HOST and SMS_GATEWAY_URL: citizens must really be told.")
        if _per_process(config.get("RATELIMIT_STORAGE_URI")):
            raise RuntimeError("Production needs REDIS_URL (or RATELIMIT_STORAGE_URI pointing at a shared store such "
                               "as Redis): in-memory rate limits count per process, so each worker would allow "
                               "the sign-in and API limits again.")


def _per_process(storage_uri):
    """True for a rate-limit store that each process keeps for itself (memory://, or none at all)."""
    return not storage_uri or storage_uri.split("://", 1)[0].strip().lower() in {"", "memory"}
