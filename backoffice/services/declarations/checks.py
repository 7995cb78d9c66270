"""The checks shown to the reception officer, each pass | warn | fail with its evidence (DESIGN.md §4.1)."""

from sqlalchemy import select

from backoffice import idcard
from backoffice.extensions import db
from backoffice.idcard.idnumber import structure_problems
from backoffice.models import (
    AccountStatus,
    Declaration,
    DeclarationKind,
    DeclarationState,
    ETransactionAccount,
    Participant,
)
from backoffice.services.platform import calendar
from backoffice.services.platform.addresses import contact_address
from backoffice.web.catalogue import N_

PASS, WARN, FAIL = "pass", "warn", "fail"
OPEN_STATES = tuple(s for s in DeclarationState if s not in (DeclarationState.approved, DeclarationState.rejected))
MIN_IMAGE_WIDTH = 600
COMPARED_FIELDS = ("id_number", "full_name", "date_of_birth", "sex")


def _check(code, title, status, evidence):
    # the title is stored in Vietnamese, the catalogue's source language; screens translate it when shown
    return {"code": code, "title": title, "status": status, "evidence": evidence}


def _worst(statuses):
    return FAIL if FAIL in statuses else WARN if WARN in statuses else PASS


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def declared_identity(declaration):
    """The declared values compared with the ID card, by the card's field names.

    The contact address stands against the card's residence, compared through old 3-level and current 2-level
    names for the officer to see; it does not decide the check: people often live away from their registered
    address (COMPARED_FIELDS do).
    """
    declared = {f: getattr(declaration, f) for f in COMPARED_FIELDS}
    declared["date_of_birth"] = declaration.date_of_birth.isoformat()
    declared["place_of_residence"] = contact_address(declaration)
    return declared


def id_fields(declaration, extraction):
    """Declared identity against the fields read from the ID photos."""
    title = N_("Thông tin trên giấy tờ tùy thân")
    if declaration.kind == DeclarationKind.register_child:
        return _check("id_fields", title, PASS, {"note": "Trẻ em: đối chiếu giấy khai sinh bằng mắt."})
    if not extraction or not extraction.get("fields"):
        reason = (extraction or {}).get("error") or "Không đọc được thông tin nào từ ảnh giấy tờ."
        return _check("id_fields", title, FAIL, {"could_not_read": True, "reason": reason})
    result = idcard.compare(declared_identity(declaration), extraction)
    per_field = {field: r["status"] for field, r in result.items() if field in COMPARED_FIELDS}
    status = FAIL if "mismatch" in per_field.values() else (
        WARN if set(per_field.values()) - {"match"} else PASS)
    return _check("id_fields", title, status, {"fields": result})


def register_match(declaration):
    """Declared identity against the participant register."""
    title = N_("Đối chiếu sổ đăng ký người tham gia")
    person = db.session.scalar(
        select(Participant).where(Participant.social_insurance_number == declaration.social_insurance_number))
    if person is None:
        return _check("register", title, FAIL, {"reason": "Mã số BHXH không có trong cơ sở dữ liệu người tham gia."})
    compared = idcard.compare(
        {"full_name": declaration.full_name, "date_of_birth": declaration.date_of_birth.isoformat(),
         "sex": declaration.sex},
        {"full_name": person.full_name, "date_of_birth": person.date_of_birth.isoformat(), "sex": person.sex})
    statuses = {r["status"] for r in compared.values()}
    status = FAIL if "mismatch" in statuses else WARN if statuses - {"match"} else PASS
    return _check("register", title, status, {"fields": compared, "participant_id": person.id})


def _others(column, value, declaration):
    """Distinct mã số BHXH, other than the declared one, seen with the same value."""
    if not value:
        return []
    found = set(db.session.scalars(
        select(Declaration.social_insurance_number).where(column == value, Declaration.id != declaration.id)))
    if column is Declaration.id_number:
        found |= set(db.session.scalars(
            select(Participant.social_insurance_number).where(Participant.id_number == value)))
    if column is Declaration.phone:
        found |= set(db.session.scalars(select(Participant.social_insurance_number).where(Participant.phone == value)))
    return sorted(found - {declaration.social_insurance_number})


def duplicates(declaration):
    """Same mã số BHXH active or pending; same ID, phone or email under other mã số BHXH (takeover signal)."""
    evidence, statuses = {}, []
    account = db.session.scalar(select(ETransactionAccount).where(
        ETransactionAccount.social_insurance_number == declaration.social_insurance_number))
    if account and account.status == AccountStatus.active and declaration.kind in (
            DeclarationKind.register, DeclarationKind.register_child):
        evidence["active_account"] = True
        statuses.append(FAIL)
    pending = db.session.scalars(select(Declaration.reference).where(
        Declaration.social_insurance_number == declaration.social_insurance_number,
        Declaration.id != declaration.id, Declaration.state.in_(OPEN_STATES))).all()
    if pending:
        evidence["pending_references"] = pending
        statuses.append(WARN)
    for name, column, severity in (("same_id_number", Declaration.id_number, FAIL),
                                   ("same_phone", Declaration.phone, WARN),
                                   ("same_email", Declaration.email, WARN)):
        others = _others(column, getattr(declaration, column.key), declaration)
        if others:
            evidence[name] = others
            statuses.append(severity)
    return _check("duplicates", N_("Trùng lặp"), _worst(statuses), evidence)


def id_structure(declaration):
    """The 12-digit ID's province, century/sex and year digits against the declared birth date and sex."""
    title = N_("Cấu trúc số định danh")
    if declaration.id_type != "cccd" or not declaration.id_number:
        return _check("id_structure", title, PASS, {"note": "Không áp dụng cho loại giấy tờ này."})
    problems = structure_problems(declaration.id_number, declaration.date_of_birth, declaration.sex)
    return _check("id_structure", title, FAIL if problems else PASS, {"problems": problems})


def age_and_kind(declaration, today):
    """A child must be under 18 with a guardian holding an active account; an adult registers for themself."""
    title = N_("Tuổi và loại tờ khai")
    age = _age(declaration.date_of_birth, today)
    if declaration.kind == DeclarationKind.register_child:
        guardian = db.session.scalar(select(ETransactionAccount).where(
            ETransactionAccount.social_insurance_number == declaration.guardian_social_insurance_number))
        problems = []
        if age >= 18:
            problems.append("Người được đăng ký đã đủ 18 tuổi.")
        if guardian is None or guardian.status != AccountStatus.active:
            problems.append("Người giám hộ chưa có tài khoản giao dịch điện tử đang hoạt động.")
        return _check("age_kind", title, FAIL if problems else PASS, {"age": age, "problems": problems})
    problems = ["Người dưới 14 tuổi đăng ký qua người giám hộ."] if age < 14 else []
    return _check("age_kind", title, FAIL if problems else PASS, {"age": age, "problems": problems})


def image_quality(declaration, extraction):
    """Photos too small to read, or warnings from the extraction."""
    small = [d.kind.value for d in declaration.documents if d.width < MIN_IMAGE_WIDTH]
    warnings = list((extraction or {}).get("warnings", []))
    status = FAIL if small and not (extraction or {}).get("fields") else WARN if small or warnings else PASS
    return _check("image_quality", N_("Chất lượng ảnh"), status, {"too_small": small, "warnings": warnings})


def compute(declaration, today=None):
    """Every check for a declaration, in the order the officer reads them."""
    today = today or calendar.today()
    extraction = declaration.extraction
    return [id_fields(declaration, extraction), register_match(declaration), duplicates(declaration),
            id_structure(declaration), age_and_kind(declaration, today), image_quality(declaration, extraction)]


def failing(checks):
    """How many checks failed."""
    return sum(1 for c in checks if c["status"] == FAIL)

