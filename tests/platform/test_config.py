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


def test_plain_postgresql_urls_use_psycopg3():
    assert config._database_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert config._database_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert config._database_url("sqlite:///a.db") == "sqlite:///a.db"
