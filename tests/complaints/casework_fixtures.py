"""Fixtures of the complaint workflow tests: demo offices and officers, a reception head, a settable clock and a
router stand-in (the routing model has its own tests; here the route is chosen by the test)."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Department, DepartmentCode, Office, Officer, Role
from backoffice.services import complaints  # noqa: F401 - registers the case type
from backoffice.services.complaints import intake, routing, workflow
from backoffice.services.platform import calendar, passwords
from backoffice.services.reissue import demo as reissue_demo
from tests.conftest import DEMO_PASSWORD
from tests.reissue.conftest import Clock

TEXT = "Tôi đóng BHXH từ năm 2015 nhưng trên ứng dụng quá trình đóng bị thiếu mấy năm, đề nghị kiểm tra giúp."


def officer(username):
    """The officer with that username."""
    return db.session.scalar(select(Officer).where(Officer.username == username))


@pytest.fixture
def people(demo_logins):
    """Demo officers plus each office's reception head (triage) and a second THU_SO_THE officer."""
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    reissue_demo.seed_officers(password_hash)
    for code in ("00131", "00109"):
        office = db.session.scalar(select(Office).where(Office.code == code))
        reception = db.session.scalar(select(Department).where(Department.office_id == office.id,
                                                               Department.code == DepartmentCode.TIEP_NHAN))
        db.session.add(Officer(username=f"truongphong.tn.{code}", full_name="Trưởng bộ phận tiếp nhận",
                               role=Role.department_head, office=office, department=reception,
                               password_hash=password_hash, must_change_password=False,
                               email=f"truongphong.tn.{code}@vss.gov.vn"))
    db.session.commit()


@pytest.fixture
def clock(monkeypatch):
    """A settable clock, set to Monday 1 February 2027 09:00 (just before Tết 2027) with that year loaded."""
    clock = Clock(monkeypatch)  # the reissue tests' clock, which patches the core; the complaint steps too
    monkeypatch.setattr(workflow, "utcnow", clock.utc)
    clock.set(2027, 2, 1, 9, 0)
    calendar.load_year(2027)
    return clock


class Router:
    """The route the next complaint gets."""

    def __init__(self, monkeypatch):
        self.route = routing.Route("contribution_history", "THU_SO_THE", 0.95)
        monkeypatch.setattr(routing, "classify", lambda text, hint=None: self.route)


@pytest.fixture
def router(monkeypatch):
    """A stand-in for the router, so each test chooses where its complaint goes."""
    return Router(monkeypatch)


def new_complaint(**fields):
    """A complaint received through the app at office 00131 (committed)."""
    data = {"text": TEXT, "topic": "contribution_history", "phone": "0912345678", "email": "dan@example.vn",
            "full_name": "Nguyễn Văn An", "social_insurance_number": "7900000001", "office_code": "00131", **fields}
    complaint = intake.create(data, channel="vssid_app")
    db.session.commit()
    return complaint
