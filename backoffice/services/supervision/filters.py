"""The filters every supervision list shares (page and export alike), and their conditions."""
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from backoffice.models import Office
from backoffice.services.platform.calendar import BUSINESS_TZ


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

    def to_json(self):
        """The filters as JSON values (an export job keeps them)."""
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, values):
        """The filters back from `to_json`."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: date.fromisoformat(v) if k.startswith("date_") and v else v
                      for k, v in (values or {}).items() if k in known})


def narrowed(query, moment_column, office_column, filters):
    """The query limited to the filters' Vietnam dates (on a moment column) and office subtree."""
    if filters.date_from:
        query = query.where(moment_column >= datetime.combine(filters.date_from, time.min, BUSINESS_TZ))
    if filters.date_to:
        query = query.where(moment_column < datetime.combine(filters.date_to + timedelta(days=1), time.min,
                                                             BUSINESS_TZ))
    if filters.office_id:
        query = query.where(office_column.in_(subtree_of(filters.office_id)))
    return query


def subtree_of(office_id):
    """A select of the ids of an office and every office below it."""
    path = select(Office.path).where(Office.id == office_id).scalar_subquery()
    return select(Office.id).where(Office.path.startswith(path))
