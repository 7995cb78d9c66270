"""One card's independent readings shared between threads (parallel.each)."""

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.idcard import parallel
from backoffice.idcard.pipeline import extract


@pytest.fixture
def two_threads(monkeypatch):
    monkeypatch.setenv("IDCARD_THREADS", "2")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(), max_size=12))
def test_results_keep_the_items_order(items):
    assert parallel.each(lambda n: n * 3 + 1, items) == [n * 3 + 1 for n in items]


def test_two_items_run_at_once_on_two_threads(two_threads):
    both_started = threading.Barrier(2, timeout=5)

    def meet(item):
        both_started.wait()  # breaks (raises) unless the other item runs at the same time
        return threading.current_thread().name

    names = parallel.each(meet, ["front", "back"])
    assert len(set(names)) == 2
    assert threading.current_thread().name in names  # the caller works too, it does not just wait


def test_one_thread_when_told(monkeypatch):
    monkeypatch.setenv("IDCARD_THREADS", "1")
    names = parallel.each(lambda _: threading.current_thread().name, range(3))
    assert names == [threading.current_thread().name] * 3


@pytest.mark.parametrize("setting", ["0", "-1", "two", ""])
def test_a_bad_setting_falls_back_to_the_cores(monkeypatch, setting):
    monkeypatch.setenv("IDCARD_THREADS", setting)
    assert 1 <= parallel.threads() <= 2


def test_an_error_is_raised_after_the_other_items_finish(two_threads):
    finished = []

    def work(item):
        if item == "bad":
            raise ValueError("unreadable")
        time.sleep(0.05)
        finished.append(item)
        return item

    with pytest.raises(ValueError, match="unreadable"):
        parallel.each(work, ["bad", "slow", "slower"])
    assert sorted(finished) == ["slow", "slower"]


def test_a_call_inside_a_helper_does_not_wait_for_the_pool(two_threads):
    """Nested use runs in the helper's own thread: with two threads, a pool waiting on itself would hang."""
    def outer(item):
        return parallel.each(lambda n: (n, threading.current_thread().name), [item, item + 1])

    results = parallel.each(outer, [0, 10, 20])
    assert [[n for n, _ in pairs] for pairs in results] == [[0, 1], [10, 11], [20, 21]]
    helped = [pairs for pairs in results if any(name.startswith("idcard") for _, name in pairs)]
    for pairs in helped:  # an outer item a helper ran: both its inner items in that helper
        assert len({name for _, name in pairs}) == 1


def test_a_card_reads_the_same_on_one_thread_and_on_two(monkeypatch, sample):
    card = sample("cccd_barcode", "phone", 3)
    monkeypatch.setenv("IDCARD_THREADS", "1")
    alone = extract(card.front, card.back)
    monkeypatch.setenv("IDCARD_THREADS", "2")
    shared = extract(card.front, card.back)
    assert alone["fields"] == shared["fields"]
    assert alone["warnings"] == shared["warnings"]
    assert alone["fields"]["id_number"]["value"] == card.identity.id_number
