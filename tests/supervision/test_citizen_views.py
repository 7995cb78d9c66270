"""Every audited view of a citizen's data is ONE list (`sources.view_actions()`): the who-saw report shows each of
them, and the view-without-a-case flag reads each of them; an officer holding any case of the citizen (declaration,
reissue request, complaint) is not flagged."""
# ruff: noqa: F811 - fixtures imported from the complaint and reissue tests
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.models.supervision import AnomalyFlag, AnomalyFlagCase, ReviewItem, ReviewSample, ReviewVerdict
from backoffice.services.platform import audit
from backoffice.services.reissue import demo, workflow
from backoffice.services.supervision import access_report, flags
from backoffice.services.supervision.sources import FILE_VIEWED, REVIEW_VIEWED, SOURCES, view_actions
from tests.complaints.casework_fixtures import new_complaint, people, router  # noqa: F401
from tests.conftest import login
from tests.reissue.conftest import officer, world  # noqa: F401
from tests.supervision.conftest import UTC, Desk

CITIZEN = "7900000001"  # the transfer's pensioner, who also sent a complaint and a declaration
# Each view action on the object it is recorded on: a photo on its stored file, the others on their case.
ON = {action: case_type for case_type, source in SOURCES.items() for action in source.view_actions}


def _flags(officer_id):
    return db.session.scalars(select(AnomalyFlag).where(AnomalyFlag.rule == "view_no_case",
                                                        AnomalyFlag.officer_id == officer_id)).all()


@pytest.fixture
def citizen_cases(world, people, router, monkeypatch):
    """One declaration, one reissue request (held by canbo.cs.00131) and one complaint of the same citizen."""
    with pytest.MonkeyPatch.context() as patch:  # the desk's clock only while it makes the declaration
        declaration = Desk(patch).declaration(sin=CITIZEN)
    transfer = demo.create_from_payload(world["transfer"])
    db.session.commit()
    holder = officer("canbo.cs.00131")
    workflow.start(holder, transfer.id, transfer.version_id)
    db.session.commit()
    return {"declaration": declaration, "reissue": transfer, "complaint": new_complaint(), "holder": holder}


def _detect(monkeypatch):
    later = datetime.now(UTC) + flags.VIEW_GRACE + timedelta(minutes=1)  # the views are old enough to judge
    monkeypatch.setattr(flags, "utcnow", lambda: later)
    flags.detect(end=later, days=1)
    db.session.commit()


def test_the_list_holds_every_page_and_print_that_shows_a_citizen():
    assert {FILE_VIEWED, REVIEW_VIEWED, "declaration_contact_viewed", "declaration_printed", "reissue_viewed",
            "reissue_printed", "complaint_viewed", "complaint_letter_printed"} <= view_actions()


@pytest.mark.parametrize("action", sorted(view_actions() - {REVIEW_VIEWED}))
def test_each_view_is_in_the_report_and_flags_an_officer_without_a_case(citizen_cases, monkeypatch, action):
    stranger = officer("canbo2.00131")  # THU_SO_THE of the same office: holds nothing of this citizen
    holder = citizen_cases["holder"]
    if action == FILE_VIEWED:
        target = ("stored_file", citizen_cases["declaration"].documents[0].stored_file_id)
    else:
        target = (ON[action], citizen_cases[ON[action]].id)
    for who in (stranger, holder):  # the holder of the reissue request holds a case of this citizen
        audit.record(action, actor=who, object_type=target[0], object_id=target[1], office_id=stranger.office_id)
    db.session.commit()
    _detect(monkeypatch)
    (flag,) = _flags(stranger.id)
    assert [(c.case_type, c.case_id) for c in flag.cases] == [
        ("declaration", citizen_cases["declaration"].id) if action == FILE_VIEWED else target]
    assert _flags(holder.id) == []
    report = access_report.who_saw(officer("giamsat.00100"), CITIZEN)
    assert {(row.officer.split(" (")[1].rstrip(")"), row.action) for row in report.rows} >= {
        ("canbo2.00131", action), ("canbo.cs.00131", action)}


def test_a_blind_re_review_is_a_view_in_the_report_but_the_reviewer_holds_the_case(citizen_cases, monkeypatch):
    supervisor = officer("giamsat.00100")
    request = citizen_cases["reissue"]
    audit.record(REVIEW_VIEWED, actor=supervisor, object_type="reissue", object_id=request.id,
                 office_id=request.office_id)
    db.session.commit()
    _detect(monkeypatch)
    assert _flags(supervisor.id) == []
    assert any(row.action == REVIEW_VIEWED for row in access_report.who_saw(supervisor, CITIZEN).rows)


def test_opening_a_reissue_or_complaint_page_is_an_audited_view_that_the_flag_reads(citizen_cases, world, client,
                                                                                  monkeypatch):
    card = demo.create_from_payload(world["card_pickup"])  # another citizen's card, taken by canbo.00131
    db.session.commit()
    clerk, stranger = officer("canbo.00131"), officer("canbo2.00131")
    workflow.start(clerk, card.id, card.version_id)
    db.session.commit()
    complaint = citizen_cases["complaint"]
    views = lambda action: db.session.scalar(select(func.count()).select_from(AuditEntry).where(  # noqa: E731
        AuditEntry.action == action))
    login(client, "canbo2.00131")
    assert client.get(f"/reissue/{card.id}").status_code == 200
    assert client.get(f"/complaints/{complaint.id}").status_code == 200
    assert views("reissue_viewed") == 1 and views("complaint_viewed") == 1
    client.get(f"/reissue/{card.id}", headers={"HX-Request": "true"})  # a fragment refresh is not a new view
    assert views("reissue_viewed") == 1
    client.post("/logout")
    login(client, "canbo.00131")
    assert client.get(f"/reissue/{card.id}").status_code == 200 and views("reissue_viewed") == 2
    _detect(monkeypatch)
    flagged = {(c.case_type, c.case_id) for flag in _flags(stranger.id) for c in flag.cases}
    assert flagged == {("reissue", card.id), ("complaint", complaint.id)}  # neither is theirs
    assert _flags(clerk.id) == []  # the card is the clerk's work


def _sample_item(drawer, case_type, case_id, office_id, decider):
    """A drawn sample holding one case (crafted: the draw itself is tested in test_sampling)."""
    sample = ReviewSample(created_by_id=drawer.id, office_id=office_id, period_from=date(2026, 3, 1),
                          period_to=date(2026, 3, 31), seed="1", method="fixed", fixed_count=1, frame=[],
                          frame_hash="0" * 64, strata={})
    item = ReviewItem(sample=sample, case_type=case_type, case_id=case_id, audit_entry_id=0, office_id=office_id,
                      officer_id=decider.id, stratum="x", original_outcome="approved")
    db.session.add_all([sample, item])
    db.session.commit()
    return item


def _view(who, action, case_type, case_id, office_id):
    audit.record(action, actor=who, object_type=case_type, object_id=case_id, office_id=office_id)
    db.session.commit()


def test_a_supervisors_views_while_working_a_supervision_item_are_tied_to_it(citizen_cases, monkeypatch):
    """Views a supervisor makes while working a sample item (drawn, re-reviewed or settled by them), a flag of their
    subtree, or a who-saw report they ran on the citizen are not flagged; any other view without a case is."""
    declaration = citizen_cases["declaration"]
    office = declaration.office_id
    drawer, reviewer, settler = officer("giamsat.00100"), officer("giamsat.00131"), officer("giamsat.00001")
    idle = officer("giamsat.00109")
    clerk = officer("canbo.00131")
    item = _sample_item(drawer, "declaration", declaration.id, office, clerk)
    db.session.add(ReviewVerdict(item=item, reviewer_id=reviewer.id, outcome="rejected", reason="Sai tên",
                                 follow_up="confirmed", follow_up_by_id=settler.id))
    db.session.commit()
    for who in (drawer, reviewer, settler):  # the real case page, opened from the sample's disagreement
        _view(who, "declaration_contact_viewed", "declaration", declaration.id, office)
    _view(idle, "declaration_contact_viewed", "declaration", declaration.id, office)  # no item of theirs
    _detect(monkeypatch)
    assert [_flags(who.id) for who in (drawer, reviewer, settler)] == [[], [], []]
    assert [c.case_id for flag in _flags(idle.id) for c in flag.cases] == [declaration.id]


def test_a_flag_of_the_subtree_ties_the_views_of_its_citizen(citizen_cases, monkeypatch):
    request = citizen_cases["reissue"]
    handler, outsider = officer("giamsat.00131"), officer("giamsat.00109")
    flag = AnomalyFlag(key="test:flag", rule="fast", office_id=request.office_id, occurred_at=datetime.now(UTC))
    flag.cases = [AnomalyFlagCase(case_type="reissue", case_id=request.id)]
    db.session.add(flag)
    db.session.commit()
    def tied(who):
        since = datetime.now(UTC) - timedelta(days=1)
        return flags._supervision_ties({who.id}, {("reissue", request.id)}, since).cases[who.id]

    # an open flag of the subtree ties its supervisors; once another supervisor explained it, no longer
    assert tied(handler) == {("reissue", request.id)} and tied(outsider) == set()
    flag.status, flag.resolved_by_id = "explained", officer("giamsat.00100").id
    db.session.commit()
    assert tied(handler) == set() and tied(officer("giamsat.00100")) == {("reissue", request.id)}
    flag.status, flag.resolved_by_id = "open", None
    db.session.commit()
    for who in (handler, outsider):  # the flag is in 00131's subtree, not in 00109's
        _view(who, "reissue_viewed", "reissue", request.id, request.office_id)
    _detect(monkeypatch)
    assert _flags(handler.id) == [] and len(_flags(outsider.id)) == 1


@pytest.mark.parametrize("by_id_number", [False, True])
def test_a_who_saw_report_ties_the_views_after_it(citizen_cases, monkeypatch, by_id_number):
    request, declaration = citizen_cases["reissue"], citizen_cases["declaration"]
    reporter = officer("giamsat.00100")
    _view(reporter, "reissue_printed", "reissue", request.id, request.office_id)  # before running the report
    access_report.who_saw(reporter, declaration.id_number if by_id_number else CITIZEN)
    db.session.commit()
    _view(reporter, "reissue_viewed", "reissue", request.id, request.office_id)  # from the report's row
    _detect(monkeypatch)
    assert len(_flags(reporter.id)) == 1  # the view before the report
    ties = flags._supervision_ties({reporter.id}, {("reissue", request.id)}, datetime.now(UTC) - timedelta(days=1))
    (case,) = SOURCES["reissue"].cases([request.id])
    views = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == reporter.id, AuditEntry.action.in_(
        ("reissue_printed", "reissue_viewed"))).order_by(AuditEntry.id)).all()
    assert [ties.covers(entry, case, set()) for entry in views] == [False, True]


def test_an_officer_is_never_tied_by_supervision_items(citizen_cases, monkeypatch):
    declaration = citizen_cases["declaration"]
    stranger = officer("canbo2.00131")
    item = _sample_item(officer("giamsat.00100"), "declaration", declaration.id, declaration.office_id,
                        officer("canbo.00131"))
    db.session.add(ReviewVerdict(item=item, reviewer_id=stranger.id, outcome="approved", reason="Đúng"))
    db.session.commit()
    _view(stranger, "declaration_contact_viewed", "declaration", declaration.id, declaration.office_id)
    _detect(monkeypatch)
    assert len(_flags(stranger.id)) == 1
