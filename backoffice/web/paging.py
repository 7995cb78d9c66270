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
