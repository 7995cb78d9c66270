"""Department queue pages kept while nothing in their office changed, for every worker.

A department's queue is read all day by each of its officers, and their pages are the same rows: the first page
of THU_SO_THE in office 00131 is the same list for the eight officers who open it. So a page of rows is kept in the
worker (a minute at most) under the **version of its office's cases** (services.platform.versions, shared by every
worker through Redis), and read again as soon as that version moves:

- a flush that adds, changes or deletes a case (the ORM: intake, claims, transitions, transfers) moves, when its
  transaction commits, the version of the case's office, and of the office it left when it moved;
- a statement on a case table run through the session (the deadline sweep's bulk claims, the demo's load) moves
  the version of every office for that case type;
- a request whose own transaction has written a case reads its pages fresh (what it wrote is not committed yet);
- without Redis, or if it does not answer, the page is read fresh: keeping is never a reason to show older rows.

Only the department queue's pages are kept (`queue.department_page` with a page's limit); "my cases", exports and
counts are always read fresh. Access is decided before a page is asked for: what is kept is the page, never who
may see it.
"""
import threading

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from backoffice.extensions import db
from backoffice.services.casework.registry import registered
from backoffice.services.platform import versions

SECONDS = 60  # the longest a page is kept
SIZE = 2048  # pages per worker (a page is 51 rows of 13 plain values)
VERSIONS = "casework-offices"  # versions.py's name for the offices' cases
ALL = "all"  # the key every office's pages also stand on (bulk statements)


@event.listens_for(Session, "after_flush")
def _note_cases(session, _context):
    """The offices whose cases this flush wrote: the case's office now and, for a moved case, the one it left (the
    history is still the flush's here, and the office id is set even when the office was given as an object)."""
    touched = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        case_type = registered(obj)
        if case_type is None:
            continue
        offices = {obj.office_id, *inspect(obj).attrs.office_id.history.deleted} - {None}
        touched.update(f"{case_type.name}:{office_id}" for office_id in offices or (ALL,))
    if touched:
        versions.note(VERSIONS, touched, session)


@event.listens_for(Session, "do_orm_execute")
def _note_statements(execute_state):
    """A statement on a case table run through the session (not a flush): every office of its case type."""
    if execute_state.is_insert or execute_state.is_update or execute_state.is_delete:
        case_type = registered(getattr(execute_state.statement, "table", None))
        if case_type is not None:
            versions.note(VERSIONS, (f"{case_type.name}:{ALL}",), execute_state.session)


class SharedRows(tuple):
    """A kept page's rows: the same object for every reader while it is kept (web.case_rows prints it once a
    minute per language, not once per view)."""

    __slots__ = ()


def page(name, office_id, key, read):
    """`read()`'s rows for a department queue page of case type `name` in `office_id`; `key` names the page (its
    department, filters, position and limit). Kept while the office's version stands."""
    session = db.session()
    if versions.written(VERSIONS) or any(registered(obj) for obj in (*session.new, *session.dirty)):
        return read()
    version = versions.current(VERSIONS, (f"{name}:{office_id}", f"{name}:{ALL}"))
    if version is None:
        return read()
    pages, lock = _pages()
    full_key = (name, office_id, version, key)
    with lock:
        rows = pages.get(full_key)
    if rows is None:
        rows = SharedRows(read())
        with lock:
            pages[full_key] = rows
    return rows


def _pages():
    pages = current_app.extensions.get("casework_pages")
    if pages is None:
        pages = current_app.extensions.setdefault("casework_pages", (TTLCache(SIZE, SECONDS), threading.Lock()))
    return pages
