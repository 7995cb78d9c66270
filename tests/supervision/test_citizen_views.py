"""Every audited view of a citizen's data is ONE list (`sources.view_actions()`): the who-saw report shows each of
them, and the view-without-a-case flag reads each of them; an officer holding any case of the citizen (declaration,
reissue request, complaint) is not flagged."""
# ruff: noqa: F811 - fixtures imported from the complaint and reissue tests
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import AuditEntry
from backoffice.models.supervision import AnomalyFlag
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
