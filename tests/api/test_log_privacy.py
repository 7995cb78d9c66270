"""Citizen data stays out of the log when the database refuses a statement (issue 13, item 5).

A declaration insert carries the ID number, phone, name and date of birth as parameters. SQLAlchemy puts the
parameters into the error's text and its INFO log, and PostgreSQL's DETAIL line quotes the row's values; the
application logs the error with its traceback.
"""
import logging

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backoffice import create_app
from backoffice.extensions import db
from backoffice.models import Declaration, Officer
from backoffice.services.declarations import intake
from tests.api.conftest import ADULT_BORN, payload, submit

CITIZEN = payload(id_number="001090123456", phone="0987001122", full_name="Trần Thị Bí Mật",
                  social_insurance_number="0101234567", email="bi.mat@example.vn")
SECRETS = ("001090123456", "0987001122", "Trần Thị Bí Mật", "0101234567", "bi.mat@example.vn", "1990, 5, 17")


def _leaks(caplog):
    text = caplog.text + "\n".join(record.getMessage() for record in caplog.records)
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("reference", ["TAKEN00001", None], ids=["unique_violation", "not_null_violation"])
def test_a_failed_declaration_insert_logs_no_citizen_data(client, auth, monkeypatch, captured_log, reference):
    monkeypatch.setattr(intake, "new_reference", lambda: "TAKEN00001")
    assert submit(client, auth).status_code == 201  # holds the reference the next insert collides with
    monkeypatch.setattr(intake, "new_reference", lambda: reference)
    captured_log.clear()

    response = submit(client, auth, CITIZEN)

    assert response.status_code == 500
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 1
    errors = [r for r in captured_log.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info is not None  # the failure is logged, with its traceback
    assert "declarations" in captured_log.text  # the statement and the constraint are named, for the operator
    assert _leaks(captured_log) == []


def test_the_postgresql_detail_stays_readable_to_code(app, demo_logins):
    office_id = db.session.scalar(select(Officer.office_id).where(Officer.username == "tiepnhan.00131"))

    def declaration(reference):
        return Declaration(reference=reference, kind="register", channel="portal", office_id=office_id,
                           social_insurance_number="0101234567", full_name="Trần Thị Bí Mật",
                           date_of_birth=ADULT_BORN, sex="Nữ", phone="0987001122")

    db.session.add(declaration("SAME000001"))
    db.session.flush()
    db.session.add(declaration("SAME000001"))
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    db.session.rollback()
    assert "SAME000001" not in str(raised.value)
    assert "SAME000001" in raised.value.orig.diag.message_detail
    assert "reference" in str(raised.value)  # the constraint is still named


@pytest.mark.parametrize("url", ["postgresql", "sqlite"])
def test_every_engine_hides_parameters(tmp_path, app_settings, url):
    if url == "sqlite":
        app_settings = dict(app_settings, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite'}",
                            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2})  # a deployment's own options keep it
    application = create_app(**app_settings)
    with application.app_context():
        assert db.engine.hide_parameters is True
        db.engine.dispose()
