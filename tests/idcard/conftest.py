"""Fixtures for the ID-card package: generated cards, cached for the whole session."""

import pytest

from backoffice.idcard.synth import make_sample


@pytest.fixture(scope="session")
def sample():
    """A factory of generated cards, each made once per test session."""
    cache = {}

    def make(doc_type: str, condition: str = "phone", seed: int = 0, turn: int = 0):
        key = (doc_type, condition, seed, turn)
        if key not in cache:
            cache[key] = make_sample(doc_type, condition, seed, turn)
        return cache[key]

    return make
