"""The desk's screens: queue (page and fragment), take next, counter search, review, decisions by form."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState, OutboxMessage
from backoffice.services.platform import audit
from tests.conftest import login


def test_queue_page_and_fragment_mask_citizen_numbers(client, ready_declaration):
    login(client, "tiepnhan.00131")
    page = client.get("/declarations/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in body and ready_declaration.reference in body
    assert ready_declaration.id_number not in body and "0912****78" in body
    assert page.headers["Cache-Control"] == "no-store"
    fragment = client.get("/declarations/?state=ready", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and ready_declaration.reference in fragment and "1 tờ khai" in fragment
    empty = client.get("/declarations/?state=approved", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Không có tờ khai nào phù hợp." in empty
    filtered = client.get("/declarations/?state=ready&kind=register&channel=vssid_app").get_data(as_text=True)
    assert filtered.count(" selected>") == 3 and '<option value="ready" selected>Chờ xử lý</option>' in filtered
    assert '<option value="register" selected>' in filtered and '<option value="vssid_app" selected>' in filtered
    assert ready_declaration.reference in filtered
    bad = client.get("/declarations/?state=nonsense&kind=x")  # unknown filters fall back to the default list
    assert bad.status_code == 200 and ready_declaration.reference in bad.get_data(as_text=True)


def test_citizen_text_is_escaped_on_the_queue_and_the_review_page(client, ready_declaration):
    ready_declaration.full_name = 'Lê <b>"Hoa"</b> & Co'  # whatever a channel sends is text, never markup
    db.session.commit()
    login(client, "tiepnhan.00131")
    for path in ("/declarations/", f"/declarations/{ready_declaration.id}"):
        body = client.get(path).get_data(as_text=True)
        assert re.search(r"Lê &lt;b&gt;&(#34|quot);Hoa&(#34|quot);&lt;/b&gt; &amp; Co", body), path
        assert "<b>" not in body and '"Hoa"' not in body, path


def test_queue_counts_up_to_the_cap_and_keeps_the_filters_typed(client, ready_declaration, monkeypatch):
    from backoffice.services.declarations import workflow

    login(client, "tiepnhan.00131")
    monkeypatch.setattr(workflow, "COUNT_CAP", 0)
    body = client.get("/declarations/?date_from=2020-01-02").get_data(as_text=True)
    assert "Hơn 0 tờ khai" in body  # one declaration matches: more than the cap
    # kept, and shown the way officers type it (a link's yyyy-mm-dd comes back as dd/mm/yyyy)
    assert 'name="date_from" type="text" value="02/01/2020" placeholder="dd/mm/yyyy"' in body
    assert 'name="term" type="text" value="" size="30" required' in body
    failing = client.get("/declarations/?failing_only=y").get_data(as_text=True)
    assert 'name="failing_only" type="checkbox" value="y" checked' in failing and "0 tờ khai" in failing


def test_other_offices_do_not_see_it(client, ready_declaration):
    login(client, "tiepnhan.00109")
    assert ready_declaration.reference not in client.get("/declarations/").get_data(as_text=True)
    assert client.get(f"/declarations/{ready_declaration.id}").status_code == 404


def test_take_next_review_and_approve_by_form(client, ready_declaration):
    login(client, "tiepnhan.00131")
    taken = client.post("/declarations/next")
    assert taken.status_code == 303 and taken.headers["Location"] == f"/declarations/{ready_declaration.id}"
    review = client.get(taken.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="approve"' in review and "Đối chiếu thông tin" in review and "QR" in review
    born = ready_declaration.date_of_birth
    side_by_side = review.split("Kết quả kiểm tra")[0]
    assert side_by_side.count(f"<td>{born:%d/%m/%Y}") == 3  # declared, read from the card, register
    assert '<a href="/declarations/" aria-current="page">Tờ khai</a>' in review  # the menu still shows where we are
    assert '<a href="/" aria-current="page">' not in review
    for action in ("notification_dead", "notification_uncertain", "notification_confirmed_sent",
                   "notification_resent", "notification_requeued"):
        audit.record(action, actor_label="system", object_type="declaration", object_id=ready_declaration.id,
                     office_id=ready_declaration.office_id)
    db.session.commit()
    timeline = client.get(taken.headers["Location"]).get_data(as_text=True)
    assert "Chưa rõ thư đã đến máy chủ thư" in timeline and "notification_" not in timeline  # named, not coded
    # The form carries the version the page was rendered with, which is the stored one (viewing raised it).
    version = int(re.search(r'name="version_id" type="hidden" value="(\d+)"', timeline)[1])
    assert version == db.session.get(Declaration, ready_declaration.id).version_id
    approved = client.post(f"/declarations/{ready_declaration.id}/approve", data={"version_id": version})
    assert approved.status_code == 303
    assert db.session.get(Declaration, ready_declaration.id).state == DeclarationState.approved
    again = client.post(f"/declarations/{ready_declaration.id}/approve", data={"version_id": version})
    assert again.status_code == 409 and "vừa được cập nhật" in again.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 2  # not sent twice
    assert client.post("/declarations/next").headers["Location"] == "/declarations/"


def test_reject_other_needs_text(client, ready_declaration):
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{ready_declaration.id}/claim")
    version = db.session.get(Declaration, ready_declaration.id).version_id
    refused = client.post(f"/declarations/{ready_declaration.id}/reject", data={"version_id": version, "code": "OTHER",
                                                                              "free_text": ""})
    assert refused.status_code == 422 and "Lý do khác" in refused.get_data(as_text=True)
    done = client.post(f"/declarations/{ready_declaration.id}/reject",
                       data={"version_id": version, "code": "OTHER", "free_text": "Ảnh chân dung bị che mặt."})
    assert done.status_code == 303
    rejected = db.session.get(Declaration, ready_declaration.id)
    assert rejected.state == DeclarationState.rejected and rejected.rejection_text == "Ảnh chân dung bị che mặt."


def test_counter_search_is_a_post(client, ready_declaration):
    login(client, "tiepnhan.00131")
    found = client.post("/declarations/search", data={"term": ready_declaration.social_insurance_number})
    assert ready_declaration.reference in found.get_data(as_text=True)
    typed = ready_declaration.reference.lower()
    typed = f"{typed[:4]}-{typed[4:8]}-{typed[8:]}".replace("0", "o").replace("1", "l")  # as people type it
    found = client.post("/declarations/search", data={"term": typed}).get_data(as_text=True)
    assert ready_declaration.reference in found
    none = client.post("/declarations/search", data={"term": "0000000999"}).get_data(as_text=True)
    assert "Không tìm thấy tờ khai nào" in none
    assert client.get("/declarations/search").status_code == 405


def test_progress_polls_until_ready(client, app, demo_logins):
    from tests.declarations.conftest import make_declaration

    declaration = make_declaration()
    login(client, "tiepnhan.00131")
    working = client.get(f"/declarations/{declaration.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in working and "đang đọc ảnh" in working
    from backoffice.tasks.declarations import extract_declaration

    extract_declaration(declaration.id)
    done = client.get(f"/declarations/{declaration.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' not in done and "Kết quả kiểm tra" in done


def test_printed_form_and_notice_render_every_diacritic(client, ready_declaration):
    import io

    from pypdf import PdfReader

    login(client, "tiepnhan.00131")
    response = client.get(f"/declarations/{ready_declaration.id}/print/form.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert ready_declaration.full_name in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập – Tự do – Hạnh phúc" in text
    assert "ghi rõ họ tên" in text
    assert client.get(f"/declarations/{ready_declaration.id}/print/notice.pdf").status_code == 303  # not decided yet
    from sqlalchemy import select as _select

    from backoffice.models import AuditEntry

    assert db.session.scalar(_select(AuditEntry).where(AuditEntry.action == "declaration_printed")) is not None


def test_the_declared_contact_address_is_shown_printed_and_compared_without_deciding_the_check(client, demo_logins):
    import io

    from pypdf import PdfReader

    from backoffice.services.platform.addresses import contact_address
    from backoffice.tasks.declarations import extract_declaration
    from tests.declarations.conftest import make_declaration

    declaration = make_declaration(province_code="01", ward_code="00070", street="Số 7 Tràng Thi")
    extract_declaration(declaration.id)
    db.session.expire_all()
    declaration = db.session.get(Declaration, declaration.id)
    written = "Số 7 Tràng Thi, Phường Hoàn Kiếm, Thành phố Hà Nội"
    assert contact_address(declaration) == written
    id_fields = next(c for c in declaration.checks if c["code"] == "id_fields")
    residence = id_fields["evidence"]["fields"]["place_of_residence"]
    assert residence["declared"] == written and residence["status"] == "mismatch"  # the card's is elsewhere
    assert id_fields["status"] == "pass"  # living away from the registered address is no failure
    login(client, "tiepnhan.00131")
    page = client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert written in page and "Địa chỉ liên hệ · nơi thường trú" in page
    assert "<figcaption>Mặt trước giấy tờ\n" in page and "<figcaption>id_front" not in page
    assert '"status":' not in page and "Đối chiếu với" in page  # the evidence is worded, not JSON
    printed = client.get(f"/declarations/{declaration.id}/print/form.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.data)).pages)
    assert "Số 7 Tràng Thi, Phường Hoàn Kiếm, Thành phố Hà Nội" in " ".join(text.split())  # the cell wraps


def test_a_contact_address_is_built_from_the_codes_the_current_list_has():
    from types import SimpleNamespace

    from backoffice.services.platform.addresses import contact_address

    assert contact_address(SimpleNamespace(province_code=None, ward_code=None, street=None)) == ""
    assert contact_address(SimpleNamespace(province_code="99", ward_code="99999", street=" Thôn 3 ")) == "Thôn 3"
    assert contact_address(SimpleNamespace(province_code="01", ward_code=None, street="")) == "Thành phố Hà Nội"


def test_the_id_card_warnings_are_worded_for_the_officer(app):
    from backoffice.idcard.confirm import DERIVED_EXPIRY
    from backoffice.services.declarations.evidence import lines, warning_text

    with app.test_request_context("/"):
        assert warning_text("date_of_expiry: the card has expired") == "Thẻ đã hết hạn"
        assert warning_text(DERIVED_EXPIRY) == (
            "Không đọc được ngày hết hạn: ngày hiển thị được tính theo tuổi cấp đổi từ ngày sinh và ngày cấp")
        assert warning_text("sex: ocr reads a different value than qr") == "Giới tính: OCR đọc khác QR"
        assert warning_text("id_number: unknown province code 099") == "Số định danh: mã tỉnh 099 không có"
        assert warning_text("something new") == "something new"  # unknown ones are shown as they are
        assert warning_text("back: card: not found in the photo") == (
            "Ảnh mặt sau: không tìm thấy thẻ trong ảnh, các trường đọc được có thể sai")
        assert warning_text("qr: seen but not readable") == "Thấy mã QR nhưng không đọc được (lóa, nếp gấp hoặc mờ)"
        assert warning_text("place_of_origin: not confirmed by its form or the other fields") == (
            "Quê quán: chỉ đọc bằng OCR, chưa được xác nhận, cần đối chiếu với ảnh")
        assert lines({"too_small": ["portrait"], "warnings": [], "active_account": True, "age": 0}) == [
            ("Ảnh quá nhỏ", "Ảnh chân dung"), ("Đã có tài khoản đang hoạt động", "Có"), ("Tuổi", "0")]


def test_the_review_page_speaks_english_too(client, ready_declaration):
    login(client, "tiepnhan.00131")
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get(f"/declarations/{ready_declaration.id}").get_data(as_text=True)
    assert "Details on the ID document" in page and "Compared with" in page and "ID front" in page
    assert "Thông tin trên giấy tờ tùy thân" not in page  # the stored title is shown translated

