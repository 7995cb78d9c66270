"""Keyset pages: a list fetches one row more than it shows, and the row it shows last is the next page's cursor.

No OFFSET and no exact count on list pages (DESIGN.md §11): a deep page costs what the first one does.
"""
from typing import Any, NamedTuple


class Page(NamedTuple):
    """The rows to show and the last one's cursor for "Xem thêm", or None on the last page."""

    rows: list
    next_cursor: Any


def page(rows, size, cursor=lambda row: row.id):
    """Split `rows`, fetched as `size + 1`, into the page and the cursor of the page after it."""
    if len(rows) > size:
        return Page(rows[:size], cursor(rows[size - 1]))
    return Page(rows, None)


CASE_CURSOR = ("after_due", "after_at", "after_id")


def case_cursor(args):
    """The casework queues' cursor from the query string: (queue_due_at, received_at, id), or None (first page or
    a cursor that does not parse)."""
    from datetime import datetime

    try:
        cursor = (datetime.fromisoformat(args["after_due"]), datetime.fromisoformat(args["after_at"]),
                  int(args["after_id"]))
    except (KeyError, ValueError, OverflowError):
        return None
    return cursor if 0 <= cursor[2] < 2**63 and str(args["after_id"]).isascii() else None


def case_next_args(rows, size, args):
    """The query string of the next page of a casework queue (the filters kept), or None on the last page."""
    if len(rows) <= size:
        return None
    last = rows[size - 1]
    kept = {k: v for k, v in args.items() if k not in CASE_CURSOR}
    return {**kept, "after_due": last.queue_due_at.isoformat(), "after_at": last.received_at.isoformat(),
            "after_id": last.id}
