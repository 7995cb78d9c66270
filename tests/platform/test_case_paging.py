"""The casework queues' keyset cursor: read back from the query string, kept filters, last page, bad cursors."""
from datetime import UTC, datetime
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from backoffice.web.paging import case_cursor, case_next_args


def _row(i):
    return SimpleNamespace(id=i, queue_due_at=datetime(2027, 1, 1 + i % 28, tzinfo=UTC),
                           received_at=datetime(2026, 12, 1, tzinfo=UTC))


def test_the_next_page_keeps_the_filters_and_its_cursor_reads_back():
    rows = [_row(i) for i in range(1, 5)]
    args = {"state": "accepted", "after_id": "1", "after_due": "x", "after_at": "y"}
    following = case_next_args(rows, 3, args)
    assert following["state"] == "accepted" and following["after_id"] == 3
    assert case_cursor({k: str(v) for k, v in following.items()}) == (rows[2].queue_due_at, rows[2].received_at, 3)
    assert case_next_args(rows, 4, args) is None  # the last page


@given(st.dictionaries(st.sampled_from(["after_due", "after_at", "after_id", "q"]), st.text(max_size=40)))
def test_any_cursor_is_a_tuple_or_none(args):
    cursor = case_cursor(args)
    assert cursor is None or (len(cursor) == 3 and isinstance(cursor[2], int))


def test_an_id_out_of_the_bigint_range_is_no_cursor():
    args = {"after_due": "2027-01-01T00:00:00+00:00", "after_at": "2026-12-01T00:00:00+00:00"}
    assert case_cursor({**args, "after_id": str(2**63)}) is None
    assert case_cursor({**args, "after_id": "-1"}) is None
    assert case_cursor({**args, "after_id": "12"})[2] == 12
