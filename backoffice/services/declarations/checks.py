"""The checks shown to the reception officer, each pass | warn | fail with its evidence (DESIGN.md §4.1)."""
from datetime import date
from functools import cache

from sqlalchemy import or_, select
from sqlalchemy.orm.attributes import set_committed_value

from backoffice import idcard
from backoffice.extensions import db
from backoffice.idcard.idnumber import structure_problems
from backoffice.idcard.layout import PRINTED
from backoffice.models import (
    AccountStatus,
    Declaration,
    DeclarationKind,
    DeclarationState,
    DocumentKind,
    ETransactionAccount,
    Participant,
)
from backoffice.services.platform import audit, calendar, citizen_fields
from backoffice.services.platform.addresses import contact_address
from backoffice.web.catalogue import N_

PASS, WARN, FAIL = "pass", "warn", "fail"
OPEN_STATES = tuple(s for s in DeclarationState if s not in (DeclarationState.approved, DeclarationState.rejected))
# The shortest side a photo needs, by document: what phones send (VssID scales a selfie to 480×640; ID cards and
# birth certificates are shot at 1000 px and more). Below it the photo is worth a look; not above.
MIN_SHORT_SIDE = {DocumentKind.portrait: 480, DocumentKind.id_front: 600, DocumentKind.id_back: 600,
                  DocumentKind.birth_certificate: 600}
EXPIRED = "date_of_expiry: the card has expired"  # the ID-card package's warning; it fails id_fields instead
COMPARED_FIELDS = ("id_number", "full_name", "date_of_birth", "sex")


def _check(code, title, status, evidence):
    # the title is stored in Vietnamese, the catalogue's source language; screens translate it when shown
    return {"code": code, "title": title, "status": status, "evidence": evidence}


def _worst(statuses):
    return FAIL if FAIL in statuses else WARN if WARN in statuses else PASS


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


@cache
def printed_fields(document_type):
    """The fields a document type prints (every compared one when the type is unknown)."""
    fields = {field for (kind, _side), names in PRINTED.items() if kind == document_type for field in names}
    return frozenset(fields or COMPARED_FIELDS)


def _expired_on(extraction, today):
    """The card's expiry date when it has passed (from the fields read, or the package's own warning), else None."""
    value = ((extraction.get("fields") or {}).get("date_of_expiry") or {}).get("value")
    try:
        expiry = date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        expiry = None
    if expiry is not None and expiry < today:
        return expiry.isoformat()
    return "" if EXPIRED in (extraction.get("warnings") or []) else None


def id_fields(declaration, extraction, today=None):
    """Declared identity against the fields read from the ID photos; an expired card fails it."""
    title = N_("Thông tin trên giấy tờ tùy thân")
    if declaration.kind == DeclarationKind.register_child:
        return _check("id_fields", title, PASS, {"note": N_("Trẻ em: đối chiếu giấy khai sinh bằng mắt.")})
    if not extraction or not extraction.get("fields"):
        reason = (extraction or {}).get("error") or N_("Không đọc được thông tin nào từ ảnh giấy tờ.")
        return _check("id_fields", title, FAIL, {"could_not_read": True, "reason": reason})
    result = idcard.compare(declared_identity(declaration), extraction)
    printed = printed_fields(extraction.get("document_type"))
    # a field the card does not print (the old CMND has no sex) is no warning: there was nothing to read
    per_field = {field: r["status"] for field, r in result.items()
                 if field in COMPARED_FIELDS and not (r["status"] == "missing" and field not in printed)}
    mismatched = [field for field, status in per_field.items() if status == "mismatch"]
    expired = _expired_on(extraction, today or calendar.today())
    evidence = {"fields": result}
    if mismatched or expired is not None:
        reasons = []
        if mismatched:
            reasons.append(N_("Thông tin kê khai không khớp với ảnh giấy tờ."))
            evidence["mismatched"] = mismatched
        if expired is not None:
            reasons.append(N_("Giấy tờ tùy thân đã hết hạn."))
            evidence["expired_on"] = expired or None
        return _check("id_fields", title, FAIL, {"reasons": reasons, **evidence})
    status = WARN if set(per_field.values()) - {"match"} else PASS
    return _check("id_fields", title, status, evidence)


def register_match(declaration):
    """Declared identity against the participant register."""
    title = N_("Đối chiếu sổ đăng ký người tham gia")
    person = db.session.scalar(
        select(Participant).where(Participant.social_insurance_number == declaration.social_insurance_number))
    if person is None:
        return _check("register", title, FAIL,
                      {"reason": N_("Mã số BHXH không có trong cơ sở dữ liệu người tham gia.")})
    compared = idcard.compare(
        {"full_name": declaration.full_name, "date_of_birth": declaration.date_of_birth.isoformat(),
         "sex": declaration.sex},
        {"full_name": person.full_name, "date_of_birth": person.date_of_birth.isoformat(), "sex": person.sex})
    statuses = {r["status"] for r in compared.values()}
    status = FAIL if "mismatch" in statuses else WARN if statuses - {"match"} else PASS
    evidence = {"fields": compared, "participant_id": person.id}
    if status == FAIL:
        evidence["reason"] = N_("Thông tin kê khai khác sổ đăng ký người tham gia.")
        evidence["mismatched"] = [field for field, r in compared.items() if r["status"] == "mismatch"]
    return _check("register", title, status, evidence)


def _others(column, value, declaration, expected=()):
    """Distinct mã số BHXH, other than the declared one (and those `expected` to share it), seen with the same
    value."""
    if not value:
        return []
    found = set(db.session.scalars(
        select(Declaration.social_insurance_number).where(column == value, Declaration.id != declaration.id)))
    if column is Declaration.id_number:
        found |= set(db.session.scalars(
            select(Participant.social_insurance_number).where(Participant.id_number == value)))
    if column is Declaration.phone:
        found |= set(db.session.scalars(select(Participant.social_insurance_number).where(Participant.phone == value)))
    return sorted(found - {declaration.social_insurance_number, *expected})


def _family(declaration):
    """Who may rightly share a child's phone and email: the guardian, and the guardian's other children."""
    if declaration.kind != DeclarationKind.register_child or not declaration.guardian_social_insurance_number:
        return set()
    guardian = declaration.guardian_social_insurance_number
    children = db.session.scalars(select(Declaration.social_insurance_number).where(
        Declaration.guardian_social_insurance_number == guardian))
    return {guardian, *children}


def duplicates(declaration):
    """Same mã số BHXH active or pending; same ID, phone or email under other mã số BHXH (takeover signal).

    A child's declaration carries the guardian's phone and email: the guardian (and their other children) sharing
    them is expected, not a takeover signal."""
    evidence, statuses, reasons = {}, [], []
    account = db.session.scalar(select(ETransactionAccount).where(
        ETransactionAccount.social_insurance_number == declaration.social_insurance_number))
    if account and account.status == AccountStatus.active and declaration.kind in (
            DeclarationKind.register, DeclarationKind.register_child):
        evidence["active_account"] = True
        statuses.append(FAIL)
        reasons.append(N_("Mã số BHXH này đã có tài khoản giao dịch điện tử đang hoạt động."))
    pending = db.session.scalars(select(Declaration.reference).where(
        Declaration.social_insurance_number == declaration.social_insurance_number,
        Declaration.id != declaration.id, Declaration.state.in_(OPEN_STATES)).order_by(Declaration.reference)).all()
    if pending:
        evidence["pending_references"] = pending
        statuses.append(WARN)
    family = _family(declaration)
    for name, column, severity in (("same_id_number", Declaration.id_number, FAIL),
                                   ("same_phone", Declaration.phone, WARN),
                                   ("same_email", Declaration.email, WARN)):
        others = _others(column, getattr(declaration, column.key), declaration,
                         family if name != "same_id_number" else ())
        if others:
            evidence[name] = others
            statuses.append(severity)
            if severity == FAIL:
                reasons.append(N_("Số định danh này đã được dùng với mã số BHXH khác."))
    if reasons:
        evidence["reasons"] = reasons
    return _check("duplicates", N_("Trùng lặp"), _worst(statuses), evidence)


def id_structure(declaration):
    """The 12-digit ID's province, century/sex and year digits against the declared birth date and sex."""
    title = N_("Cấu trúc số định danh")
    if declaration.id_type != "cccd" or not declaration.id_number:
        return _check("id_structure", title, PASS, {"note": N_("Không áp dụng cho loại giấy tờ này.")})
    problems = structure_problems(declaration.id_number, declaration.date_of_birth, declaration.sex)
    return _check("id_structure", title, FAIL if problems else PASS, {"problems": problems})


def age_and_kind(declaration, today):
    """A child must be under 18 with a guardian holding an active account; an adult registers for themself."""
    title = N_("Tuổi và loại tờ khai")
    age = citizen_fields.age(declaration.date_of_birth, today)
    if declaration.kind == DeclarationKind.register_child:
        guardian = db.session.scalar(select(ETransactionAccount).where(
            ETransactionAccount.social_insurance_number == declaration.guardian_social_insurance_number))
        problems = []
        if age >= 18:
            problems.append(N_("Người được đăng ký đã đủ 18 tuổi."))
        if guardian is None or guardian.status != AccountStatus.active:
            problems.append(N_("Người giám hộ chưa có tài khoản giao dịch điện tử đang hoạt động."))
        return _check("age_kind", title, FAIL if problems else PASS, {"age": age, "problems": problems})
    problems = [N_("Người dưới 14 tuổi đăng ký qua người giám hộ.")] if age < 14 else []
    return _check("age_kind", title, FAIL if problems else PASS, {"age": age, "problems": problems})


def image_quality(declaration, extraction):
    """Photos too small to read (by each document's own threshold), or warnings from the extraction (the expiry is
    the ID check's: it fails there)."""
    small = [d.kind.value for d in declaration.documents
             if min(d.width, d.height) < MIN_SHORT_SIDE.get(d.kind, MIN_SHORT_SIDE[DocumentKind.id_front])]
    warnings = [w for w in (extraction or {}).get("warnings", []) if w != EXPIRED]
    unreadable = small and not (extraction or {}).get("fields")
    status = FAIL if unreadable else WARN if small or warnings else PASS
    evidence = {"too_small": small, "warnings": warnings}
    if unreadable:
        evidence["reason"] = N_("Ảnh quá nhỏ, không đọc được thông tin.")
    return _check("image_quality", N_("Chất lượng ảnh"), status, evidence)


def compute(declaration, today=None):
    """Every check for a declaration, in the order the officer reads them."""
    today = today or calendar.today()
    extraction = declaration.extraction
    return [id_fields(declaration, extraction, today), register_match(declaration), duplicates(declaration),
            id_structure(declaration), age_and_kind(declaration, today), image_quality(declaration, extraction)]


def failing(checks):
    """How many checks failed."""
    return sum(1 for c in checks if c["status"] == FAIL)


# Checks that depend on other records (other declarations, accounts, the register): recomputed when the case is
# opened and when another declaration of the same person or phone arrives, so none says "Đạt" out of date.
FRESH = ("register", "duplicates", "age_kind")
REFRESHABLE = (DeclarationState.ready, DeclarationState.in_review, DeclarationState.awaiting_citizen,
               DeclarationState.awaiting_second_approval)
RELATED_LIMIT = 50


def refresh(declaration, today=None):
    """Recompute the record-dependent checks of an undecided, checked declaration; True when they changed.

    Stored by a Core UPDATE of the checks alone: fresher evidence is no edit of the case, so the version an
    officer's form carries stays valid (a decision reads the stored failing count again when it is made)."""
    if declaration.state not in REFRESHABLE or not declaration.checks:
        return False
    today = today or calendar.today()
    fresh = {"register": register_match, "duplicates": duplicates,
             "age_kind": lambda d: age_and_kind(d, today)}
    checks = [fresh[c["code"]](declaration) if c["code"] in fresh else c for c in declaration.checks]
    if checks == declaration.checks:
        return False
    count = failing(checks)
    table = Declaration.__table__
    db.session.connection().execute(table.update().where(table.c.id == declaration.id)
                                    .values(checks=checks, failing_checks=count, updated_at=table.c.updated_at))
    set_committed_value(declaration, "checks", checks)
    set_committed_value(declaration, "failing_checks", count)
    audit.record("declaration_checks_refreshed", actor_label="system", object_type="declaration",
                 object_id=declaration.id, office_id=declaration.office_id, details={"failing_checks": count})
    return True


def refresh_related(declaration, today=None):
    """Refresh the checks of the undecided declarations sharing this one's mã số BHXH, ID number, phone or email
    (a new arrival can make them duplicates). Returns how many changed."""
    same = [Declaration.social_insurance_number == declaration.social_insurance_number,
            Declaration.phone == declaration.phone]
    same += [Declaration.id_number == declaration.id_number] if declaration.id_number else []
    same += [Declaration.email == declaration.email] if declaration.email else []
    related = db.session.scalars(select(Declaration).where(
        or_(*same), Declaration.id != declaration.id, Declaration.state.in_(REFRESHABLE))
        .order_by(Declaration.id).limit(RELATED_LIMIT)).all()
    return sum(refresh(other, today) for other in related)

