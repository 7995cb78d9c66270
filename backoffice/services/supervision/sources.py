"""The registry of decision sources: how supervision reads each case domain without the domain knowing it.

Each case domain (declarations today; reissue requests and complaints when they land) is read through an adapter
module in this package that registers a `DecisionSource` here (see `declaration_source`). Supervision imports the
domains; no domain imports supervision. Sampling, flags, rollups, the access report and the audit log ask the
registry, so a new domain plugs in with one adapter and one `register_source(...)` line in `__init__`.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, case, cast, exists, false, true

from backoffice.models import AuditEntry


@dataclass(frozen=True)
class Decision:
    """One decision as supervision sees it, built from its audit entry and the case."""

    case_type: str
    case_id: int
    audit_entry_id: int
    office_id: int
    department: str
    officer_id: int  # who decided (the maker of an approval that needed a second officer)
    checker_id: int | None
    outcome: str  # "approved" or "rejected"
    decided_at: datetime
    opened_at: datetime | None  # when the officer opened (claimed) the case
    received_at: datetime | None
    failing_seen: bool  # the snapshot of the checks the officer saw holds a failing check
    reason_code: str | None = None
    subtype: str = ""
    risks: frozenset = field(default_factory=frozenset)  # domain risks, e.g. {"payout_change"}
    stratum_type: str = ""  # the case type a sample stratifies by, when finer than case_type ("reissue.si_book")

    @property
    def review_seconds(self):
        """Seconds from opening the case to deciding it (None when the opening is unknown)."""
        return (self.decided_at - self.opened_at).total_seconds() if self.opened_at else None


@dataclass(frozen=True)
class CitizenCase:
    """A case about one citizen: what the access report and the view-without-a-case rule need."""

    case_type: str
    case_id: int
    office_id: int
    reference: str
    citizen: str  # the mã số BHXH
    file_ids: tuple = ()


class DecisionSource:
    """What a case domain tells supervision. Adapters override what their domain has; defaults say "nothing"."""

    case_type = ""
    label = ""  # lazy label of the case type
    department = ""  # the department code whose figures the cases count in (the default of a case)
    departments: frozenset = frozenset()  # every department the cases can belong to (default: {department})
    state_labels: dict = {}  # labels of the cases' states, for the open-case lists
    type_labels: dict = {}  # labels of the finer stratum types ("reissue.si_book"), when the source has them
    decision_actions: dict = {}  # audit action -> outcome
    received_actions: frozenset = frozenset()
    handling_actions: frozenset = frozenset()  # actions by which an officer "holds" the case
    self_approval_actions: frozenset = frozenset()  # refused self-approvals, when the domain records them
    view_actions: frozenset = frozenset()  # audited views of a case's citizen data, recorded on the case
    case_endpoint = ""  # the case page (endpoint, id argument)
    case_id_arg = ""
    reason_key = ""  # the key of a rejection's reason code in its audit entry's details ("" : no reasons)
    model = None  # the cases' model, when it keeps the casework core's columns (department_code, due_at, ...)

    def in_department(self, code):
        """True when this source's cases can belong to the department `code`."""
        return code in (self.departments or {self.department})

    def entry_case_is(self, *conditions):
        """A condition on this source's audit entries (object_id: the case id): the entry's case meets `conditions`
        on the source's model. A non-numeric object id names no case (never cast: that would be a 500)."""
        case_id = case((AuditEntry.object_id.regexp_match("^[0-9]{1,18}$"), cast(AuditEntry.object_id, BigInteger)))
        return exists().where(self.model.id == case_id, *conditions)

    def department_condition(self, code):
        """A condition on this source's decision entries: the case belongs to the department `code` (the department
        a decision counts in on the dashboards)."""
        if not self.in_department(code):
            return false()
        if len(self.departments or {self.department}) == 1 or self.model is None:
            return true()
        return self.entry_case_is(self.model.department_code == code)

    def failing_condition(self):
        """A condition on this source's approval entries: the officer approved over a failing check (None: never)."""
        return None

    def decisions(self, entries):
        """Decision records for these decision audit entries (in their order)."""
        return []

    def outcome_choices(self):
        """(value, label) of the outcomes a re-reviewer may record."""
        return [("approved", "approved"), ("rejected", "rejected")]

    def blind_case(self, case_id, entry):
        """The case as the deciding officer saw it, without the decision: {"fields", "documents", "checks"}."""
        return {"fields": [], "documents": [], "checks": []}

    def cases_for_citizen(self, social_insurance_number=None, id_number=None):
        """Every case of the citizen with its stored files."""
        return []

    def cases(self, case_ids):
        """CitizenCase of each of these cases that exists."""
        return []

    def holders(self, case_ids):
        """{case id: officer ids} who hold these cases now (claimed, assigned, decided), beside the audit's handling."""
        return {}

    def cases_for_files(self, file_ids):
        """{stored file id: CitizenCase} for the files of this domain's cases."""
        return {}

    def citizen_cases(self, citizens):
        """{mã số BHXH: [case ids]} for these citizens."""
        return {}

    def contacts(self, case_ids):
        """{case id: (mã số BHXH, phone, email)}."""
        return {}

    def backlog(self):
        """(office id, received at[, department]) of every open case (open cases are few; history is not)."""
        return []

    def deadlines(self):
        """(office id, department, due at, due soon at) of every open case whose clock runs (paused ones have none)."""
        return []

    def open_cases(self, office_ids, received_after, received_before, limit, department=None, deadline=None,
                   now=None):
        """Open cases of these offices (of the department, if named) received in [after, before), or whose deadline
        is `deadline` ("overdue", "due_soon") at `now`: rows of (id, reference, office_id, received_at, state, due_at,
        due_soon_at, paused), oldest first, most overdue first for a deadline (the lists the backlog and deadline
        numbers link to)."""
        return []

    def by_reference(self, reference):
        """The case id of a reference, or None."""
        return None

    def references(self, case_ids):
        """{case id: reference}."""
        return {}

    def identities(self, case_ids):
        """{case id: (reference, mã số BHXH, ID number, phone)} for lists and exports (masked by the caller)."""
        return {}


SOURCES: dict[str, DecisionSource] = {}


def type_label(stratum_type):
    """The label of a stratum's case type: a source's own, or one of its finer types ("reissue.si_book")."""
    source = SOURCES.get(stratum_type.split(".", 1)[0])
    if source is None:
        return stratum_type
    return source.type_labels.get(stratum_type, source.label)


def register_source(source):
    """Declare a case domain's adapter (its `__init__` line in this package does it, once)."""
    SOURCES[source.case_type] = source


def decision_actions():
    """{audit action: (source, outcome)} over every registered source."""
    return {action: (source, outcome) for source in SOURCES.values()
            for action, outcome in source.decision_actions.items()}


# The audit actions that record an officer seeing a citizen's data or photos: the ONE list the who-saw report and the
# view-without-a-case flag read. A photo's view is recorded on the stored file; the others on the case they show
# (each source's case pages and prints, and a supervisor's blind re-review).
FILE_VIEWED, FILE_OBJECT = "file_viewed", "stored_file"
REVIEW_VIEWED = "review_case_opened"


def view_actions():
    """Every audit action that records a view of a citizen's data, over every registered source."""
    return frozenset({FILE_VIEWED, REVIEW_VIEWED}).union(*(source.view_actions for source in SOURCES.values()))


def received_actions():
    """{audit action: source} of the "case received" entries."""
    return {action: source for source in SOURCES.values() for action in source.received_actions}


def decisions_of(entries):
    """Decision records for decision audit entries of any registered source, in entry order."""
    by_source = {}
    actions = decision_actions()
    for entry in entries:
        if entry.action in actions:
            by_source.setdefault(actions[entry.action][0].case_type, []).append(entry)
    found = [d for case_type, chosen in by_source.items() for d in SOURCES[case_type].decisions(chosen)]
    return sorted(found, key=lambda d: d.audit_entry_id)
