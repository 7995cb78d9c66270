"""Independent readings of one card run at once, on the machine's cores.

A card's two sides are found and read apart, and each field box is read in three looks
(fields.LOOKS) that do not depend on each other. Tesseract and OpenCV release the GIL while they
work, so threads shorten one card's wall time (issue 19: ≤ 1.5 s for `idcard extract`) without
adding CPU: the same work is done, on two cores instead of one.

`IDCARD_THREADS` sets how many threads may read one card (default: the cores this process may
use, at most 2; `1` reads everything in the calling thread). An extraction worker that already
runs one process per core gains nothing from more and may set it to 1.

Each thread keeps its own Tesseract engines (ocr._local), so the helper threads live in one pool
for the life of the process and load their models once. A call made from a helper thread runs in
that thread: nothing waits for a pool it is itself holding.
"""

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_MAX_DEFAULT = 2
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
_inside = threading.local()


def threads() -> int:
    """How many threads may read one card (`IDCARD_THREADS`, else the usable cores, at most 2)."""
    configured = os.environ.get("IDCARD_THREADS", "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return int(configured)
    return max(1, min(_MAX_DEFAULT, len(os.sched_getaffinity(0))))


def _helpers(count: int) -> ThreadPoolExecutor:
    """The helper pool, made again larger if the setting rose (the old one's idle threads end with it)."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < count:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="idcard", initializer=_mark_helper)
            _pool_size = count
        return _pool


def _mark_helper():
    _inside.helper = True


def each(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[work(item) for item in items]`, the items shared between the calling thread and helpers.

    Results keep the items' order; the first exception raised is raised here, after every
    started item has finished.
    """
    items = list(items)
    helpers = min(threads(), len(items)) - 1
    if helpers < 1 or getattr(_inside, "helper", False):
        return [work(item) for item in items]
    results: list = [None] * len(items)
    queue = iter(range(len(items)))
    lock = threading.Lock()

    def drain():
        while True:
            with lock:
                index = next(queue, None)
            if index is None:
                return
            results[index] = work(items[index])

    futures = [_helpers(helpers).submit(drain) for _ in range(helpers)]
    try:
        drain()
    finally:
        errors = [f.exception() for f in futures]
    error = next((e for e in errors if e is not None), None)
    if error is not None:
        raise error
    return results
