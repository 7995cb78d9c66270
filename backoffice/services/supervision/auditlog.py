"""The audit log for supervisors: filters, keyset pages, entries in words, and the chain's last check."""
from sqlalchemy import or_, select

from backoffice.extensions import db
from backoffice.jobs import enqueue
from backoffice.models import AuditEntry, Officer
from backoffice.models.base import utcnow
from backoffice.models.supervision import SupervisionMark
from backoffice.services.platform import audit
from backoffice.services.supervision import reach as scope_reach
from backoffice.services.supervision.filters import narrowed
from backoffice.services.supervision.labels import (
    ACTION_LABELS,
    ASSIGNMENT_LABELS,
    DETAIL_LABELS,
    KEY_WORDS,
    KIND_WORDS,
    OFFICER_KEYS,
    REASON_KEYS,
    REASON_LABELS,
    RULE_LABELS,
    STATE_KEYS,
    VALUE_WORDS,
    action_label,
)
from backoffice.services.supervision.rollups import mark
from backoffice.services.supervision.sources import SOURCES

PAGE_SIZE = 50
VERIFY_MARK = "audit_verify"
VERIFY_JOB = "backoffice.tasks.supervision.verify_audit_chain"


def query(officer, filters):
    """The log's entries in the supervisor's subtree matching the filters (unordered)."""
    offices = scope_reach.subtree_office_ids(officer)
    scoped = AuditEntry.office_id.in_(offices)
    if scope_reach.national(officer):
        scoped = or_(scoped, AuditEntry.office_id.is_(None))  # system entries belong to the whole tree
    found = select(AuditEntry).where(scoped)
    found = narrowed(found, AuditEntry.at, AuditEntry.office_id, filters)
    if filters.officer:
        found = found.where(AuditEntry.actor == filters.officer.strip().lower())
    if filters.action:
        found = found.where(AuditEntry.action == filters.action)
    if filters.object_type:
        found = found.where(AuditEntry.object_type == filters.object_type)
    if filters.reference:
        cases = [(source.case_type, source.by_reference(filters.reference)) for source in SOURCES.values()]
        cases = [(t, i) for t, i in cases if i is not None]
        found = found.where(or_(*[(AuditEntry.object_type == t) & (AuditEntry.object_id == str(i)) for t, i in cases])
                            if cases else AuditEntry.id.is_(None))
    return found


def page(officer, filters, after=None, limit=PAGE_SIZE):
    """One keyset page of the log, newest first; `after` is the last id shown."""
    found = query(officer, filters)
    if after:
        found = found.where(AuditEntry.id < after)
    return db.session.scalars(found.order_by(AuditEntry.id.desc()).limit(limit)).all()


def _value(value):
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return f"{len(value)}" if value and isinstance(value[0], dict) else ", ".join(map(str, value))
    if isinstance(value, bool | str) and value in VALUE_WORDS:
        return str(VALUE_WORDS[value])
    return str(value)


def _officer_name(officer_id):
    officer = db.session.get(Officer, officer_id) if isinstance(officer_id, int) else None
    return f"{officer.full_name} ({officer.username})" if officer else str(officer_id)


def _detail_value(entry, key, value):
    """A detail's value in words: states by the entry's case type, officers by name, codes by their labels."""
    source = SOURCES.get(entry.object_type)
    words = None
    if key in OFFICER_KEYS or (key in ("from", "to") and entry.action.endswith("_assigned")):
        return _officer_name(value)
    if key in STATE_KEYS and source is not None:
        words = source.state_labels
    elif key in REASON_KEYS:
        words = REASON_LABELS.get(entry.object_type, {})
    elif key == "kind":
        words = KIND_WORDS.get(entry.object_type, {})
    elif key == "rule":
        words = RULE_LABELS
    else:
        words = KEY_WORDS.get(key)
    if words is not None:
        if isinstance(value, list):
            return ", ".join(str(words.get(item, item)) for item in value)
        if isinstance(value, str) and value in words:
            return str(words[value])
    return _value(value)


def in_words(entry):
    """(what happened, [(label, value)]) of an entry, in the reader's language; before and after values where the
    entry has them. Empty details are left out."""
    details = []
    for key, value in (entry.details or {}).items():
        if value is None or value == "" or value == []:
            continue
        if key == "checks_seen":
            failing = sum(1 for check in value or [] if check.get("status") == "fail")
            details.append((str(DETAIL_LABELS.get("checks_seen", "checks")), f"{len(value or [])} / {failing}"))
            continue
        assigned = entry.action.endswith("_assigned") and key in ASSIGNMENT_LABELS
        label = ASSIGNMENT_LABELS[key] if assigned else DETAIL_LABELS.get(key, key)
        details.append((str(label), _detail_value(entry, key, value)))
    return action_label(entry.action), details


def action_choices():
    """(action, label) pairs for the filter."""
    return sorted(((action, str(label)) for action, label in ACTION_LABELS.items()), key=lambda pair: pair[1])


def request_verify(officer):
    """Ask for a walk of the chain now (a job: a long log takes a while); audited."""
    audit.record("audit_verify_requested", actor=officer, office_id=officer.office_id)
    enqueue(VERIFY_JOB)


def verify_and_record():
    """Walk the chain now and keep the outcome for the audit page (a job does it; the page only reads it)."""
    result = audit.verify()
    row = mark(VERIFY_MARK)
    row.value, row.at = result.checked, utcnow()
    row.details = {"ok": result.ok, "bad_entry_id": result.bad_entry_id, "reason": result.reason}
    db.session.flush()
    return result


def chain_status():
    """The last verification (or None) and the last anchor entry (or None)."""
    checked = db.session.get(SupervisionMark, VERIFY_MARK)
    anchor = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "audit_anchored")
                               .order_by(AuditEntry.id.desc()).limit(1))
    return checked, anchor


def actor_names(entries):
    """{officer id: full name} of the entries' actors."""
    ids = {entry.actor_id for entry in entries if entry.actor_id}
    return dict(db.session.execute(select(Officer.id, Officer.full_name).where(Officer.id.in_(ids))).all())
