"""Demo data for the four services: CS_BHXH officers, register records (cards, books, benefits) for demo people,
requests of every type and state, and `bulk(n)` requests for benchmarks (DESIGN.md §10 `demo seed --reissues N`)."""
import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from backoffice.extensions import db
from backoffice.models import (
    Benefit,
    DepartmentCode,
    HealthCard,
    InsuranceBook,
    Office,
    Officer,
    Participant,
    ReissueRequest,
    ReissueState,
    ReissueType,
    Role,
)
from backoffice.models.base import utcnow
from backoffice.models.casework import NO_DEADLINE
from backoffice.services.platform import calendar
from backoffice.services.reissue import catalogue, intake, workflow

DEMO_OFFICE = "00131"
DESTINATION_OFFICE = "00109"
# (username prefix, title, role, department): enough people for maker-checker in both departments.
OFFICERS = (
    ("canbo2", "Cán bộ nghiệp vụ 2", Role.department_officer, DepartmentCode.THU_SO_THE),
    ("canbo.cs", "Cán bộ chế độ BHXH", Role.department_officer, DepartmentCode.CS_BHXH),
    ("canbo2.cs", "Cán bộ chế độ BHXH 2", Role.department_officer, DepartmentCode.CS_BHXH),
    ("truongphong.cs", "Trưởng phòng Chế độ BHXH", Role.department_head, DepartmentCode.CS_BHXH),
)
PEOPLE = (
    ("7900000001", "Nguyễn Văn An", date(1958, 3, 14), "Nam"),
    ("7900000002", "Trần Thị Bích Ngọc", date(1962, 7, 2), "Nữ"),
    ("7900000003", "Lê Hoàng Phúc", date(1990, 11, 23), "Nam"),
    ("7900000004", "Phạm Thị Thu Hằng", date(1985, 1, 9), "Nữ"),
    ("7900000005", "Đặng Quốc Việt", date(1955, 5, 30), "Nam"),
    ("7900000006", "Vũ Thị Lan", date(1960, 9, 17), "Nữ"),
    ("7900000007", "Hoàng Minh Đức", date(1978, 12, 1), "Nam"),
    ("7900000008", "Bùi Thị Mai", date(1957, 4, 21), "Nữ"),
)


def _office(code):
    return db.session.scalar(select(Office).where(Office.code == code))


def seed_officers(password_hash, codes=(DEMO_OFFICE, DESTINATION_OFFICE)):
    """The extra demo officers of each office (idempotent); returns their usernames."""
    names = []
    for code in codes:
        office = _office(code)
        if office is None:
            continue
        departments = {d.code: d for d in office.departments}
        for prefix, title, role, department in OFFICERS:
            username = f"{prefix}.{code}"
            names.append(username)
            if not db.session.scalar(select(Officer.id).where(Officer.username == username)):
                db.session.add(Officer(username=username, full_name=f"{title} {office.name}", role=role, office=office,
                                       department=departments[department], password_hash=password_hash,
                                       must_change_password=False, email=f"{username}@vss.gov.vn"))
    db.session.flush()
    return names


def seed_register(office_code=DEMO_OFFICE):
    """Register records for the demo people: a current card, a book, and a pension for those over 60."""
    office = _office(office_code)
    today = calendar.today()
    people = []
    for index, (sin, name, born, sex) in enumerate(PEOPLE):
        person = db.session.scalar(select(Participant).where(Participant.social_insurance_number == sin))
        if person is None:
            person = Participant(social_insurance_number=sin, full_name=name, date_of_birth=born, sex=sex,
                                 id_number=f"001{born.year % 100:02d}{index:07d}", phone=f"09120000{index:02d}",
                                 health_card_number=f"HT279{sin}", office_id=office.id)
            db.session.add(person)
            db.session.add(HealthCard(social_insurance_number=sin, card_number=f"HT279{sin}",
                                      valid_from=date(today.year, 1, 1), valid_to=date(today.year, 12, 31),
                                      paid_until=date(today.year, 12, 31), hospital="Bệnh viện Đa khoa Hà Đông"))
            db.session.add(InsuranceBook(social_insurance_number=sin, book_number=f"S{sin}",
                                         issued_on=date(2010, 1, 4), needs_verification=index % 4 == 3))
            if born.year < 1965:
                db.session.add(Benefit(social_insurance_number=sin, kind="pension", monthly_amount=6_500_000 + index,
                                       paying_office_id=office.id, paying_from_month="2020-01", payout_method="cash"))
        people.append(person)
    db.session.flush()
    return people


def _payload(person, kind, **details):
    return {"type": kind.value, "social_insurance_number": person.social_insurance_number,
            "full_name": person.full_name, "date_of_birth": person.date_of_birth.isoformat(), "phone": person.phone,
            "email": f"demo.{person.social_insurance_number}@example.vn", **details}


def _next_month():
    today = calendar.today()
    return f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"


def demo_payloads(people):
    """One valid payload per service for the demo people (also used by tests and the browser test)."""
    by_sin = {p.social_insurance_number: p for p in people}
    post = {"method": "post", "address": {"province_code": "01", "ward_code": "00004", "street": "Số 7 Tràng Thi"}}
    return {
        "card_pickup": _payload(by_sin["7900000003"], ReissueType.bhyt_card, reason="lost",
                                delivery={"method": "pickup"}),
        "card_post": _payload(by_sin["7900000004"], ReissueType.bhyt_card, reason="damaged", delivery=post),
        "book": _payload(by_sin["7900000007"], ReissueType.si_book, reason="lost", delivery={"method": "pickup"}),
        "transfer": _payload(by_sin["7900000001"], ReissueType.pension_transfer,
                             destination_office_code=DESTINATION_OFFICE, start_month=_next_month(),
                             new_address={"province_code": "01", "ward_code": "00004", "street": "Số 9 Lê Lợi"}),
        "payout": _payload(by_sin["7900000002"], ReissueType.payout_change, method="bank", bank_code="VCB",
                           account_number="0011002233445", account_holder="TRAN THI BICH NGOC",
                           from_month=_next_month()),
    }


def create_from_payload(payload, files=None, channel="vssid_app"):
    """Validate and create a request as the API would (no idempotency key)."""
    kind, identity, details, person = intake.clean(payload, files or {})
    return intake.create(kind, identity, details, person, intake.check_files(files or {}), channel=channel,
                         source="demo")


def _as(person, payload, kind, **details):
    """A payload of another demo person (their identity, the same details)."""
    base = {k: v for k, v in payload.items() if k not in ("social_insurance_number", "full_name", "date_of_birth",
                                                            "phone", "email")}
    return {**base, **_payload(person, kind, **details)}


def seed_requests():
    """Requests of every type in every state at the demo office (skipped when some exist); returns how many."""
    if db.session.scalar(select(func.count()).select_from(ReissueRequest)):
        return 0
    people = {p.social_insurance_number: p for p in seed_register()}
    payloads = demo_payloads(people.values())
    clerk = db.session.scalar(select(Officer).where(Officer.username == f"canbo.{DEMO_OFFICE}"))
    maker = db.session.scalar(select(Officer).where(Officer.username == f"canbo.cs.{DEMO_OFFICE}"))
    checker = db.session.scalar(select(Officer).where(Officer.username == f"canbo2.cs.{DEMO_OFFICE}"))
    if clerk is None or maker is None or checker is None:
        return 0
    created = {name: create_from_payload(payloads[name]) for name in ("card_pickup", "card_post", "book", "transfer",
                                                                        "payout")}
    post = payloads["card_post"]["delivery"]
    more = {
        "card_done": _as(people["7900000005"], payloads["card_pickup"], ReissueType.bhyt_card, reason="damaged",
                         delivery={"method": "pickup"}),
        "card_rejected": _as(people["7900000006"], payloads["card_pickup"], ReissueType.bhyt_card, reason="lost",
                             delivery={"method": "pickup"}),
        "card_delivered": _as(people["7900000001"], payloads["card_post"], ReissueType.bhyt_card, reason="lost",
                              delivery=post),
        "card_returned": _as(people["7900000002"], payloads["card_post"], ReissueType.bhyt_card, reason="lost",
                             delivery=post),
        "book_shipped": _as(people["7900000003"], payloads["book"], ReissueType.si_book, reason="damaged",
                            delivery=post),
        "transfer_sent": _as(people["7900000005"], payloads["transfer"], ReissueType.pension_transfer,
                             destination_office_code=DESTINATION_OFFICE, start_month=_next_month(),
                             new_address=payloads["transfer"]["new_address"]),
        "payout_checking": _as(people["7900000006"], payloads["payout"], ReissueType.payout_change, method="cash",
                               from_month=_next_month()),
        "payout_cooling": _as(people["7900000008"], payloads["payout"], ReissueType.payout_change, method="bank",
                              bank_code="BIDV", account_number="1234567890", account_holder="Bùi Thị Mai",
                              from_month=_next_month()),
    }
    created.update({name: create_from_payload(payload) for name, payload in more.items()})
    steps = (
        ("card_post", clerk, [("start",), ("ship", "EB100000001VN")]),
        ("book", clerk, [("start",), ("await_citizen", "counter_visit")]),
        ("card_done", clerk, [("start",), ("complete",)]),
        ("card_rejected", clerk, [("start",), ("reject", "CARD_EXPIRED")]),
        ("card_delivered", clerk, [("start",), ("ship", "EB100000002VN")]),
        ("card_returned", clerk, [("start",), ("ship", "EB100000003VN")]),
        ("book_shipped", clerk, [("start",), ("ship", "EB100000004VN")]),
        ("transfer", maker, [("start",)]),
        ("transfer_sent", maker, [("start",), ("send_to_destination",)]),
        ("payout_checking", maker, [("start",), ("confirm_identity", "Đối chiếu ảnh và căn cước tại quầy"),
                                    ("propose_payout_change",)]),
    )
    for name, officer, calls in steps:
        request = created[name]
        for call, *args in calls:
            getattr(workflow, call)(officer, request.id, request.version_id, *args)
    payout = created["payout_cooling"]
    for officer, call, *args in ((maker, "start"), (maker, "confirm_identity", "Đối chiếu ảnh và căn cước tại quầy"),
                                 (maker, "propose_payout_change"), (checker, "approve_payout_change")):
        getattr(workflow, call)(officer, payout.id, payout.version_id, *args)
    workflow.record_delivery("EB100000002VN", "delivered")
    workflow.record_delivery("EB100000003VN", "returned")
    db.session.flush()
    return len(created)


def bulk(count, seed=7, batch=20_000):
    """Insert `count` open requests over the demo offices' departments, deadlines spread over the next weeks."""
    rng = random.Random(seed)
    offices = db.session.scalars(select(Office.id)).all()
    now = utcnow()
    kinds = list(ReissueType)
    done = 0
    first = db.session.scalar(select(func.count()).select_from(ReissueRequest))
    while done < count:
        rows = []
        for number in range(done, done + min(batch, count - done)):
            kind = rng.choice(kinds)
            received = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
            due = received + timedelta(days=rng.randrange(0, 30), hours=rng.randrange(0, 24))
            rows.append({"reference": f"B{first + number:09d}",  # bulk rows: a sequence, never an R reference
                         "kind": kind.value, "channel": "vssid_app", "state": ReissueState.received.value,
                         "office_id": rng.choice(offices), "department_code": catalogue.DEPARTMENTS[kind].value,
                         "social_insurance_number": f"{rng.randrange(10**9, 10**10)}", "full_name": "Người Thử Nghiệm",
                         "date_of_birth": date(1970, 1, 1), "phone": "0912000000", "payload": {}, "checks": [],
                         "failing_checks": 0, "result": {}, "data_change": False, "verification_needed": False,
                         "delivery_method": "pickup", "version_id": 1, "received_at": received, "updated_at": received,
                         "sla_days": 5, "legal_basis": catalogue.TRANSFER_BASIS, "clock_started_at": received,
                         "paused": False, "due_at": due, "due_soon_at": due - (due - received) / 4,
                         "queue_due_at": due or NO_DEADLINE, "flagged": False})
        db.session.execute(insert(ReissueRequest.__table__), rows)
        done += len(rows)
        yield done


