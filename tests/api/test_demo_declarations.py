"""flask demo seed: the participant register, ready-to-review desk declarations, --declarations N in bulk."""
from collections import Counter

from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState, Office, Participant
from backoffice.services.declarations import demo as demo_declarations
from backoffice.storage.access import storage
from tests.conftest import REDIS_URL


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_adds_register_and_desk_declarations_once_and_bulk_on_request(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed", "--declarations", "1200"])
    assert first.exit_code == 0, first.output
    assert "tiepnhan.00131" in first.output and "Inserted 1,200 declarations" in first.output  # logins kept
    desk_office = db.session.scalar(select(Office.id).where(Office.code == "00131"))
    desk = db.session.scalars(select(Declaration).where(Declaration.email.like("demo.%"))).all()
    assert len(desk) == len(demo_declarations.DESK_CASES) and {d.office_id for d in desk} == {desk_office}
    assert Counter(d.kind.value for d in desk) == {"register": 4, "update": 1, "register_child": 1}
    for declaration in desk:
        assert declaration.state == DeclarationState.submitted and declaration.documents
        for document in declaration.documents:
            assert storage().get(document.stored_file.storage_key)[:3] == b"\xff\xd8\xff"
    queued = Queue("extraction", connection=Redis.from_url(REDIS_URL)).job_ids
    assert len(queued) == len(desk)  # the worker makes them ready for the desk
    assert count(Participant) >= demo_declarations.REGISTER_SIZE

    bulk = db.session.scalars(select(Declaration).where(Declaration.id.not_in([d.id for d in desk]))).all()
    assert len(bulk) == 1200 and len({d.reference for d in bulk}) == 1200
    assert {d.state for d in bulk} == {s for s, _ in demo_declarations.BULK_STATES}
    assert len({d.office_id for d in bulk}) == 6
    rejected = next(d for d in bulk if d.state == DeclarationState.rejected)
    assert rejected.rejection_code and rejected.decided_at and rejected.decided_by_id

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and count(Declaration) == 1200 + len(desk)
