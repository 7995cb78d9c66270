"""The filters every supervision list shares (page and export alike), and their conditions."""
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from backoffice.models import Office
from backoffice.services.platform.calendar import BUSINESS_TZ

DATE_FIELDS = ("date_from", "date_to", "due_by")


@dataclass
class ListFilters:
    """What a supervisor narrowed a list to (all optional); each list reads the fields it has."""

    date_from: date | None = None
    date_to: date | None = None
    office_id: int | None = None
    outcome: str = ""
    officer: str = ""
    action: str = ""
    object_type: str = ""
    reference: str = ""
    status: str = ""
    rule: str = ""
    sample_id: int | None = None
    case_type: str = ""  # a registered source's case type
    department: str = ""  # a department code: the department a decision or a receipt counts in
    reason: str = ""  # a rejection's reason code
    failing: bool = False  # approvals over a failing check only
    category: str = ""  # a complaint category (ANY_CATEGORY: complaints by their category, whichever)
    triage: bool = False  # complaints the classifier sent to triage only
    office_only: bool = False  # the office itself, not its subtree (an office's own row on a dashboard)
    case_kind: str = ""  # a department queue's filters (its export): the case's kind, state, assignee, due by a day
    state: str = ""
    assignee: str = ""
    due_by: date | None = None
    bucket: str = ""  # the open cases' age bucket (dashboard backlog) or deadline status (overdue, due soon)
    deadline: str = ""

    def to_json(self):
        """The filters as JSON values (an export job keeps them)."""
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, values):
        """The filters back from `to_json`."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: date.fromisoformat(v) if k in DATE_FIELDS and v else v
                      for k, v in (values or {}).items() if k in known})


def narrowed(query, moment_column, office_column, filters):
    """The query limited to the filters' Vietnam dates (on a moment column) and office subtree."""
    if filters.date_from:
        query = query.where(moment_column >= datetime.combine(filters.date_from, time.min, BUSINESS_TZ))
    if filters.date_to:
        query = query.where(moment_column < datetime.combine(filters.date_to + timedelta(days=1), time.min,
                                                             BUSINESS_TZ))
    if filters.office_id and filters.office_only:
        query = query.where(office_column == filters.office_id)
    elif filters.office_id:
        query = query.where(office_column.in_(subtree_of(filters.office_id)))
    return query


def subtree_of(office_id):
    """A select of the ids of an office and every office below it."""
    path = select(Office.path).where(Office.id == office_id).scalar_subquery()
    return select(Office.id).where(Office.path.startswith(path))
