"""The case types the casework core serves; each domain registers its own (reissue requests, complaints).

The core never imports a domain: a domain describes its case table, states and deadline rule here, once, at import.
"""
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Deadline:
    """A case's allowance: working days (0 = the same working day) and the law or rule that sets them."""

    working_days: int
    basis: str


@dataclass(frozen=True)
class CaseType:
    """How the core handles one kind of case.

    `transitions` maps a state to the states it may move to; `paused_states` stop the clock (awaiting the citizen
    or another office); `closed_states` end the case; entering a `restart_states` state starts a new clock (a
    deadline that the law counts from that step, e.g. a complaint's resolution from its acceptance). `deadline(case)`
    gives the case's Deadline in its current state; `link(case)` the path of its page, for internal emails;
    `label(case)` how an email names it (reference and kind); `queue_link(office_id, department_code)` the path of a
    department's queue (the digest of many cases links there).
    """

    name: str
    model: Any
    transitions: dict
    paused_states: frozenset
    closed_states: frozenset
    takeable_states: frozenset
    deadline: Callable
    link: Callable
    label: Callable
    restart_states: frozenset = field(default_factory=frozenset)
    queue_link: Callable = lambda office_id, department_code: "/"  # a department queue's path, for digests


CASE_TYPES: dict[str, CaseType] = {}


def register(case_type):
    """Declare a case type (each domain does this for its own)."""
    CASE_TYPES[case_type.name] = case_type
    return case_type


def registered(obj_or_table):
    """The registered CaseType of a case object or of its table (by name), or None for anything else."""
    name = getattr(obj_or_table, "name", None) if not hasattr(obj_or_table, "_sa_instance_state") else None
    for case_type in CASE_TYPES.values():
        if isinstance(obj_or_table, case_type.model) or (name and name == case_type.model.__table__.name):
            return case_type
    return None


def case_type_of(case):
    """The registered CaseType of a case object."""
    case_type = registered(case)
    if case_type is None:
        raise LookupError(f"{type(case).__name__} is not a registered case type")
    return case_type
