"""Short-lived memos of small reads that every page of a list repeats (a department's officers, a menu's count).

The casework queues are read all day by every officer of a department, and each page used to repeat two small
queries whose answers change a few times a day: the department's officers (the assignee filter) and the consults
waiting (the menu's figure). A memo keeps such an answer for a few seconds in the worker process:

- it belongs to the app (``app.extensions``), so a new app (each test) starts empty;
- it is emptied in this process as soon as a flush writes one of the models it was read from, so the worker that
  made a change shows it on its next page;
- other workers see a change within the memo's time to live (seconds): the rule of the reads memoised here is that
  such a delay is harmless (an officer added, a consult answered). Reads that decide access or act on a case are
  never memoised.
"""
import threading

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_MEMOS = []


class Memo:
    """`memo.get(key, load)`: `load()`'s answer for `key`, kept `seconds` and dropped when `models` are flushed."""

    def __init__(self, name, seconds, models, size=4096):
        self.name, self.seconds, self.models, self.size = name, seconds, tuple(models), size
        _MEMOS.append(self)

    def _store(self):
        memos = current_app.extensions.get("memos")
        if memos is None:
            memos = current_app.extensions.setdefault("memos", {})
        store = memos.get(self.name)
        if store is None:
            store = memos.setdefault(self.name, (TTLCache(self.size, self.seconds), threading.Lock()))
        return store

    def get(self, key, load):
        cache, lock = self._store()
        with lock:
            try:
                return cache[key]
            except KeyError:
                pass
        value = load()
        with lock:
            cache[key] = value
        return value

    def clear(self):
        cache, lock = self._store()
        with lock:
            cache.clear()


@event.listens_for(Session, "after_flush")
def _forget_written(session, _context):
    """Empty the memos read from a model this flush wrote (new, changed or deleted rows), and again at the commit:
    another thread of this process may have read the old rows in between."""
    written = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    if not written:
        return
    for memo in _MEMOS:
        if any(issubclass(kind, memo.models) for kind in written):
            memo.clear()
            session.info.setdefault("memos_written", set()).add(memo)


@event.listens_for(Session, "after_commit")
def _forget_committed(session):
    for memo in session.info.pop("memos_written", ()):
        memo.clear()


@event.listens_for(Session, "after_rollback")
def _nothing_committed(session):
    session.info.pop("memos_written", None)
