"""Synthetic citizens and declarations for the demo and for benchmarks.

* `seed_register_and_desk`: the participant register (synthetic people) and a handful of declarations
  at 00131 whose ID photos come from the synthetic card generator; they go through the same intake
  path as the API (photo checks, storage, audit, extraction job), so they reach the desk as `ready`.
* `bulk_batches`: N declarations spread over the demo offices and states, without photos, inserted in
  batches (PostgreSQL COPY; executemany elsewhere) so a million load in minutes.
"""
import base64
import io
import json
import random
import secrets
from datetime import date, datetime, timedelta, timezone

from PIL import Image, ImageDraw
from sqlalchemy import insert, select, text
from vietnam_provinces import ProvinceCode, Ward

from backoffice.extensions import db
from backoffice.idcard.idnumber import make_id12
from backoffice.idcard.provinces import OLD_PROVINCES
from backoffice.idcard.synth import draw, make_sample
from backoffice.idcard.synth.identity import GIVEN, MIDDLE, STREETS, SURNAMES, random_identity
from backoffice.models import (
    AccountStatus,
    Declaration,
    DeclarationKind,
    DeclarationState,
    DocumentKind,
    ETransactionAccount,
    Office,
    Officer,
    Participant,
    Role,
)
from backoffice.models.declaration import Channel
from backoffice.services.declarations import intake
from backoffice.services.declarations import reasons as rejection_reasons
from backoffice.services.declarations.payload import CleanDeclaration
from backoffice.services.platform import calendar

DESK_OFFICE = "00131"
REGISTER_SIZE = 200
# (kind, card type, photo condition, what differs from the card): a varied morning at the desk.
DESK_CASES = (
    (DeclarationKind.register, "cccd_chip", "clean", None),
    (DeclarationKind.register, "cccd_chip", "phone", None),
    (DeclarationKind.register, "can_cuoc", "clean", None),
    (DeclarationKind.register, "cccd_barcode", "rotation", "full_name"),
    (DeclarationKind.update, "cccd_chip", "blur", None),
    (DeclarationKind.register_child, "cccd_chip", "clean", None),
)
BULK_STATES = ((DeclarationState.ready, 55), (DeclarationState.approved, 20), (DeclarationState.rejected, 10),
               (DeclarationState.awaiting_citizen, 5), (DeclarationState.submitted, 10))
BULK_COLUMNS = ("reference", "kind", "state", "channel", "office_id", "submitted_at", "updated_at",
                "social_insurance_number", "full_name", "date_of_birth", "sex", "id_type", "id_number", "phone",
                "email", "province_code", "ward_code", "street", "checks", "failing_checks",
                "extraction_attempts", "decided_by_id", "decided_at", "rejection_code", "rejection_text",
                "awaiting_reason", "version_id")
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", intake.REFERENCE_ALPHABET)


def _sin(rng):
    return f"{rng.randrange(10**9, 10**10):010d}"


def _mobile(rng):
    return rng.choice(("091", "098", "097", "090", "093", "086", "032", "088")) + f"{rng.randrange(10**7):07d}"


def _title(name):
    return " ".join(part.capitalize() for part in name.split())


def _hanoi_ward(rng):
    return f"{rng.choice(list(Ward.iter_by_province(ProvinceCode(1)))).code.value:05d}"


def _office(code):
    return db.session.scalar(select(Office).where(Office.code == code))


def _portrait(rng):
    image = Image.new("RGB", (480, 640), (236, 240, 245))
    draw.portrait(ImageDraw.Draw(image), (40, 60, 440, 600), rng)
    return _jpeg(image)


def _birth_certificate(child_name, born):
    image = Image.new("RGB", (1240, 1754), (252, 250, 244))
    pen = ImageDraw.Draw(image)
    lines = (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 34), ("GIẤY KHAI SINH", 56),
             (f"Họ, chữ đệm, tên: {child_name}", 36),
             (f"Ngày, tháng, năm sinh: {born:%d/%m/%Y}", 36), ("Nơi sinh: Bệnh viện Phụ sản Hà Nội", 36))
    for row, (line, size) in enumerate(lines):
        pen.text((100, 120 + row * 110), line, font=draw.font("serif", size), fill=(30, 30, 30))
    return _jpeg(image)


def _jpeg(image):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _register(rng, office_ids):
    """Synthetic insured people, spread over the demo offices."""
    people = []
    for _ in range(REGISTER_SIZE):
        ident = random_identity(rng, rng.choice(("cccd_chip", "cccd_barcode", "can_cuoc")))
        people.append(Participant(social_insurance_number=_sin(rng), full_name=_title(ident.full_name),
                                  date_of_birth=ident.date_of_birth, sex=ident.sex, id_number=ident.id_number,
                                  phone=_mobile(rng), office_id=rng.choice(office_ids)))
    return people


def _clean(kind, office, person, phone, files, rng, guardian=None, **values):
    return CleanDeclaration(
        kind=kind, channel=Channel.vssid_app, office_id=office.id, phone=phone,
        email=f"demo.{person.social_insurance_number}@example.vn", province_code="01", ward_code=_hanoi_ward(rng),
        street=f"Số {rng.randint(1, 199)} {rng.choice(STREETS)}", guardian_social_insurance_number=guardian,
        documents=tuple(DocumentKind(name) for name in files), social_insurance_number=person.social_insurance_number,
        date_of_birth=person.date_of_birth, sex=person.sex, **values)


def _submit(clean, files):
    photos, errors = intake.check_photos(files)
    if errors:  # the generator makes valid photos; anything else is a bug worth stopping the seed for
        raise RuntimeError(f"synthetic photos refused: {sorted(errors)}")
    return intake.create(clean, photos, "demo")


def _adult_declaration(rng, office, case, seed):
    kind, card, condition, differs = case
    sample = make_sample(card, condition, seed)
    card_holder = sample.identity
    person = Participant(social_insurance_number=_sin(rng), full_name=_title(card_holder.full_name),
                         date_of_birth=card_holder.date_of_birth, sex=card_holder.sex,
                         id_number=card_holder.id_number, phone=_mobile(rng), office_id=office.id)
    db.session.add(person)
    declared_name = person.full_name
    if differs == "full_name":  # a typo the officer should catch
        declared_name = declared_name.rsplit(" ", 1)[0] + " " + rng.choice(GIVEN[person.sex])
    files = {"portrait": [_portrait(rng)], "id_front": [sample.front], "id_back": [sample.back]}
    id_type = "cmnd" if card == "cmnd" else "cccd"
    return _submit(_clean(kind, office, person, person.phone, files, rng, full_name=declared_name,
                          id_type=id_type, id_number=person.id_number), files)


def _child_declaration(rng, office, guardian):
    born = date(calendar.today().year - 7, 3, 2)
    child = Participant(social_insurance_number=_sin(rng), full_name=f"{guardian.full_name.split()[0]} Minh Khôi",
                        date_of_birth=born, sex="Nam", phone=guardian.phone, office_id=office.id)
    db.session.add(child)
    files = {"portrait": [_portrait(rng)], "birth_certificate": [_birth_certificate(child.full_name, born)]}
    return _submit(_clean(DeclarationKind.register_child, office, child, guardian.phone, files, rng,
                          guardian=guardian.social_insurance_number, full_name=child.full_name,
                          id_type=None, id_number=None), files)


def seed_register_and_desk(seed=2026):
    """Participants and the demo declarations at 00131 (idempotent); returns how many declarations were added."""
    office = _office(DESK_OFFICE)
    if db.session.scalar(select(Declaration.id).where(Declaration.office_id == office.id,
                                                      Declaration.email.like("demo.%@example.vn")).limit(1)):
        return 0
    rng = random.Random(seed)
    office_ids = db.session.scalars(select(Office.id).where(Office.code != "00001")).all()
    people = _register(rng, office_ids)
    guardian = people[0]  # already has an account; registers a child at the desk
    guardian.office_id = office.id
    db.session.add_all(people)
    db.session.add(ETransactionAccount(social_insurance_number=guardian.social_insurance_number,
                                       status=AccountStatus.active, phone=guardian.phone, email="",
                                       must_change_password=False))
    db.session.flush()
    for index, case in enumerate(DESK_CASES):
        if case[0] == DeclarationKind.register_child:
            _child_declaration(rng, office, guardian)
        else:
            _adult_declaration(rng, office, case, seed + index)
    return len(DESK_CASES)


class _BulkPools:
    """Pre-drawn values, so a million rows cost list lookups rather than fresh randomness each."""

    def __init__(self, rng):
        offices = db.session.execute(select(Office.id, Office.code).where(Office.code != "00001")).all()
        self.office_ids = [o.id for o in offices]
        self.officers = dict(db.session.execute(
            select(Officer.office_id, Officer.id).where(Officer.role == Role.reception_officer)).all())
        self.names = {sex: [f"{s} {m} {g}" for s in SURNAMES for m in MIDDLE[sex] for g in GIVEN[sex]]
                      for sex in ("Nam", "Nữ")}
        self.wards = [(f"{w.province_code.value:02d}", f"{w.code.value:05d}") for w in Ward.iter_all()]
        self.provinces = sorted(OLD_PROVINCES)
        self.states = [s for s, weight in BULK_STATES for _ in range(weight)]
        self.reasons = sorted(rejection_reasons.REASONS)
        self.rng = rng


def _reference():
    return base64.b32encode(secrets.token_bytes(7)).decode()[:10].translate(_CROCKFORD)


def _bulk_row(pools, now, references):
    rng = pools.rng
    sex = "Nam" if rng.random() < 0.5 else "Nữ"
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    state = rng.choice(pools.states)
    office_id = rng.choice(pools.office_ids)
    submitted = now - timedelta(seconds=rng.randrange(60 * 86400))
    decided = state in (DeclarationState.approved, DeclarationState.rejected)
    reference = _reference()
    while reference in references:
        reference = _reference()
    references.add(reference)
    province, ward = rng.choice(pools.wards)
    code = rng.choice(pools.reasons) if state == DeclarationState.rejected else None
    extracted = state not in (DeclarationState.submitted,)
    return (
        reference, DeclarationKind.register.value if rng.random() < 0.8 else DeclarationKind.update.value,
        state.value, Channel.vssid_app.value if rng.random() < 0.7 else Channel.portal.value, office_id,
        submitted, submitted + timedelta(minutes=rng.randrange(1, 600)) if decided else submitted,
        f"{rng.randrange(10**9, 10**10):010d}", rng.choice(pools.names[sex]), born, sex, "cccd",
        make_id12(rng.choice(pools.provinces), born, sex, rng.randrange(10**6)), _mobile(rng), None,
        province, ward, f"Số {rng.randint(1, 199)} {rng.choice(STREETS)}",
        [] if extracted else None, rng.choice((0, 0, 0, 1, 2)) if extracted else 0, 1 if extracted else 0,
        pools.officers.get(office_id) if decided else None,
        submitted + timedelta(minutes=rng.randrange(1, 600)) if decided else None,
        code, rejection_reasons.REASONS[code].citizen_text if code else None,
        "NO_SHOW" if state == DeclarationState.awaiting_citizen else None, 1,
    )


def _copy(rows):
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY declarations ({', '.join(BULK_COLUMNS)}) FROM STDIN") as copy:
            checks = BULK_COLUMNS.index("checks")
            for row in rows:
                row = list(row)
                row[checks] = None if row[checks] is None else json.dumps(row[checks])
                copy.write_row(row)


def _executemany(rows):
    db.session.execute(insert(Declaration.__table__), [dict(zip(BULK_COLUMNS, row)) for row in rows])


def bulk_batches(count, batch_size=50_000, seed=None):
    """Insert `count` declarations in batches; yields the running total after each (the caller commits)."""
    pools = _BulkPools(random.Random(seed))
    write = _copy if db.session.get_bind().dialect.name == "postgresql" else _executemany
    now = datetime.now(timezone.utc)
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        references = set()
        write([_bulk_row(pools, now, references) for _ in range(size)])
        done += size
        yield done


def refresh_statistics():
    """VACUUM ANALYZE the declarations after a bulk load (autovacuum would get there minutes later): the planner
    then uses the queue indexes, and the visibility map lets the capped count be an index-only scan.
    VACUUM runs outside a transaction, on its own autocommit connection: call it after the load committed."""
    statement = "VACUUM ANALYZE declarations" if db.engine.dialect.name == "postgresql" else "ANALYZE declarations"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
