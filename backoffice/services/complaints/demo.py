"""Demo data for complaints: every state at the demo offices 00131 and 00109, each consulting the other, so every
complaint screen has content for the demo logins; and `bulk(n)` complaints for benchmarks (DESIGN.md §10
`demo seed --complaints N`).

The demo complaints are worked through the real steps (workflow), so their timelines, clocks, drafts, consults and
letter numbers are what officers would leave. Their route is chosen here rather than by the router, so that the seed
is the same whatever model is installed.
"""
import random
from datetime import datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import func, insert, select, text

from backoffice.extensions import db
from backoffice.models import Complaint, ComplaintState, Department, DepartmentCode, Office, Officer, Role
from backoffice.models.base import utcnow
from backoffice.models.casework import NO_DEADLINE
from backoffice.services.casework import cases
from backoffice.services.complaints import answers, catalogue, intake, notices, workflow
from backoffice.services.complaints.routing import DEPARTMENT_OF
from backoffice.services.platform import calendar

S = ComplaintState
OFFICES = ("00131", "00109")  # each owns a full set and is consulted by the other
EMAIL_DOMAIN = "@example.vn"
RECEPTION_HEAD = "truongphong.tn"  # the head of the reception desk: the triage queue's owner
TEXTS = {
    "contribution_history": "Tôi đóng BHXH ở công ty cũ từ 2016 đến 2019 nhưng tra cứu trên VssID thì thiếu 14 tháng "
                            "năm 2018, công ty nói đã nộp đủ. Đề nghị kiểm tra và cập nhật quá trình đóng cho tôi.",
    "personal_info": "Ngày sinh trên sổ BHXH của tôi bị ghi sai thành 1985, đúng là 1958 như trên căn cước. Tôi "
                     "muốn được điều chỉnh thông tin để sau này làm chế độ hưu trí không bị vướng.",
    "health_card_info": "The BHYT cua con toi het han tu thang truoc ma chua thay gia han, ho gia dinh da dong tien "
                        "roi. Nho co quan kiem tra giup vi chau dang phai di kham thuong xuyen.",
    "benefits": "Tôi nghỉ thai sản từ tháng 3, hồ sơ công ty đã nộp hơn một tháng mà vẫn chưa nhận được tiền trợ "
                "cấp. Xin hỏi hồ sơ đang vướng ở đâu và khi nào được chi trả?",
    "medical_care": "Bệnh viện huyện yêu cầu tôi tự mua thuốc ngoài dù thuốc có trong danh mục BHYT. Đề nghị cơ quan "
                    "BHXH xem xét quyền lợi khám chữa bệnh của tôi.",
    "app_technical": "ung dung VssID ko dang nhap dc, bao sai mat khau du toi da doi 2 lan, ko nhan dc ma OTP. "
                     "Mong dc ho tro som.",
}
UNCLEAR = "Tôi có mấy việc muốn hỏi về bảo hiểm của mình và của mẹ tôi, gọi tổng đài mãi không được, nhờ hướng dẫn."


def _office(code):
    return db.session.scalar(select(Office).where(Office.code == code))


def _officer(username):
    return db.session.scalar(select(Officer).where(Officer.username == username))


def seed_officers(password_hash, codes=OFFICES):
    """The reception desk's head of each demo office (the triage queue's owner; idempotent); returns usernames."""
    names = []
    for code in codes:
        office = _office(code)
        if office is None:
            continue
        username = f"{RECEPTION_HEAD}.{code}"
        names.append(username)
        if _officer(username) is None:
            reception = db.session.scalar(select(Department).where(
                Department.office_id == office.id, Department.code == DepartmentCode.TIEP_NHAN))
            db.session.add(Officer(username=username, full_name=f"Trưởng bộ phận tiếp nhận {office.name}",
                                   role=Role.department_head, office=office, department=reception,
                                   password_hash=password_hash, must_change_password=False,
                                   email=f"{username}@vss.gov.vn"))
    db.session.flush()
    return names


class _Office:
    """One demo office's people and how its complaints are received and worked."""

    def __init__(self, code, other_code, people):
        self.code, self.other_code, self.people = code, other_code, people
        self.head = _officer(f"truongphong.{code}")
        self.officer = _officer(f"canbo.{code}")
        self.officer2 = _officer(f"canbo2.{code}")
        self.head_cs = _officer(f"truongphong.cs.{code}")
        self.officer_cs = _officer(f"canbo.cs.{code}")
        self.turn = 0

    def ready(self):
        return None not in (self.head, self.officer, self.officer2, self.head_cs, self.officer_cs)

    def receive(self, category, days_ago=0, triage=False, channel="vssid_app"):
        """A complaint received `days_ago` days back, routed to `category`'s department (or to triage)."""
        person = self.people[self.turn % len(self.people)]
        self.turn += 1
        data = {"text": UNCLEAR if triage else TEXTS[category], "topic": category, "full_name": person.full_name,
                "social_insurance_number": person.social_insurance_number, "phone": person.phone,
                "email": f"demo.{person.social_insurance_number}.{self.turn}{EMAIL_DOMAIN}", "office_code": self.code}
        complaint = Complaint(reference=intake.new_reference(), channel=channel, state=S.received, category=category,
                              route_confidence=0.41 if triage else 0.93,
                              department_code=catalogue.TRIAGE_DEPARTMENT if triage else DEPARTMENT_OF[category],
                              received_at=utcnow() - timedelta(days=days_ago), **intake.clean(data))
        cases.open_case(complaint, actor_label=channel)
        notices.status_changed(complaint, None)
        return complaint

    def head_of(self, complaint):
        return self.head_cs if complaint.department_code == DepartmentCode.CS_BHXH else self.head

    def assigned(self, category, officer, kind="petition", days_ago=0):
        complaint = self.receive(category, days_ago)
        head = self.head_of(complaint)
        workflow.accept(head, complaint.id, complaint.version_id, kind)
        return workflow.assign(head, complaint.id, officer.id)

    def answered(self, category, officer, kind="petition", days_ago=0, returned=False):
        complaint = self.assigned(category, officer, kind, days_ago)
        body = answers.fill(answers.templates_for(category)[0][2], complaint)
        workflow.submit_draft(officer, complaint.id, complaint.version_id, body)
        if returned:  # a second version after the head's comments: the case page shows the diff
            workflow.return_draft(self.head_of(complaint), complaint.id, complaint.version_id,
                                  "Bổ sung số tháng được cập nhật và thời điểm cập nhật trên VssID.")
            workflow.submit_draft(officer, complaint.id, complaint.version_id, body.replace(
                "Trân trọng", "Quá trình đóng đã được cập nhật đủ 14 tháng trên VssID từ ngày hôm nay.\nTrân trọng"))
        return complaint

    def approved(self, category, officer, days_ago=0):
        complaint = self.answered(category, officer, days_ago=days_ago)
        return workflow.approve(self.head_of(complaint), complaint.id, complaint.version_id)

    def closed(self, category, officer, days_ago=0):
        complaint = self.approved(category, officer, days_ago)
        return workflow.close(officer, complaint.id, complaint.version_id)


def _seed_office(office):
    """One office's complaints in every state; returns them by name."""
    made = {
        "received": office.receive("contribution_history"),
        "received_overdue": office.receive("personal_info", days_ago=22, channel="portal"),
        "received_benefits": office.receive("benefits", days_ago=9),
        "triage": office.receive("personal_info", triage=True),
        "triage_counter": office.receive("health_card_info", triage=True, channel="counter"),
    }
    accepted = office.receive("health_card_info", days_ago=3)
    made["accepted"] = workflow.accept(office.head, accepted.id, accepted.version_id, "petition")
    made["assigned"] = office.assigned("contribution_history", office.officer, days_ago=2)
    cases.add_note(office.officer, made["assigned"], "Đã gọi điện cho công ty cũ; kế toán hẹn gửi bảng kê trong tuần.")
    made["assigned_complaint"] = office.assigned("personal_info", office.officer2, kind="complaint", days_ago=5)
    made["assigned_benefits"] = office.assigned("benefits", office.officer_cs, days_ago=4)
    made["answered"] = office.answered("contribution_history", office.officer, kind="complaint", returned=True)
    made["answered_benefits"] = office.answered("benefits", office.officer_cs, days_ago=1)
    consulting = office.assigned("contribution_history", office.officer2, days_ago=1)
    workflow.open_consult(office.officer2, consulting.id, consulting.version_id, office.other_code,
                          DepartmentCode.THU_SO_THE.value, "Đề nghị xác nhận quá trình đóng BHXH năm 2018 của người "
                          "lao động tại đơn vị cũ thuộc địa bàn quý cơ quan quản lý.", 3)
    made["consulting"] = consulting
    made["approved"] = office.approved("contribution_history", office.officer, days_ago=6)
    made["closed"] = office.closed("health_card_info", office.officer2, days_ago=8)
    reopened = office.closed("contribution_history", office.officer, days_ago=12)
    made["reopened"] = workflow.reopen(reopened.reference, reopened.phone,
                                       "Tôi kiểm tra lại vẫn thấy thiếu 2 tháng năm 2018, đề nghị xem xét lại.")
    invalid = office.receive("personal_info", days_ago=2)
    made["rejected_as_invalid"] = workflow.reject_invalid(office.head, invalid.id, invalid.version_id, "NOT_REMIT",
                                                          body="Sở Lao động – Thương binh và Xã hội")
    return made


def seed_complaints(password_hash, people):
    """Complaints in every state at 00131 and 00109 from the demo `people` (register records), with consults between
    the two offices (skipped when the demo's exist). Returns the reception heads' usernames and how many were added."""
    names = seed_officers(password_hash)
    if db.session.scalar(select(Complaint.id).where(Complaint.email.like(f"demo.%{EMAIL_DOMAIN}")).limit(1)):
        return names, 0
    offices = [_Office(code, other, people) for code, other in zip(OFFICES, reversed(OFFICES))]
    if not all(office.ready() for office in offices):
        return names, 0
    made = [complaint for office in offices for complaint in _seed_office(office).values()]
    db.session.flush()
    for complaint in made:  # received as the intake records it, so the dashboards count their categories
        intake.record_received(complaint, triage=complaint.department_code == catalogue.TRIAGE_DEPARTMENT)
    db.session.flush()
    return names, len(made)


# --- bulk, for benchmarks --------------------------------------------------------------------------------------------

# (state, weight, where it stands): a working backlog, two thirds open. "triage" is a received complaint the router
# was unsure of.
BULK_STATES = (("received", 12), ("triage", 3), ("accepted", 10), ("assigned", 25), ("answered", 8),
               ("consulting", 4), ("approved", 3), ("reopened", 1), ("closed", 30), ("rejected_as_invalid", 4))
BULK_CATEGORIES = (("personal_info", 12), ("contribution_history", 22), ("health_card_info", 16), ("benefits", 25),
                   ("medical_care", 15), ("app_technical", 10))
WITH_ASSIGNEE = {"assigned", "answered", "consulting", "approved", "reopened", "closed"}
WITH_DRAFT = {"answered", "approved", "closed"}
BULK_COLUMNS = ("reference", "kind", "channel", "text", "topic_hint", "category", "route_confidence",
                "social_insurance_number", "full_name", "phone", "email", "complex", "confidential", "accepted_at",
                "invalid_code", "invalid_text", "answer_text", "approved_by_id", "reopen_count", "letter_number",
                "resume_state", "version_id", "office_id", "department_code", "state", "assignee_id", "received_at",
                "updated_at", "closed_at", "sla_days", "legal_basis", "clock_started_at", "paused", "due_at",
                "due_soon_at", "queue_due_at", "flagged")
BULK_ANSWER = "Cơ quan BHXH đã kiểm tra và cập nhật thông tin theo đề nghị của Ông/Bà. Trân trọng."
NAMES = [f"{s} {m} {g}" for s in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
         for m in ("Văn", "Thị", "Minh", "Thu", "Quốc") for g in ("An", "Bình", "Hà", "Lan", "Đức", "Mai", "Tuấn")]


@lru_cache(maxsize=4096)
def _due(local_day, late, days):
    start = datetime.combine(local_day, time(18) if late else time(9), calendar.BUSINESS_TZ)
    return calendar.add_working_days(start, days)


class _Pools:
    """Pre-drawn choices, so a million rows cost list lookups."""

    def __init__(self, rng):
        offices = db.session.execute(select(Office.id, Office.code).where(Office.code != "00001")).all()
        self.offices = [(o.id, o.code) for o in offices]
        self.workers, self.heads = {}, {}
        rows = db.session.execute(select(Officer.id, Officer.office_id, Officer.role, Department.code)
                                  .join(Department, Officer.department_id == Department.id)
                                  .where(Officer.role.in_(cases.CASE_WORKERS), Officer.active.is_(True))).all()
        for officer_id, office_id, role, department in rows:
            self.workers.setdefault((office_id, department), []).append(officer_id)
            if role == Role.department_head:
                self.heads.setdefault((office_id, department), officer_id)
        self.states = [s for s, weight in BULK_STATES for _ in range(weight)]
        self.categories = [c for c, weight in BULK_CATEGORIES for _ in range(weight)]
        self.rng = rng


def _bulk_row(pools, number, now):
    rng = pools.rng
    state, category = rng.choice(pools.states), rng.choice(pools.categories)
    office_id, office_code = rng.choice(pools.offices)
    triage = state == "triage"
    state = "received" if triage else state
    department = catalogue.TRIAGE_DEPARTMENT.value if triage else DEPARTMENT_OF[category]
    closed = state in ("closed", "rejected_as_invalid")
    received = now - timedelta(minutes=rng.randrange(60 * 24 * (60 if closed else 25)))
    kind = "" if state == "received" else ("complaint" if rng.random() < 0.2 else "petition")
    accepted = received + timedelta(hours=rng.randrange(2, 72)) if kind else None
    started = accepted if kind == "complaint" else received
    days = catalogue.resolve_days(False, False) if kind == "complaint" else catalogue.DEFAULT_PETITION_DAYS
    local = started.astimezone(calendar.BUSINESS_TZ)
    due = _due(local.date(), local.time() >= time(17), days)
    due_soon = started + (due - started) * 0.75
    paused = state == "consulting"
    workers = pools.workers.get((office_id, department), [])
    assignee = rng.choice(workers) if state in WITH_ASSIGNEE and workers else None
    head = pools.heads.get((office_id, department))
    answered = state in ("approved", "closed") and assignee is not None and head is not None
    updated = min(now, received + timedelta(hours=rng.randrange(1, 24 * 10))) if state != "received" else received
    invalid = "NOT_REMIT" if state == "rejected_as_invalid" else None
    sin = f"{rng.randrange(10**9, 10**10)}" if rng.random() < 0.7 else None
    return (f"B{number:09d}", kind, rng.choice(intake.CHANNELS), TEXTS[category], rng.choice((category, None)),
            category, rng.uniform(0.3, 0.6) if triage else rng.uniform(0.75, 0.99), sin, rng.choice(NAMES),
            f"09{rng.randrange(10**8):08d}", None, False, False, accepted, invalid,
            catalogue.citizen_wording(invalid, body="Sở Y tế") if invalid else None,
            BULK_ANSWER if answered else None, head if answered else None, 1 if state == "reopened" else 0,
            f"B{number}/{received.year}/TLPA-{office_code}" if answered else None,
            rng.choice(("assigned", "answered")) if paused else None, 1, office_id, department, state, assignee,
            received, updated, updated if closed else None, days, catalogue.COMPLAINT_BASIS if kind == "complaint"
            else catalogue.PETITION_BASIS if kind else catalogue.COMPLAINT_ACCEPT_BASIS, started, paused,
            None if paused or closed else due, None if paused or closed else due_soon,
            NO_DEADLINE if paused or closed else due, False)


def _copy(rows):
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY complaints ({', '.join(BULK_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _executemany(rows):
    db.session.execute(insert(Complaint.__table__), [dict(zip(BULK_COLUMNS, row)) for row in rows])


def _children(after_id, others):
    """The drafts of answered complaints and the consults of consulting ones (each to one of the `others` receiving
    offices, spread evenly), for rows inserted after `after_id`."""
    db.session.execute(text(
        "INSERT INTO complaint_drafts (complaint_id, version, body, author_id, created_at, status, reviewer_id) "
        "SELECT id, 1, :body, assignee_id, updated_at, "
        "CASE state WHEN 'answered' THEN 'submitted' ELSE 'approved' END, approved_by_id "
        "FROM complaints WHERE id > :after AND state IN ('answered', 'approved', 'closed') "
        "AND assignee_id IS NOT NULL AND (state = 'answered' OR approved_by_id IS NOT NULL)"),
        {"body": BULK_ANSWER, "after": after_id})
    db.session.execute(text(
        "INSERT INTO complaint_consults (complaint_id, office_id, department_code, question, opened_by_id, opened_at, "
        "due_at, files) SELECT c.id, (SELECT o.id FROM offices o WHERE o.id <> c.office_id AND o.code <> '00001' "
        "ORDER BY o.id OFFSET c.id % :others LIMIT 1), c.department_code, :question, c.assignee_id, c.updated_at, "
        "c.updated_at + interval '5 days', '[]' FROM complaints c "
        "WHERE c.id > :after AND c.state = 'consulting' AND c.assignee_id IS NOT NULL"),
        {"question": "Đề nghị xác nhận quá trình đóng của người lao động tại đơn vị thuộc địa bàn quý cơ quan.",
         "after": after_id, "others": max(1, others)})


def bulk(count, seed=11, batch=50_000):
    """Insert `count` complaints over the demo offices, departments and officers, in batches (yields the running
    count; the caller commits): states of a working backlog, deadlines from the kinds' clocks, drafts for the
    answered and consults for the consulting."""
    pools = _Pools(random.Random(seed))
    write = _copy if db.session.get_bind().dialect.name == "postgresql" else _executemany
    now = utcnow()
    first = db.session.scalar(select(func.count()).select_from(Complaint))
    done = 0
    while done < count:
        size = min(batch, count - done)
        after = db.session.scalar(select(func.coalesce(func.max(Complaint.id), 0)))
        write([_bulk_row(pools, first + number, now) for number in range(done, done + size)])
        _children(after, len(pools.offices) - 1)
        done += size
        yield done


def refresh_statistics():
    """VACUUM ANALYZE the complaint tables after a bulk load (run after the load committed)."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("complaints", "complaint_drafts", "complaint_consults"):
            connection.execute(text(f"{'VACUUM ANALYZE' if postgres else 'ANALYZE'} {table}"))
