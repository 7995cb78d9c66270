"""flask demo seed: the seed letters' offices, one officer per role per office, idempotent."""
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Department, Office, Officer


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Office, Department, Officer))


def test_seed_is_idempotent_and_prints_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "tiepnhan.00131" in first.output and "00131 BHXH Quận Bắc Từ Liêm" in first.output
    assert counts() == (7, 35, 45)  # one per role per office, the reissue desk's 4 and a reception head at 00131, 00109
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert counts() == (7, 35, 45)
    district = db.session.scalar(select(Office).where(Office.code == "00131"))
    assert district.path == "/00001/00100/00131/"
    assert {d.code.value for d in district.departments} == {"TIEP_NHAN", "THU_SO_THE", "CS_BHXH", "CS_BHYT", "CNTT"}
    names = {o.name for o in db.session.scalars(select(Office))}
    assert {"BHXH Quận Thanh Xuân", "BHXH tỉnh Khánh Hòa", "BHXH tỉnh Quảng Ngãi"} <= names


def test_seed_refuses_production(app):
    app.config["PRODUCTION"] = True
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "production" in result.output
