"""Fixtures of the complaint-routing tests: a small corpus cut from the real one, and a clean model cache."""
import json

import pytest

from backoffice.services.complaints import routing
from backoffice.services.complaints.dataset import is_held_out, load_corpus

# A few authors of each side of the fixed split, enough to train in seconds.
SMALL_AUTHORS = 4
PER_AUTHOR = 50


@pytest.fixture(autouse=True)
def fresh_router_cache():
    """Each test loads its own routers; none leaks into the next test."""
    routing.forget()
    yield
    routing.forget()


def _spread(items, count):
    """`count` items taken evenly through the list (an author's lines may be grouped by category)."""
    step = max(1, len(items) // count)
    return items[::step][:count]


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory):
    """A JSONL corpus of PER_AUTHOR texts from the first training authors and the first held-out author."""
    by_author = {}
    for example in load_corpus():
        by_author.setdefault(example.author, []).append(example)
    train = [a for a in sorted(by_author) if not is_held_out(a)][:SMALL_AUTHORS]
    test = [a for a in sorted(by_author) if is_held_out(a)][:1]
    path = tmp_path_factory.mktemp("corpus") / "small.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for author in train + test:
            for e in _spread(by_author[author], PER_AUTHOR):
                handle.write(json.dumps({"author": e.author, "text": e.text, "hint": e.hint,
                                         "category": e.category}, ensure_ascii=False) + "\n")
    return path
