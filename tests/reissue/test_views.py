"""The reissue screens: queues with deadline badges, the case page, steps through forms, permissions, PDFs."""
import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import ReissueRequest
from backoffice.services.reissue import demo
from backoffice.services.reissue.pdf import card_qr_text
from tests.conftest import login
from tests.reissue.conftest import officer


def _new(payload):
    request = demo.create_from_payload(payload)
    db.session.commit()
    return request


def _post(client, request, step, **data):
    return client.post(f"/reissue/{request.id}/{step}", data={"version_id": request.version_id, **data})


def test_queue_shows_the_department_requests_with_badges(client, world):
    card, transfer = _new(world["card_pickup"]), _new(world["transfer"])
    login(client, "canbo.00131")
    page = client.get("/reissue/").get_data(as_text=True)
    assert card.reference in page and transfer.reference not in page  # CS_BHXH's, not THU_SO_THE's
    assert 'data-testid="due-badge"' in page and "Trong hạn" in page
    assert "Yêu cầu cấp lại" in client.get("/").get_data(as_text=True)  # the home page lists it
    fragment = client.get("/reissue/?kind=si_book", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert card.reference not in fragment and "<html" not in fragment


def test_home_page_figures_are_the_rows_of_the_lists_they_open(client, world, monkeypatch):
    """A department officer's home page: per case type, their cases, theirs due by today, the department's
    unassigned and due by today; each figure is a link, and the list it opens holds exactly that many rows."""
    from datetime import timedelta

    from backoffice.models.base import utcnow
    from backoffice.services.casework import queue

    me = officer("canbo.00131")
    made = [_new(world["card_pickup"]) for _ in range(5)]
    now = utcnow()
    made[0].assignee_id = made[1].assignee_id = made[2].assignee_id = me.id  # three mine
    for case in made:  # a BHYT card is due the same working day: not due today whatever the hour the test runs
        case.queue_due_at = now + timedelta(days=3)
    made[0].queue_due_at = now - timedelta(days=2)  # mine, overdue
    made[3].queue_due_at = now - timedelta(hours=1)  # unassigned, overdue
    db.session.commit()
    login(client, "canbo.00131")
    home = client.get("/").get_data(as_text=True)
    figures = dict(re.findall(r'<a href="([^"]+)" data-testid="work-reissue-[a-z-]+">(\d+)<', home))
    assert sorted(figures.values()) == ["1", "2", "2", "3"]  # due: 2; mine due: 1; unassigned: 2; mine: 3
    for url, shown in figures.items():
        page = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
        assert page.count('data-testid="reissue-row"') == int(shown), url
    assert 'data-testid="work-complaints-mine"' in home  # THU_SO_THE works complaints too
    monkeypatch.setattr(queue, "WORK_CAP", 2)  # a figure stops at the cap: "2+"
    assert 'data-testid="work-reissue-mine">2+<' in client.get("/").get_data(as_text=True)
    desk = client.application.test_client()
    login(desk, "tiepnhan.00131")
    assert 'data-testid="work"' not in desk.get("/").get_data(as_text=True)  # the desk has its own queue


def test_take_next_then_case_page_and_complete(client, world):
    card = _new(world["card_pickup"])
    login(client, "canbo.00131")
    response = client.post("/reissue/next")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/reissue/{card.id}")
    page = client.get(f"/reissue/{card.id}").get_data(as_text=True)
    for part in ("Kiểm tra", "Diễn biến hồ sơ", "Ghi chú nội bộ", "Hoàn thành", "Cơ sở dữ liệu"):
        assert part in page
    assert card.reference in client.get("/reissue/mine").get_data(as_text=True)
    db.session.refresh(card)
    assert _post(client, card, "complete").status_code == 303
    db.session.refresh(card)
    assert card.state == "completed"
    pdf = client.get(f"/reissue/{card.id}/print/card.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    text = reader.pages[0].extract_text()
    assert "THẺ BẢO HIỂM Y TẾ" in text and card.result["card_number"] in text
    image = Image.open(io.BytesIO(reader.pages[0].images[0].data))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [card_qr_text(card.result)]


def test_stale_form_is_409_and_bad_reason_is_422(client, world):
    card = _new(world["card_pickup"])
    login(client, "canbo.00131")
    version = card.version_id
    assert _post(client, card, "start").status_code == 303
    stale = client.post(f"/reissue/{card.id}/complete", data={"version_id": version})
    assert stale.status_code == 409
    db.session.refresh(card)
    refused = _post(client, card, "reject", code="OTHER", free_text="ngắn")
    assert refused.status_code == 422 and "ít nhất 10 ký tự" in refused.get_data(as_text=True)


def test_receipt_and_rejection_notice(client, world):
    card = _new(world["card_pickup"])
    login(client, "canbo.00131")
    receipt = client.get(f"/reissue/{card.id}/print/receipt.pdf")
    text = PdfReader(io.BytesIO(receipt.data)).pages[0].extract_text()
    assert "HẸN TRẢ KẾT QUẢ" in text and card.reference in text
    assert re.search(r"\d{2}/\d{2}/\d{4}", text)
    assert client.get(f"/reissue/{card.id}/print/rejection.pdf").status_code == 303  # not rejected
    _post(client, card, "reject", code="CARD_EXPIRED")
    notice = client.get(f"/reissue/{card.id}/print/rejection.pdf")
    assert "hết hạn" in PdfReader(io.BytesIO(notice.data)).pages[0].extract_text()


def test_internal_note_is_shown_to_officers_only_in_notes(client, world):
    card = _new(world["card_pickup"])
    login(client, "canbo.00131")
    client.post(f"/reissue/{card.id}/note", data={"body": "Đã gọi điện xác nhận địa chỉ"})
    page = client.get(f"/reissue/{card.id}").get_data(as_text=True)
    notes = page.split('data-testid="notes"')[1]
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "Đã gọi điện xác nhận địa chỉ" in notes and "Đã gọi điện" not in timeline


@pytest.mark.parametrize("username,status", [
    ("canbo.00109", 404), ("canbo.cs.00131", 404), ("giamsat.00131", 200), ("giamsat.05600", 404),
    ("truongphong.00001", 200), ("tiepnhan.00131", 403), ("quantri.00001", 403)])
def test_who_sees_a_card_request(client, world, username, status):
    card = _new(world["card_pickup"])
    login(client, username)
    assert client.get(f"/reissue/{card.id}").status_code == status


def test_readers_cannot_act(client, world):
    card = _new(world["card_pickup"])
    login(client, "giamsat.00131")
    assert _post(client, card, "start").status_code == 403  # the role has no steps
    head = client.application.test_client()
    login(head, "truongphong.00001")  # national head of THU_SO_THE: reads and urges, never decides
    assert _post(head, card, "start").status_code == 403
    db.session.refresh(card)
    assert card.state == "received"


def test_head_assigns_and_reassigns_with_a_reason(client, world):
    transfer = _new(world["transfer"])
    login(client, "truongphong.cs.00131")
    first, second = officer("canbo.cs.00131"), officer("canbo2.cs.00131")
    assert client.post(f"/reissue/{transfer.id}/assign", data={"officer_id": first.id}).status_code == 303
    refused = client.post(f"/reissue/{transfer.id}/assign", data={"officer_id": second.id, "reason": ""})
    assert refused.status_code == 422
    assert client.post(f"/reissue/{transfer.id}/assign",
                       data={"officer_id": second.id, "reason": "Cán bộ nghỉ phép"}).status_code == 303
    assert db.session.scalar(select(ReissueRequest.assignee_id).where(ReissueRequest.id == transfer.id)) == second.id


def test_transfer_seen_from_both_offices(client, world):
    transfer = _new(world["transfer"])
    login(client, "canbo.cs.00131")
    _post(client, transfer, "start")
    db.session.refresh(transfer)
    _post(client, transfer, "send_to_destination")
    client = client.application.test_client()
    login(client, "canbo.cs.00109")
    assert transfer.reference in client.get("/reissue/mine").get_data(as_text=True)  # the incoming list
    db.session.refresh(transfer)
    page = client.get(f"/reissue/{transfer.id}").get_data(as_text=True)
    assert 'data-testid="step-acknowledge_transfer"' in page
    assert _post(client, transfer, "acknowledge_transfer").status_code == 303
    db.session.refresh(transfer)
    assert transfer.state == "completed"


def test_incoming_transfers_are_listed_due_first_and_bounded(client, world, monkeypatch):
    """The destination's list of transfers to acknowledge shows the first INCOMING_SHOWN, due first, and says when
    more wait (it is on every queue page: never an unbounded list)."""
    import backoffice.services.reissue as reissue_service
    from backoffice.services.platform import offices
    from backoffice.services.reissue import workflow

    destination = offices.by_code("00109")
    sent = []
    for _ in range(3):
        transfer = _new(world["transfer"])
        transfer.state, transfer.destination_office_id = "awaiting_destination", destination.id
        sent.append(transfer)
    db.session.commit()
    monkeypatch.setattr(workflow, "INCOMING_SHOWN", 2)
    monkeypatch.setattr(reissue_service, "INCOMING_SHOWN", 2)
    login(client, "canbo.cs.00109")
    page = client.get("/reissue/").get_data(as_text=True)
    listed = page.split('data-testid="incoming"')[1].split("</section>")[0]
    first_two = sorted(sent, key=lambda r: (r.queue_due_at, r.id))[:2]
    assert [r.reference in listed for r in sent].count(True) == 2
    assert all(r.reference in listed for r in first_two)
    assert 'data-testid="incoming-more"' in listed
    other = client.application.test_client()
    login(other, "canbo.00109")  # THU_SO_THE: transfers are CS_BHXH's work
    assert 'data-testid="incoming"' not in other.get("/reissue/").get_data(as_text=True)


def test_demo_seed_has_every_type_and_state(app):
    from collections import Counter

    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--reissues", "50"])
    assert result.exit_code == 0, result.output
    assert "canbo.cs.00131" in result.output
    rows = db.session.execute(select(ReissueRequest.kind, ReissueRequest.state).where(
        ReissueRequest.reference.like("R%"))).all()
    assert {kind for kind, _ in rows} == {"bhyt_card", "si_book", "pension_transfer", "payout_change"}
    assert {"received", "processing", "awaiting_citizen", "shipped", "delivered", "returned", "completed", "rejected",
            "awaiting_second_approval", "cooling_off", "awaiting_destination"} <= {state for _, state in rows}
    assert Counter(r.startswith("B") for r in db.session.scalars(select(ReissueRequest.reference)))[True] == 50
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # idempotent
    assert db.session.scalar(select(func.count()).select_from(ReissueRequest)) == len(rows) + 50


def test_head_acknowledges_an_escalated_request(client, world):
    from backoffice.services.casework import escalation

    transfer = _new(world["transfer"])
    escalation.sweep_batch(now=transfer.due_at)
    db.session.commit()
    assert transfer.flagged
    clerk = client.application.test_client()
    login(clerk, "canbo.cs.00131")
    anonymous = client.post(f"/reissue/{transfer.id}/acknowledge_escalation")
    assert "/login" in anonymous.headers["Location"]
    assert clerk.post(f"/reissue/{transfer.id}/acknowledge_escalation").status_code == 403
    login(client, "truongphong.cs.00131")
    assert 'data-testid="acknowledge-escalation"' in client.get(f"/reissue/{transfer.id}").get_data(as_text=True)
    assert client.post(f"/reissue/{transfer.id}/acknowledge_escalation").status_code == 303
    db.session.refresh(transfer)
    assert not transfer.flagged and transfer.escalated_at is not None


def test_a_requests_documents_open_by_key_for_its_readers_only(app, client, world):
    """A request's photo follows the request's access (services.platform.scope), by its unguessable key."""
    from backoffice.models import ReissueDocument, StoredFile
    from backoffice.storage.access import storage

    card = _new(world["card_pickup"])
    stored = StoredFile(storage_key=storage().put(b"\xff\xd8photo", prefix="reissue"), content_type="image/jpeg",
                        size=7, office_id=card.office_id, purpose="proof")
    db.session.add(ReissueDocument(request_id=card.id, kind="proof", stored_file=stored))
    db.session.commit()
    login(client, "canbo.00131")
    assert stored.key in client.get(f"/reissue/{card.id}").get_data(as_text=True)  # the page links the key
    assert client.get(f"/files/{stored.key}").data == b"\xff\xd8photo"
    assert client.get(f"/files/{stored.id}").status_code == 404  # never by its sequential id
    desk = app.test_client()
    login(desk, "tiepnhan.00131")  # the reception desk of the same office does not read reissue requests
    assert desk.get(f"/files/{stored.key}").status_code == 404


def _keys(page):
    """The keys the case page's help lists for its steps (the photo viewer's own keys, R among them, come last)."""
    help_text = page.split('data-testid="shortcuts"', 1)[1].split("</p>", 1)[0].split("<kbd>[</kbd>", 1)[0]
    return set(re.findall(r"<kbd>(.)</kbd>", help_text))


def test_the_key_help_lists_only_the_keys_of_the_steps_offered(client, world):
    """A reader is offered no step, so no A, W or R; the officer gets A and R on a new request, A, W and R while
    processing it, and none of them once it is completed (its G too is gone): the panel then says it is closed."""
    card = _new(world["card_pickup"])
    login(client, "giamsat.00131")
    page = client.get(f"/reissue/{card.id}").get_data(as_text=True)
    assert "Bạn chỉ được xem yêu cầu này" in page and not _keys(page) & {"A", "W", "R", "G"}
    client.post("/logout")
    login(client, "canbo.00131")
    page = client.get(f"/reissue/{card.id}").get_data(as_text=True)
    assert {"A", "R"} <= _keys(page) and "W" not in _keys(page)
    assert _post(client, card, "start").status_code == 303
    db.session.refresh(card)
    page = client.get(f"/reissue/{card.id}").get_data(as_text=True)
    assert {"A", "W", "R"} <= _keys(page) and 'data-shortcut="w"' in page
    assert _post(client, card, "complete").status_code == 303
    page = client.get(f"/reissue/{card.id}").get_data(as_text=True)
    assert not _keys(page) & {"A", "W", "R", "G"} and 'data-testid="step-' not in page
    assert 'data-testid="closed"' in page and "không còn bước xử lý nào" in page
    client.post("/logout")
    login(client, "truongphong.00131")
    assert not _keys(client.get(f"/reissue/{card.id}").get_data(as_text=True)) & {"A", "W", "R", "G"}
