"""Synthetic demo data: the offices named in the seed letters, and one officer per role per office."""
from dataclasses import dataclass

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Department, DepartmentCode, Office, OfficeLevel, Officer, Role
from backoffice.models.office import DEPARTMENT_NAMES
from backoffice.services.complaints import demo as complaints_demo
from backoffice.services.platform import passwords
from backoffice.services.reissue import demo as reissue_demo

# Codes other than 00131 (from the letters) are illustrative.
DEMO_OFFICES = (
    ("00001", "Bảo hiểm xã hội Việt Nam", OfficeLevel.national, None, "Số 7 Tràng Thi, Hoàn Kiếm, Hà Nội"),
    ("00100", "BHXH thành phố Hà Nội", OfficeLevel.provincial, "00001", "Số 15 Trần Bình Trọng, Hà Nội"),
    ("00131", "BHXH Quận Bắc Từ Liêm", OfficeLevel.local, "00100", "Phường Cổ Nhuế, Hà Nội"),
    ("00109", "BHXH Quận Thanh Xuân", OfficeLevel.local, "00100", "Phường Thanh Xuân, Hà Nội"),
    ("00104", "BHXH Quận Long Biên", OfficeLevel.local, "00100", "Phường Long Biên, Hà Nội"),
    ("05600", "BHXH tỉnh Khánh Hòa", OfficeLevel.provincial, "00001", "Phường Nha Trang, Khánh Hòa"),
    ("05100", "BHXH tỉnh Quảng Ngãi", OfficeLevel.provincial, "00001", "Phường Cẩm Thành, Quảng Ngãi"),
)
ROLE_LOGINS = {
    Role.reception_officer: ("tiepnhan", "Cán bộ tiếp nhận", DepartmentCode.TIEP_NHAN),
    Role.department_officer: ("canbo", "Cán bộ nghiệp vụ", DepartmentCode.THU_SO_THE),
    Role.department_head: ("truongphong", "Trưởng phòng", DepartmentCode.THU_SO_THE),
    Role.supervisor: ("giamsat", "Lãnh đạo giám sát", None),
    Role.admin: ("quantri", "Quản trị hệ thống", None),
}


@dataclass
class DemoLogin:
    """A demo account to print for the person who ran the seed."""

    username: str
    role: Role
    office: str


def _office(code, name, level, parent_code, address):
    office = db.session.scalar(select(Office).where(Office.code == code))
    if office is None:
        parent = db.session.scalar(select(Office).where(Office.code == parent_code)) if parent_code else None
        office = Office(code=code, name=name, level=level, parent=parent,
                        path=f"{parent.path if parent else '/'}{code}/", address=address,
                        phone="1900 9068", email=f"bhxh{code}@vss.gov.vn")
        db.session.add(office)
    have = {d.code for d in office.departments}
    office.departments.extend(Department(code=c, name=DEPARTMENT_NAMES[c]) for c in DepartmentCode if c not in have)
    db.session.flush()
    return office


def seed_offices_and_officers(password):
    """Create what is missing (idempotent) and return every demo login."""
    password_hash = passwords.hash_password(password)  # one hash for all: the seed stays fast
    logins = []
    for code, name, level, parent_code, address in DEMO_OFFICES:
        office = _office(code, name, level, parent_code, address)
        departments = {d.code: d for d in office.departments}
        for role, (prefix, title, department_code) in ROLE_LOGINS.items():
            username = f"{prefix}.{code}"
            if not db.session.scalar(select(Officer.id).where(Officer.username == username)):
                db.session.add(Officer(
                    username=username, full_name=f"{title} {office.name}", role=role, office=office,
                    department=departments.get(department_code), password_hash=password_hash,
                    must_change_password=False, email=f"{username}@vss.gov.vn"))
            logins.append(DemoLogin(username, role, str(office)))
    db.session.flush()
    return logins


def seed_reissues(password):
    """The reissue desk's demo: CS_BHXH officers, register records, requests of every type and state (idempotent).

    Returns the extra officers' DemoLogins."""
    names = reissue_demo.seed_officers(passwords.hash_password(password))
    reissue_demo.seed_requests()
    officers = db.session.scalars(select(Officer).where(Officer.username.in_(names)).order_by(Officer.username))
    return [DemoLogin(o.username, o.role, str(o.office)) for o in officers]


def bulk_reissues(count):
    """N open reissue requests for benchmarks, in batches (yields the running count)."""
    yield from reissue_demo.bulk(count)


def seed_complaints(password):
    """The complaints' demo: each demo office's reception head (triage), complaints in every state at 00131 and
    00109 with consults between them (idempotent). Returns the reception heads' DemoLogins."""
    names, _ = complaints_demo.seed_complaints(passwords.hash_password(password), reissue_demo.seed_register())
    officers = db.session.scalars(select(Officer).where(Officer.username.in_(names)).order_by(Officer.username))
    return [DemoLogin(o.username, o.role, str(o.office)) for o in officers]


def bulk_complaints(count):
    """N complaints for benchmarks over the demo offices, departments and officers, in batches (yields the count)."""
    yield from complaints_demo.bulk(count)


def refresh_complaint_statistics():
    """VACUUM ANALYZE the complaint tables after a bulk load."""
    complaints_demo.refresh_statistics()
