"""Department queues and "my cases": open cases by deadline, then age, in keyset pages."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, func, literal, select, tuple_

from backoffice.extensions import db
from backoffice.services.casework import shared_pages
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


# What a list row carries: plain rows, not ORM objects (no JSON columns decoded, no identity map: lists are the hot
# path). A case table has `reference` and `full_name` besides the casework columns.
LIST_COLUMNS = ("id", "reference", "kind", "full_name", "state", "assignee_id", "received_at", "due_at", "due_soon_at",
                "queue_due_at", "paused", "closed_at", "flagged")

# The pages' statements, built once per shape (which filters are set, first page or not) with the values bound at
# run time: building and keying a statement costs about as much as running it, and a queue is read on every view.
_STATEMENTS = {}


def _statement(model, owner, filters, after):
    shape = (model, owner, bool(filters.kind), bool(filters.state),
             "none" if filters.assignee == UNASSIGNED else bool(filters.assignee), filters.due_by is not None,
             after is not None)
    if shape not in _STATEMENTS:
        _STATEMENTS[shape] = _build(*shape)
    return _STATEMENTS[shape]


def _build(model, owner, kind, state, assignee, due_by, after):
    columns = model.__table__.c
    query = select(*(columns[name] for name in LIST_COLUMNS)).where(model.closed_at.is_(None))
    if owner == "department":
        query = query.where(model.office_id == bindparam("office_id"),
                            model.department_code == bindparam("department_code"))
    else:
        query = query.where(model.assignee_id == bindparam("officer_id"))
    if kind:
        query = query.where(model.kind == bindparam("kind"))
    if state:
        query = query.where(model.state == bindparam("state"))
    if assignee == "none":
        query = query.where(model.assignee_id.is_(None))
    elif assignee:
        query = query.where(model.assignee_id == bindparam("assignee_id"))
    if due_by:
        query = query.where(model.queue_due_at < bindparam("due_before"))
    if after:  # a row-value comparison, so the index scan starts at the key
        query = query.where(tuple_(model.queue_due_at, model.received_at, model.id)
                            > tuple_(bindparam("after_due"), bindparam("after_at"), bindparam("after_id")))
    return query.order_by(model.queue_due_at, model.received_at, model.id).limit(bindparam("limit"))


def _values(values, filters):
    if filters.kind:
        values["kind"] = filters.kind
    if filters.state:
        values["state"] = filters.state
    if filters.assignee and filters.assignee != UNASSIGNED:
        values["assignee_id"] = int(filters.assignee)
    if filters.due_by:
        values["due_before"] = due_before(filters.due_by)
    return values


def _run(model, owner, values, filters, after, limit):
    values = _values(values, filters)
    if after:
        values["after_due"], values["after_at"], values["after_id"] = after
    values["limit"] = limit
    # Core rows through the session's connection: the ORM's execution layer adds nothing to a select of columns.
    return db.session.connection().execute(_statement(model, owner, filters, after), values).all()


def department_page(case_type, office_id, department_code, filters, after=None, limit=PAGE_SIZE):
    """One page of a department's open cases, due first; `after` is (queue_due_at, received_at, id) of the last row.
    A page of at most PAGE_SIZE + 1 rows is shared by the department's readers while its office's cases stand
    (shared_pages); longer reads (exports) are read fresh."""
    def read():
        return _run(case_type.model, "department", {"office_id": office_id, "department_code": department_code},
                    filters, after, limit)

    if limit > PAGE_SIZE + 1:
        return read()
    key = (department_code, filters.kind, filters.state, filters.assignee, filters.due_by, after, limit)
    return shared_pages.page(case_type.name, office_id, key, read)


def department_count(case_type, office_id, department_code, filters, cap):
    """How many open cases the department's queue holds under these filters, counted up to `cap`."""
    values = _values({"office_id": office_id, "department_code": department_code, "limit": cap}, filters)
    rows = _statement(case_type.model, "department", filters, None).subquery()
    return db.session.connection().execute(select(func.count()).select_from(rows), values).scalar_one()


def my_page(case_type, officer, after=None, limit=PAGE_SIZE):
    """One page of the officer's own open cases, due first."""
    return _run(case_type.model, "mine", {"officer_id": officer.id}, QueueFilters(), after, limit)


def due_before(day):
    """The moment a "due by `day`" filter stops at: the start of the next Vietnam day."""
    return datetime.combine(day + timedelta(days=1), time.min, BUSINESS_TZ)


WORK_CAP = 1000  # the home page says "1000+" beyond: a count stops there, whatever the backlog


@dataclass(frozen=True)
class WorkCounts:
    """What waits, for the home page: each figure is the number of rows of the list it links to (capped)."""

    mine: int  # the officer's open cases ("my cases")
    mine_due: int  # of the department's queue, assigned to the officer and due by the end of the day
    unassigned: int  # of the department's queue, assigned to nobody
    due: int  # of the department's queue, due by the end of the day


_WORK_STATEMENTS = {}


def _capped(model, *where):
    rows = select(literal(1)).where(model.closed_at.is_(None), *where).limit(WORK_CAP + 1).subquery()
    return select(func.count()).select_from(rows).scalar_subquery()


def _work_statement(model):
    if model not in _WORK_STATEMENTS:
        here = (model.office_id == bindparam("office_id"), model.department_code == bindparam("department_code"))
        due = model.queue_due_at < bindparam("due_before")
        _WORK_STATEMENTS[model] = select(
            _capped(model, model.assignee_id == bindparam("officer_id")),
            _capped(model, *here, model.assignee_id == bindparam("officer_id"), due),
            _capped(model, *here, model.assignee_id.is_(None)),
            _capped(model, *here, due))
    return _WORK_STATEMENTS[model]


def work_counts(case_type, officer, department_code, day):
    """The home page's figures for one case type, in one round trip; each stops at WORK_CAP + 1. `day` is the
    officer's today (the lists' "due by" filter counts to its end)."""
    values = {"officer_id": officer.id, "office_id": officer.office_id, "department_code": department_code,
              "due_before": due_before(day)}
    return WorkCounts(*db.session.connection().execute(_work_statement(case_type.model), values).one())


def page_key(case):
    """The keyset position of a row, for the next page's `after`."""
    return case.queue_due_at, case.received_at, case.id
