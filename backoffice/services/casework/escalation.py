"""The deadline sweep: cases past 75% of their time are marked due soon, past 100% escalated (DESIGN.md §6).

Escalation flags the case and emails the department's head and the office's supervisor through the outbox
(the `officer_notice` event). Idempotent: each step claims its rows with UPDATE ... WHERE warned_at / escalated_at
IS NULL over a SKIP LOCKED batch, so a second run, or two sweeps at once, never warn or escalate a case twice. The
rows are found through partial indexes that hold only the cases still to be warned or escalated.
"""
from flask import current_app
from sqlalchemy import select, text, update

from backoffice.extensions import db
from backoffice.models import Department, Office, Officer, Role
from backoffice.models.base import utcnow
from backoffice.models.casework import TO_ESCALATE, TO_WARN, CaseEvent, CaseEventKind
from backoffice.services import notifications
from backoffice.services.casework.registry import CASE_TYPES
from backoffice.services.platform import audit

BATCH = 500


def _claim(model, column, predicate, moment_column, now, limit, extra=None):
    table = model.__table__
    chosen = (select(table.c.id).where(text(predicate), table.c[moment_column] <= now)
              .order_by(table.c[moment_column]).limit(limit).with_for_update(skip_locked=True).scalar_subquery())
    values = {column: now, **(extra or {})}
    rows = db.session.execute(update(table).where(table.c.id.in_(chosen)).values(**values)
                              .returning(table.c.id), execution_options={"synchronize_session": False}).scalars().all()
    return rows


def _events(case_type, ids, kind, now):
    if ids:
        db.session.execute(CaseEvent.__table__.insert(), [
            {"case_type": case_type.name, "case_id": case_id, "kind": kind.value, "at": now, "actor_label": "system",
             "text": "", "details": {}} for case_id in ids])


def recipients(office_id, department_code):
    """Who hears of an escalation: the department's head(s) and the office's supervisor (or the nearest above)."""
    heads = db.session.scalars(select(Officer).join(Department, Officer.department_id == Department.id).where(
        Officer.office_id == office_id, Officer.role == Role.department_head, Department.code == department_code,
        Officer.active.is_(True))).all()
    office = db.session.get(Office, office_id)
    supervisors = []
    while office is not None and not supervisors:
        supervisors = db.session.scalars(select(Officer).where(
            Officer.office_id == office.id, Officer.role == Role.supervisor, Officer.active.is_(True))).all()
        office = office.parent
    return [officer for officer in (*heads, *supervisors) if officer.email]


def _link(path):
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + path


def _tell(officer, case_type, group, title, body):
    """One email to an officer about the cases of a group: a case's own message when it is one case (shown on its
    page), else one digest listing them all (a sweep over a backlog must not send thousands of emails)."""
    first = group[0]
    labels = [case_type.label(case) for case in group]
    if len(group) == 1:
        key, link = (case_type.name, first.id), _link(case_type.link(first))
        text = f"Hồ sơ {labels[0]} {body}"
    else:
        key = (f"{case_type.name}_digest", f"{first.office_id}-{first.department_code}")
        link = _link(case_type.queue_link(first.office_id, first.department_code))
        text = f"{len(group)} hồ sơ {body}\n" + "\n".join(labels)
    notifications.notify("officer_notice", case_type=key[0], case_id=key[1], office_id=first.office_id,
                         email=officer.email, context={"officer_name": officer.full_name, "title": title,
                                                       "body": text, "link": link})


def _escalate(case_type, escalated):
    groups = {}
    for case in escalated:
        groups.setdefault((case.office_id, case.department_code), []).append(case)
    for (office_id, department_code), group in groups.items():
        for officer in recipients(office_id, department_code):
            _tell(officer, case_type, group, f"Hồ sơ quá hạn xử lý ({len(group)})",
                  "đã hết thời hạn xử lý. Đề nghị kiểm tra và chỉ đạo xử lý ngay.")
    if escalated:  # one entry per batch: each case's own escalation is on its timeline (case_events)
        audit.record(f"{case_type.name}_escalated", actor_label="system", object_type=case_type.name,
                     object_id=f"batch:{escalated[0].id}",
                     details={"ids": [case.id for case in escalated], "count": len(escalated)})


def _warn(case_type, warned):
    groups = {}
    for case in warned:
        if case.assignee_id is not None:
            groups.setdefault(case.assignee_id, []).append(case)
    for assignee_id, group in groups.items():
        assignee = db.session.get(Officer, assignee_id)
        if assignee is not None and assignee.email:
            _tell(assignee, case_type, group, f"Hồ sơ sắp đến hạn ({len(group)})", "đã dùng 75% thời hạn xử lý.")


def _load(model, ids):
    return db.session.scalars(select(model).where(model.id.in_(ids)).order_by(model.id)).all() if ids else []


def sweep_batch(now=None, limit=BATCH):
    """Warn and escalate at most `limit` cases of each type and step; returns how many were handled (0: done)."""
    now = now or utcnow()
    handled = 0
    for case_type in CASE_TYPES.values():
        model = case_type.model
        warned = _claim(model, "warned_at", TO_WARN, "due_soon_at", now, limit)
        _events(case_type, warned, CaseEventKind.warning, now)
        escalated = _claim(model, "escalated_at", TO_ESCALATE, "due_at", now, limit, {"flagged": True})
        _events(case_type, escalated, CaseEventKind.escalation, now)
        _warn(case_type, _load(model, warned))
        _escalate(case_type, _load(model, escalated))
        handled += len(warned) + len(escalated)
    db.session.flush()
    return handled


def acknowledge(head, case):
    """The head has seen an escalated case: the flag goes, the escalation stays recorded."""
    case.flagged = False
    audit.record("case_escalation_acknowledged", actor=head, object_type=type(case).__tablename__, object_id=case.id,
                 office_id=case.office_id)
