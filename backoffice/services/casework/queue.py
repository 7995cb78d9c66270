"""Department queues and "my cases": open cases by deadline, then age, in keyset pages."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, tuple_

from backoffice.extensions import db
from backoffice.services.platform.calendar import BUSINESS_TZ

PAGE_SIZE = 50
UNASSIGNED = "none"


@dataclass
class QueueFilters:
    """What the officer narrowed the queue to: kind, state, assignee (an id or "none") and due on or before a day."""

    kind: str = ""
    state: str = ""
    assignee: str = ""
    due_by: date | None = None


def _filtered(model, query, filters):
    if filters.kind:
        query = query.where(model.kind == filters.kind)
    if filters.state:
        query = query.where(model.state == filters.state)
    if filters.assignee == UNASSIGNED:
        query = query.where(model.assignee_id.is_(None))
    elif filters.assignee:
        query = query.where(model.assignee_id == int(filters.assignee))
    if filters.due_by:
        query = query.where(model.queue_due_at < datetime.combine(filters.due_by + timedelta(days=1), time.min,
                                                                     BUSINESS_TZ))
    return query


# What a list row carries: plain rows, not ORM objects (no JSON columns decoded, no identity map: lists are the hot
# path). A case table has `reference` and `full_name` besides the casework columns.
LIST_COLUMNS = ("id", "reference", "kind", "full_name", "state", "assignee_id", "received_at", "due_at", "due_soon_at",
                "queue_due_at", "paused", "closed_at", "flagged")


def _page(model, query, after, limit):
    if after:  # a row-value comparison, so the index scan starts at the key
        query = query.where(tuple_(model.queue_due_at, model.received_at, model.id) > tuple_(*after))
    query = query.with_only_columns(*(model.__table__.c[name] for name in LIST_COLUMNS))
    return db.session.execute(query.order_by(model.queue_due_at, model.received_at, model.id).limit(limit)).all()


def department_page(case_type, office_id, department_code, filters, after=None, limit=PAGE_SIZE):
    """One page of a department's open cases, due first; `after` is (queue_due_at, received_at, id) of the last row."""
    model = case_type.model
    query = select(model).where(model.office_id == office_id, model.department_code == department_code,
                                model.closed_at.is_(None))
    return _page(model, _filtered(model, query, filters), after, limit)


def my_page(case_type, officer, after=None, limit=PAGE_SIZE):
    """One page of the officer's own open cases, due first."""
    model = case_type.model
    query = select(model).where(model.assignee_id == officer.id, model.closed_at.is_(None))
    return _page(model, query, after, limit)


def page_key(case):
    """The keyset position of a row, for the next page's `after`."""
    return case.queue_due_at, case.received_at, case.id
