"""Settings: production refuses unsafe defaults."""
import pytest

import config
from backoffice import create_app


def test_production_refuses_the_default_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig, SECRET_KEY=config.DEV_SECRET_KEY,
                   SQLALCHEMY_DATABASE_URI="postgresql+psycopg://127.0.0.1/test")


def test_production_refuses_sqlite():
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        create_app(config.ProductionConfig, SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite:///x.db",
                   SMTP_HOST="smtp.example", SMS_GATEWAY_URL="http://sms.example/send")


def test_production_refuses_file_outbox():
    with pytest.raises(RuntimeError, match="SMTP_HOST"):
        create_app(config.ProductionConfig, SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://h/db",
                   SMTP_HOST=None, SMS_GATEWAY_URL="http://sms.example/send")


SAFE_PRODUCTION = dict(SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://h/db",
                       SMTP_HOST="smtp.example", SMS_GATEWAY_URL="http://sms.example/send")


@pytest.mark.parametrize("storage", [None, "", "memory://", "MEMORY://"])
def test_production_refuses_per_process_rate_limits(storage):
    with pytest.raises(RuntimeError, match="REDIS_URL .*RATELIMIT_STORAGE_URI"):
        create_app(config.ProductionConfig, REDIS_URL=None, RATELIMIT_STORAGE_URI=storage, **SAFE_PRODUCTION)


@pytest.mark.parametrize("storage", ["redis://cache:6379/0", "rediss://cache:6380/0",
                                     "redis+sentinel://s1:26379/main"])
def test_production_starts_with_a_shared_limiter_store(storage):
    app = create_app(config.ProductionConfig, RATELIMIT_STORAGE_URI=storage, **SAFE_PRODUCTION)
    assert app.config["RATELIMIT_STORAGE_URI"] == storage


def test_the_limiter_store_follows_redis_url_or_its_own_setting(monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert config._limiter_store() == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    assert config._limiter_store() == "redis://cache:6379/0"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://limits:6379/2")
    assert config._limiter_store() == "redis://limits:6379/2"


def test_plain_postgresql_urls_use_psycopg3():
    assert config._database_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert config._database_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert config._database_url("sqlite:///a.db") == "sqlite:///a.db"
