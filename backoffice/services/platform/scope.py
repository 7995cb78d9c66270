"""Who may read and act on which object (DESIGN.md §3), decided here and nowhere else.

Every object an officer reaches by an id is a case (a declaration, later a reissue request or a complaint) or
belongs to one (a stored file, an outbox message). Access to an object is access to its case:

* read: the case's office lies in the officer's read scope, and the officer's role reads that case type;
* act: the case is readable, its office lies in the officer's act scope, and the role acts on that case type.

Scopes: an officer's own office; a supervisor's office and every office below it; a department head at the national
office reads the cases of their own subject in every office (theo dõi, đôn đốc) but acts in their own office only.

Outside the read scope an object does not exist (NotFound, answered as 404); inside it, a role that may not read or
act gets Forbidden (403). An object type with no rule is refused (fail closed). Nothing here calls Flask's abort():
backoffice/permissions.py turns these errors into HTTP answers.
"""
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Integer, select

from backoffice.extensions import db
from backoffice.models import (
    DepartmentCode,
    Office,
    OfficeLevel,
    OutboxMessage,
    Role,
    StoredFile,
)
from backoffice.services import Forbidden, NotFound

log = logging.getLogger(__name__)
DEPARTMENT_ROLES = frozenset({Role.department_officer, Role.department_head})
_URL_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LARGEST_ID = 2**63 - 1  # a bigint primary key; a larger number names no row (and would overflow the query)


@dataclass(frozen=True)
class CaseType:
    """The access rule of one case type: the roles that read it, the roles that act on it, and its subject.

    `files(stored_file_id)` is a query of the id of the case that owns a stored file, for case types with files.
    `reads(officer, case)` / `acts(officer, case)`, where given, are the domain's own finer rule (a department's
    subject, the destination office of a transfer) and replace the office-and-role rule; they are still asked here,
    so every object's access is decided through this module.
    """

    name: str
    model: type
    read: frozenset
    act: frozenset
    subject: DepartmentCode | None = None
    files: Callable | None = None
    reads: Callable | None = None
    acts: Callable | None = None


_case_types = {}  # name -> CaseType
_case_models = {}  # model -> name; the name is resolved at each check, so the rule in force is the registered one


def register_case_type(name, model, *, read, act, subject=None, files=None, reads=None, acts=None):
    """Declare a case type's access rule (each domain does this for its own cases, like its credential issuer)."""
    if not set(act) <= set(read):
        raise ValueError(f"{name}: a role that acts on a case must also read it")
    if Role.admin in read:
        raise ValueError(f"{name}: admins never read citizens' data")
    _case_types[name] = CaseType(name, model, frozenset(map(Role, read)), frozenset(map(Role, act)), subject, files,
                                 reads, acts)
    _case_models[model] = name


def case_types():
    """The registered case types by name (the permission test and docs/security.md walk them)."""
    return dict(_case_types)


def case_type(name):
    """The rule of a case type named in a URL; NotFound when no such case type exists."""
    rule = _case_types.get(name)
    if rule is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return rule


# Objects that belong to a case: how each one is found from the id in its URL, and which case owns it.
def _file_owner(stored):
    for rule in _case_types.values():
        case_id = db.session.scalar(rule.files(stored.id)) if rule.files else None
        if case_id is not None:
            return rule.name, case_id
    return None  # a file no case owns (an audit anchor, an orphan) is nobody's to open


def _message_owner(message):
    return message.case_type, message.case_id


_OWNED = {StoredFile: _file_owner, OutboxMessage: _message_owner}
# The column a URL names an object by, where it is not the primary key: file URLs carry the unguessable key.
_LOOKUP = {StoredFile: StoredFile.key}


def has_rule(model):
    """True when objects of `model` have an access rule (a case type, or owned by one)."""
    return model in _OWNED or model in _case_models


def _load(model, ident):
    column = _LOOKUP.get(model)
    if column is not None:
        # A key is URL-safe base64; anything else (a NUL, which PostgreSQL refuses outright) names no row.
        if not _URL_SAFE_KEY.fullmatch(str(ident)):
            return None
        return db.session.scalar(select(model).where(column == str(ident)))
    return _get_by_pk(model, ident)


def _get_by_pk(model, ident):
    [pk] = model.__mapper__.primary_key
    if isinstance(pk.type, Integer):
        text = str(ident)
        # An id from a URL: anything but a plain ASCII number in range names no row (and must not reach the query).
        if not (text.isascii() and text.isdigit()) or int(text) > _LARGEST_ID:
            return None
        ident = int(text)
    return db.session.get(model, ident)


def _case_of(obj):
    """(rule, case) of the case that owns `obj`: Forbidden for a type without a rule, NotFound for a missing case."""
    model = type(obj)
    if model in _case_models:
        return _case_types[_case_models[model]], obj
    owner = _OWNED.get(model)
    if owner is None:
        log.error("no access rule for %s: refused", model.__name__)
        raise Forbidden("Loại dữ liệu này chưa có quy tắc truy cập; không ai được mở.")
    found = owner(obj)
    if found is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    name, case_id = found
    rule = _case_types.get(name)
    if rule is None:
        log.error("no access rule for case type %r: refused", name)
        raise Forbidden("Loại hồ sơ này chưa có quy tắc truy cập; không ai được mở.")
    case = _get_by_pk(rule.model, case_id)
    if case is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return rule, case


def _national_subject_head(officer, subject):
    return (officer.role == Role.department_head and officer.office.level == OfficeLevel.national
            and subject is not None and officer.department is not None and officer.department.code == subject)


def read_office_ids(officer, subject=None):
    """A query of the ids of the offices whose cases (of `subject`) this officer may read.

    Own office; the subtree for a supervisor; every office for the national department head of `subject`.
    """
    if _national_subject_head(officer, subject):
        return select(Office.id)
    return act_office_ids(officer)


def act_office_ids(officer):
    """A query of the ids of the offices whose cases this officer may act on: own office, or a supervisor's subtree.

    A national department head reads nationwide but acts in their own office only ("read and urge").
    """
    if officer.role == Role.supervisor:
        return select(Office.id).where(Office.path.startswith(officer.office.path))
    return select(Office.id).where(Office.id == officer.office_id)


def office_readable(officer, office_id, subject=None):
    """True when cases of `office_id` (of `subject`) lie in the officer's read scope."""
    return _office_in(officer, read_office_ids(officer, subject), office_id)


def readable_offices(officer, subject=None):
    """The offices whose cases (of `subject`) the officer may read, by code."""
    return db.session.scalars(select(Office).where(Office.id.in_(read_office_ids(officer, subject)))
                              .order_by(Office.code)).all()


def _office_in(officer, offices, office_id):
    if office_id == officer.office_id:  # every scope holds the officer's own office: no query for the usual case
        return True
    return db.session.scalar(offices.where(Office.id == office_id)) is not None


def _role_may(officer, rule, roles):
    if officer.role not in roles:
        return False
    # A department's officers and head work on their own subject's cases only.
    if officer.role in DEPARTMENT_ROLES and rule.subject is not None:
        return officer.department is not None and officer.department.code == rule.subject
    return True


def check_read(officer, obj):
    """Return the case that owns `obj` if the officer may read it; NotFound outside the scope, Forbidden else."""
    rule, case = _case_of(obj)
    if rule.reads is not None:
        if officer.role not in rule.read or not rule.reads(officer, case):
            raise NotFound("Không tìm thấy hồ sơ trong phạm vi của bạn.")
        return case
    if not _office_in(officer, read_office_ids(officer, rule.subject), case.office_id):
        raise NotFound("Không tìm thấy hồ sơ trong phạm vi của bạn.")
    if not _role_may(officer, rule, rule.read):
        raise Forbidden("Vai trò của bạn không được xem loại hồ sơ này.")
    return case


def check_act(officer, obj):
    """Return the case that owns `obj` if the officer may act on it; NotFound outside the read scope, Forbidden else."""
    rule, case = _case_of(obj)
    check_read(officer, case)
    if rule.acts is not None:
        if officer.role not in rule.act or not rule.acts(officer, case):
            raise Forbidden("Bạn chỉ được theo dõi hồ sơ này, không được xử lý.")
        return case
    if not _role_may(officer, rule, rule.act) or not _office_in(officer, act_office_ids(officer), case.office_id):
        raise Forbidden("Bạn chỉ được theo dõi hồ sơ này, không được xử lý.")
    return case


def _passes(check, officer, obj):
    try:
        check(officer, obj)
    except (NotFound, Forbidden):
        return False
    return True


def can_read(officer, obj):
    """True when the officer may read `obj` (and the case that owns it)."""
    return _passes(check_read, officer, obj)


def can_act(officer, obj):
    """True when the officer may act on `obj` (and on the case that owns it)."""
    return _passes(check_act, officer, obj)


def _get(officer, model, ident, check):
    if not has_rule(model):
        log.error("no access rule for %s: refused", model.__name__)
        raise Forbidden("Loại dữ liệu này chưa có quy tắc truy cập; không ai được mở.")
    obj = _load(model, ident)
    if obj is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    check(officer, obj)
    return obj


def get_readable(officer, model, ident):
    """The object of `model` named by `ident` (its primary key, or a file's key) if the officer may read it."""
    return _get(officer, model, ident, check_read)


def get_actionable(officer, model, ident):
    """The object of `model` named by `ident` if the officer may act on it (and read it)."""
    return _get(officer, model, ident, check_act)


def get_readable_case(officer, case_type_name, case_id):
    """A case named by its type and id (as messages name it) if the officer may read it."""
    rule = case_type(case_type_name)
    return get_readable(officer, rule.model, case_id)
