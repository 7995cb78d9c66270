"""The rows of a casework list (a department queue, "my cases"), computed in one pass for reissue requests and
complaints alike.

hot path: as the desk's queue_rows (docs/benchmarks.md, "Queue rows: escaping"). A call made from a template row
costs several times more, and a page has 50 rows; so the labels are plain strings built once per language, the
row link is one `url_for` per page, each row is unpacked as a tuple (named access on a result row costs about a
microsecond per attribute), and the values are made ready to print here (the citizen's text escaped per row, the
labels once per language): the row templates print them as they are.
"""
import threading
from html import escape as html_escape

from cachetools import TTLCache
from flask import url_for
from flask_babel import get_locale

from backoffice.services.casework import queue, shared_pages, sla
from backoffice.services.platform import calendar
from backoffice.web.i18n import local_time, plain

_SENTINEL_ID = 918273645

assert queue.LIST_COLUMNS == ("id", "reference", "kind", "full_name", "state", "assignee_id", "received_at", "due_at",
                              "due_soon_at", "queue_due_at", "paused", "closed_at", "flagged")


def _escaped(table):
    """A label table as plain strings, escaped, in this request's language (built once per language)."""
    key = ("escaped", id(table), str(get_locale()))
    if key not in _ESCAPED:
        _ESCAPED[key] = {value: html_escape(label) for value, label in plain(table).items()}
    return _ESCAPED[key]


_ESCAPED = {}


# A department queue's page kept for its readers (shared_pages.SharedRows) is printed once a minute per language and
# list, not once per view: the badges are then at most a minute old, the precision of the times they sit beside.
_PRINTED = TTLCache(512, 60)
_PRINTED_LOCK = threading.Lock()


def list_rows(rows, endpoint, id_arg, kind_labels, state_labels):
    """The first PAGE_SIZE of `rows` (a list reads one more, to know whether another page follows), printed by
    `printed_rows`; a kept page's printed rows are reused within the minute."""
    if not isinstance(rows, shared_pages.SharedRows):
        return printed_rows(rows[:queue.PAGE_SIZE], endpoint, id_arg, kind_labels, state_labels)
    now = calendar.now()
    key = (id(rows), endpoint, str(get_locale()), now.replace(second=0, microsecond=0))
    with _PRINTED_LOCK:
        kept = _PRINTED.get(key)
    if kept is not None and kept[0] is rows:
        return kept[1]
    shown = printed_rows(rows[:queue.PAGE_SIZE], endpoint, id_arg, kind_labels, state_labels, now)
    with _PRINTED_LOCK:
        _PRINTED[key] = (rows, shown)
    return shown


def printed_rows(rows, endpoint, id_arg, kind_labels, state_labels, now=None):
    """Each row of `queue.LIST_COLUMNS` as (link, reference, flag, kind, name, state, received, deadline, badge
    class, badge label), ready to print: the citizen's text and the reference escaped per row, the labels escaped
    once per language, the link, the times and the badge class made of digits and our own words. The label tables
    name the case type's kinds and states; a row without a kind (a complaint not yet accepted) or without a name
    shows a dash."""
    kinds, states, dues = _escaped(kind_labels), _escaped(state_labels), _escaped(sla.DUE_LABELS)
    link = url_for(endpoint, **{id_arg: _SENTINEL_ID}).replace(str(_SENTINEL_ID), "{}")
    now = now or calendar.now()
    shown = []
    for (row_id, reference, kind, full_name, state, _assignee, received_at, due_at, due_soon_at, _queue_due, paused,
         closed_at, flagged) in rows:
        due = sla.status_of(closed_at, paused, due_at, due_soon_at, now)
        shown.append((link.format(row_id), html_escape(reference), "!" if flagged else "",
                      (kinds.get(kind) or html_escape(kind)) if kind else "—",
                      html_escape(full_name) if full_name else "—", states.get(state) or html_escape(state),
                      local_time(received_at),
                      local_time(due_at) if due_at else "—", due, dues[due]))
    return shown
