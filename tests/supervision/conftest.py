"""Decisions made through the real workflow at chosen moments, and extra officers, for the supervision tests."""
import secrets
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationDocument, DocumentKind, Office, Officer, Role, StoredFile
from backoffice.services import declarations

UTC = timezone.utc
# Tuesday 10 March 2026, 10:00 in Hà Nội (03:00 UTC): a working day, inside office hours.
WORKDAY_10AM = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
FAILING = [{"code": "register", "title": "Đối chiếu sổ người tham gia", "status": "fail",
            "evidence": {"problems": ["name"]}},
           {"code": "id_fields", "title": "Thông tin trên giấy tờ", "status": "pass", "evidence": {}}]
PASSING = [{"code": "id_fields", "title": "Thông tin trên giấy tờ", "status": "pass", "evidence": {}}]


def officer(username):
    """The officer with this login."""
    return db.session.scalar(select(Officer).where(Officer.username == username))


def add_officer(username, role=Role.reception_officer, office_code="00131", created_at=None):
    """Another officer (same password hash as the demo ones)."""
    model = officer("tiepnhan.00131")
    office = db.session.scalar(select(Office).where(Office.code == office_code))
    found = Officer(username=username, full_name=f"Cán bộ {username}", role=role, office=office,
                    department=model.department if role == Role.reception_officer else None,
                    password_hash=model.password_hash, must_change_password=False,
                    created_at=created_at or datetime(2025, 1, 1, tzinfo=UTC))
    db.session.add(found)
    db.session.commit()
    return found


class Desk:
    """Makes decisions through the declarations workflow with the clock set by the test."""

    def __init__(self, monkeypatch):
        self.now = WORKDAY_10AM
        clock = lambda: self.now  # noqa: E731
        for module in ("backoffice.services.platform.audit", "backoffice.services.declarations.workflow"):
            monkeypatch.setattr(f"{module}.utcnow", clock)

    def declaration(self, office_code="00131", sin=None, phone="0912345678", email="cong.dan@example.vn",
                    id_number=None, checks=None):
        """A ready declaration with one stored photo."""
        office = db.session.scalar(select(Office).where(Office.code == office_code))
        sin = sin or f"{secrets.randbelow(10 ** 10):010d}"
        checks = checks if checks is not None else PASSING
        d = Declaration(reference=secrets.token_hex(5).upper(), kind="register", channel="vssid_app",
                        office_id=office.id, social_insurance_number=sin, full_name="Nguyễn Văn An",
                        date_of_birth=date(1990, 1, 2), sex="Nam", id_type="cccd",
                        id_number=id_number or f"0012{secrets.randbelow(10 ** 8):08d}", phone=phone, email=email,
                        state="ready", checks=checks, failing_checks=sum(c["status"] == "fail" for c in checks),
                        submitted_at=self.now - timedelta(hours=2))
        stored = StoredFile(storage_key=f"test/{secrets.token_hex(6)}", content_type="image/jpeg", size=3,
                            office_id=office.id, purpose="id_front")
        d.documents = [DeclarationDocument(kind=DocumentKind.id_front, stored_file=stored, width=10, height=10)]
        db.session.add(d)
        db.session.commit()
        return d

    def decide(self, username, outcome="approved", at=None, review_seconds=120, second=None, **fields):
        """Claim at `at` (default: now) and decide `review_seconds` later; over failing checks `second` confirms."""
        if at is not None:
            self.now = at
        failing = fields.pop("failing", False)
        d = self.declaration(checks=FAILING if failing else PASSING, **fields)
        who = officer(username)
        declarations.claim(who, d.id)
        db.session.commit()
        self.now += timedelta(seconds=review_seconds)
        if outcome == "approved":
            declarations.approve(who, d.id, d.version_id, "Đã đối chiếu bản gốc tại quầy, đúng người." if failing
                                 else "")
            if failing:
                db.session.commit()
                declarations.confirm_second_approval(officer(second or "giamsat.00131"), d.id, d.version_id)
        else:
            declarations.reject(who, d.id, d.version_id, "ID_UNREADABLE")
        db.session.commit()
        return d


@pytest.fixture
def desk(app, demo_logins, monkeypatch):
    """Decisions at chosen moments (the audit log's and the workflow's clock follow `desk.now`)."""
    for found in db.session.scalars(select(Officer)):  # the demo officers joined long before the decisions
        found.created_at = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.commit()
    return Desk(monkeypatch)
