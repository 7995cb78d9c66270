"""What the desk writes for supervision (issue 17): refused self-approvals and views of a citizen's data."""
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import AnomalyFlag, AuditEntry
from backoffice.services.supervision import access_report
from backoffice.services.supervision.flags import detect
from tests.conftest import login
from tests.declarations.conftest import officer
from tests.declarations.test_desk_day import propose, ready, stored


def entries(action, declaration_id):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action,
                                                       AuditEntry.object_id == str(declaration_id))).all()


def test_a_proposer_confirming_their_own_proposal_is_refused_and_audited(client, demo_logins):
    d = ready(failing=1)
    propose(client, d)
    version = stored(d.id).version_id
    refused = client.post(f"/declarations/{d.id}/confirm", data={"version_id": version})
    assert refused.status_code == 422
    assert "không thể tự phê duyệt" in refused.get_data(as_text=True)
    assert stored(d.id).state.value == "awaiting_second_approval"
    (entry,) = entries("declaration_self_approval_refused", d.id)
    clerk = officer("tiepnhan.00131")
    assert entry.actor_id == clerk.id and entry.object_type == "declaration" and entry.office_id == d.office_id
    # a stale version is still an attempt, and it is written again
    client.post(f"/declarations/{d.id}/confirm", data={"version_id": version - 1})
    assert len(entries("declaration_self_approval_refused", d.id)) == 2
    # supervision's self-approval rule reads it
    detect()
    flags = db.session.scalars(select(AnomalyFlag).where(AnomalyFlag.rule == "self_approval")).all()
    assert any(f.officer_id == clerk.id for f in flags)


def test_the_refusal_is_said_in_english_too(client, demo_logins):
    d = ready(failing=1)
    propose(client, d)
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.post(f"/declarations/{d.id}/confirm", data={"version_id": stored(d.id).version_id})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "cannot give the second approval" in text and "không thể tự" not in text


def test_a_colleague_confirming_writes_no_refusal(client, app, demo_logins):
    d = ready(failing=1)
    propose(client, d)
    colleague = app.test_client()
    login(colleague, "giamsat.00131")
    done = colleague.post(f"/declarations/{d.id}/confirm", data={"version_id": stored(d.id).version_id})
    assert done.status_code == 303 and stored(d.id).state.value == "approved"
    assert entries("declaration_self_approval_refused", d.id) == []


def test_each_review_page_view_is_audited_once_and_the_who_saw_report_lists_it(client, demo_logins):
    d = ready()
    login(client, "giamsat.00131")  # a supervisor holds no case: their view is what the report is for
    client.get(f"/declarations/{d.id}")
    client.get(f"/declarations/{d.id}", headers={"HX-Request": "true"})  # a fragment: no second entry
    views = entries("declaration_contact_viewed", d.id)
    assert len(views) == 1 and views[0].actor_id == officer("giamsat.00131").id
    report = access_report.who_saw(officer("giamsat.00100"), d.social_insurance_number)
    seen = [(row.officer, row.action, row.reference) for row in report.rows]
    assert any("giamsat.00131" in who and action == "declaration_contact_viewed" and ref == d.reference
               for who, action, ref in seen)


def test_a_refused_decision_page_shows_the_data_again_and_is_audited(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    before = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "declaration_contact_viewed", AuditEntry.object_id == str(d.id)))
    stale = client.post(f"/declarations/{d.id}/approve", data={"version_id": 1})
    assert stale.status_code == 409 and d.social_insurance_number in stale.get_data(as_text=True)
    assert len(entries("declaration_contact_viewed", d.id)) == before + 1
