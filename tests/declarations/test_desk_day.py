"""The desk as officers use it all day (issue 18): tabs, conflicts, second approvals, waiting cases, checks."""
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState
from backoffice.services import DomainError, declarations
from tests.conftest import login
from tests.declarations.conftest import make_declaration, officer

S = DeclarationState
VERSION = re.compile(r'name="version_id" type="hidden" value="(\d+)"')


def ready(failing=0, **overrides):
    """A declaration ready for review without running the OCR (its checks set here: the tests are about the desk)."""
    declaration = make_declaration(**overrides)
    declaration.state = S.ready
    declaration.checks = [{"code": "register", "title": "Đối chiếu sổ đăng ký người tham gia",
                           "status": "fail" if failing else "pass",
                           "evidence": {"reason": "Mã số BHXH không có trong cơ sở dữ liệu người tham gia."}
                           if failing else {}}]
    declaration.failing_checks = failing
    db.session.commit()
    return declaration


def stored(declaration_id):
    db.session.expire_all()
    return db.session.get(Declaration, declaration_id)


def test_viewing_in_a_second_tab_keeps_the_version_and_renews_the_lease(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    first_tab = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    version = int(VERSION.search(first_tab)[1])
    touched = stored(d.id).claim_touched_at
    second_tab = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert int(VERSION.search(second_tab)[1]) == version == stored(d.id).version_id  # viewing changed nothing
    assert stored(d.id).claim_touched_at > touched  # but the claim's lease was renewed
    decided = client.post(f"/declarations/{d.id}/approve", data={"version_id": version})
    assert decided.status_code == 303 and stored(d.id).state == S.approved


def test_a_real_conflict_says_what_changed_and_by_whom_and_keeps_the_typed_text(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    stale = stored(d.id).version_id
    # another tab of the same officer gives it back and takes it again: a real change
    clerk = officer("tiepnhan.00131")
    declarations.release(clerk, d.id, stale)
    declarations.claim(clerk, d.id)
    db.session.commit()
    typed = "Ảnh chân dung bị che mặt, đề nghị chụp lại."
    refused = client.post(f"/declarations/{d.id}/reject", data={"version_id": stale, "code": "OTHER",
                                                                "free_text": typed})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert 'data-testid="conflict"' in page and "Cán bộ nhận xử lý" in page and "tiepnhan.00131" in page
    assert typed in page  # the typed text is kept
    assert f'href="/declarations/{d.id}" data-testid="reload"' in page  # one click reloads
    # the forms now carry the stored version: after seeing the change, one more click decides
    current = stored(d.id).version_id
    assert {int(v) for v in VERSION.findall(page)} == {current}
    again = client.post(f"/declarations/{d.id}/reject", data={"version_id": current, "code": "OTHER",
                                                              "free_text": typed})
    assert again.status_code == 303 and stored(d.id).state == S.rejected


def test_typed_text_survives_a_conflict_that_took_the_case_away(client, demo_logins):
    d = ready(failing=1)
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    stale = stored(d.id).version_id
    other = officer("tiepnhan.00131")
    declarations.release(other, d.id, stale)
    db.session.commit()
    typed = "Đã đối chiếu căn cước gốc tại quầy, thông tin đúng."
    refused = client.post(f"/declarations/{d.id}/approve", data={"version_id": stale, "justification": typed})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Trả về hàng chờ" in page and typed in page


JUSTIFICATION = "Đã đối chiếu căn cước gốc tại quầy, thông tin đúng."


def propose(client, declaration):
    """The clerk claims the declaration and proposes it over its failing check; returns the response."""
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{declaration.id}/claim")
    return client.post(f"/declarations/{declaration.id}/approve",
                       data={"version_id": stored(declaration.id).version_id, "justification": JUSTIFICATION},
                       follow_redirects=True)


def test_the_proposer_is_told_it_went_for_a_second_approval_not_that_it_was_approved(client, demo_logins):
    d = ready(failing=1)
    page = propose(client, d).get_data(as_text=True)
    assert stored(d.id).state == S.awaiting_second_approval
    assert "Đã gửi đề xuất phê duyệt lần hai" in page and "Đã ghi quyết định phê duyệt" not in page
    assert "Đã phê duyệt tờ khai" not in page


def test_second_approvals_have_a_queue_with_a_count_in_the_menu_and_can_be_returned(client, app, demo_logins):
    d = ready(failing=1)
    propose(client, d)
    client.post("/logout")
    colleague = app.test_client()
    login(colleague, "giamsat.00131")
    home = colleague.get("/declarations/second-approvals").get_data(as_text=True)
    assert 'data-testid="count-declarations.second_approvals">1<' in home and d.reference in home
    review = colleague.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert 'data-testid="return"' in review and 'data-testid="confirm"' in review
    version = stored(d.id).version_id
    short = colleague.post(f"/declarations/{d.id}/return", data={"version_id": version, "note": "không"})
    assert short.status_code == 422 and stored(d.id).state == S.awaiting_second_approval
    note = "Cần ảnh căn cước gốc chụp tại quầy trước khi duyệt."
    returned = colleague.post(f"/declarations/{d.id}/return", data={"version_id": version, "note": note})
    assert returned.status_code == 303
    back = stored(d.id)
    assert back.state == S.in_review and back.claimed_by_id == officer("tiepnhan.00131").id
    assert back.returned_note == note and back.decided_at is None
    empty = colleague.get("/declarations/second-approvals").get_data(as_text=True)
    assert 'data-testid="count-declarations.second_approvals"' not in empty and 'data-testid="empty"' in empty
    proposer = app.test_client()
    login(proposer, "tiepnhan.00131")
    assert note in proposer.get(f"/declarations/{d.id}").get_data(as_text=True)


def test_the_proposer_does_not_count_their_own_proposal_and_cannot_return_it(client, demo_logins):
    d = ready(failing=1)
    propose(client, d)
    clerk = officer("tiepnhan.00131")
    assert declarations.count_second_approvals(clerk) == 0 and declarations.second_approvals(clerk) == []
    assert declarations.count_second_approvals(officer("giamsat.00131")) == 1
    with pytest.raises(DomainError):
        declarations.return_to_proposer(clerk, d.id, stored(d.id).version_id, "Tự trả lại cho chính mình.")
    db.session.rollback()
    assert db.session.scalar(select(Declaration.state).where(Declaration.id == d.id)) == S.awaiting_second_approval


def pdf_text(response):
    import io

    from pypdf import PdfReader

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def waiting(client, reason="reupload_id_front"):
    """A declaration the clerk (signed in on `client`) sent to wait for the citizen."""
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    sent = client.post(f"/declarations/{d.id}/await", data={"version_id": stored(d.id).version_id,
                                                              "reason_code": reason})
    assert sent.status_code == 303
    return stored(d.id)


def test_a_waiting_case_has_a_working_day_deadline_and_the_officers_actions(client, demo_logins):
    from backoffice.services.platform import calendar

    d = waiting(client)
    first_due, version = d.due_on, d.version_id
    assert d.state == S.awaiting_citizen
    assert d.due_on == calendar.local_date(calendar.add_working_days(calendar.now(), 10))
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    for action in ("resume", "reject", "extend", "print-request"):
        assert f'data-testid="{action}"' in page, action
    assert f'data-testid="due-on">{d.due_on:%d/%m/%Y}<' in page
    slip = pdf_text(client.get(f"/declarations/{d.id}/print/request.pdf"))
    assert "PHIẾU YÊU CẦU BỔ SUNG" in slip and f"{d.due_on:%d/%m/%Y}" in slip and "mặt trước căn cước" in slip
    # extend once, with a reason
    short = client.post(f"/declarations/{d.id}/extend", data={"version_id": version, "note": "ốm"})
    assert short.status_code == 422 and stored(d.id).due_on == first_due
    extended = client.post(f"/declarations/{d.id}/extend", data={"version_id": version,
                                                                  "note": "Công dân đang điều trị tại bệnh viện."})
    assert extended.status_code == 303
    later = stored(d.id)
    later_due = later.due_on
    assert later.deadline_extended and later.due_on == calendar.local_date(calendar.add_working_days(
        calendar.datetime.combine(first_due, calendar.DAY_END, calendar.BUSINESS_TZ), 5))
    again = client.post(f"/declarations/{d.id}/extend", data={"version_id": later.version_id,
                                                               "note": "Công dân xin thêm thời gian lần nữa."})
    assert again.status_code == 422 and stored(d.id).due_on == later_due
    assert 'data-testid="extend"' not in client.get(f"/declarations/{d.id}").get_data(as_text=True)
    # the citizen came to the counter: back in review, claimed by the officer, marked returned
    resumed = client.post(f"/declarations/{d.id}/resume", data={"version_id": later.version_id})
    assert resumed.status_code == 303
    back = stored(d.id)
    assert back.state == S.in_review and back.claimed_by_id == officer("tiepnhan.00131").id and back.returned_at


def test_a_waiting_case_can_be_rejected_without_claiming_it(client, demo_logins):
    d = waiting(client, "counter_visit")
    rejected = client.post(f"/declarations/{d.id}/reject", data={"version_id": d.version_id, "code": "NO_SHOW"})
    assert rejected.status_code == 303 and stored(d.id).state == S.rejected


def test_the_no_show_sweep_rejects_at_the_deadline_and_tells_the_citizen(client, demo_logins):
    from datetime import datetime, timedelta

    from backoffice.models import OutboxMessage
    from backoffice.services.platform import calendar
    from backoffice.tasks.declarations import reject_no_shows

    d = waiting(client)
    due = d.due_on
    sent = db.session.scalar(select(db.func.count()).select_from(OutboxMessage))
    before_end = datetime.combine(due, calendar.DAY_END, calendar.BUSINESS_TZ) - timedelta(minutes=1)
    assert declarations.waiting.reject_no_shows(before_end) == []  # the deadline day is not over
    db.session.rollback()
    after_end = before_end + timedelta(minutes=2)
    assert declarations.waiting.reject_no_shows(after_end) == [d.id]
    db.session.commit()
    gone = stored(d.id)
    assert gone.state == S.rejected and gone.rejection_code == "NO_SHOW" and gone.decided_by_id is None
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == sent + 2  # SMS and email
    reject_no_shows()  # the periodic job: nothing left to do, and it runs again without harm
    assert stored(d.id).state == S.rejected


def test_the_no_show_sweep_is_a_periodic_job():
    from rq import cron

    import backoffice.tasks.cron  # noqa: F401 - registers the jobs
    from backoffice.tasks.declarations import reject_no_shows

    registered = {job["name"]: job for job in cron._job_data_registry}
    assert registered["no-show-sweep"]["func"] is reject_no_shows and registered["no-show-sweep"]["cron"]


def test_the_notice_of_a_decision_at_01_00_local_time_is_dated_that_local_day(client, demo_logins):
    from datetime import datetime, timezone

    d = ready()
    d.state, d.decided_at = S.approved, datetime(2026, 12, 3, 18, 0, tzinfo=timezone.utc)  # 01:00 on 4/12 in Hà Nội
    db.session.commit()
    login(client, "tiepnhan.00131")
    text = pdf_text(client.get(f"/declarations/{d.id}/print/notice.pdf"))
    assert "04/12/2026" in text and "03/12/2026" not in text


def test_the_queue_shows_who_holds_a_case_its_deadline_and_the_returned_mark(client, app, demo_logins):
    from backoffice.services.platform import calendar

    held, back = ready(), ready(seed=2)
    clerk = officer("tiepnhan.00131")
    declarations.claim(clerk, held.id)
    back.returned_at = back.submitted_at
    db.session.commit()
    colleague = app.test_client()
    login(colleague, "giamsat.00131")
    review = colleague.get(f"/declarations/{held.id}").get_data(as_text=True)
    assert f"Đang do {clerk.full_name} xử lý" in review  # seen before trying to take it
    login(client, "tiepnhan.00131")
    queue = client.get("/declarations/").get_data(as_text=True)
    assert f'<small data-testid="holder">{clerk.full_name}</small>' in queue
    assert queue.count('data-testid="returned"') == 1
    due = calendar.local_date(calendar.add_working_days(held.submitted_at, 1))
    assert f"{due:%d/%m/%Y}" in queue


def test_counter_search_finds_a_name_without_diacritics_and_a_phone_typed_with_84(client, demo_logins):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from backoffice.services.declarations.search import name_key

    d = ready(full_name="Đặng Thị Hương Giang", phone="0912345678")
    login(client, "tiepnhan.00131")
    for term in ("dang thi huong", "ĐẶNG THỊ HƯƠNG GIANG", "huong  giang", "+84 912 345 678", "+84912345678"):
        found = client.post("/declarations/search", data={"term": term}).get_data(as_text=True)
        assert d.reference in found, term
    other = client.post("/declarations/search", data={"term": "nguyen van"}).get_data(as_text=True)
    assert d.reference not in other
    wildcard = client.post("/declarations/search", data={"term": "%_"}).get_data(as_text=True)
    assert d.reference not in wildcard  # LIKE's wildcards are searched as themselves

    @given(st.text(max_size=40))
    @settings(max_examples=60, deadline=None)
    def folding_is_stable(text):
        assert name_key(name_key(text)) == name_key(text)
        assert name_key(text.upper()) == name_key(text.lower()) or not text.isascii()

    folding_is_stable()


def test_a_wait_started_at_01_00_local_time_counts_from_that_local_day(client, demo_logins, monkeypatch):
    from datetime import date, datetime

    from backoffice.services.declarations import workflow
    from backoffice.services.platform import calendar

    one_am = datetime(2026, 12, 4, 1, 0, tzinfo=calendar.BUSINESS_TZ)  # Friday 4/12 in Hà Nội, Thursday 3/12 in UTC
    monkeypatch.setattr(workflow, "now", lambda: one_am)
    d = waiting(client)
    expected = calendar.local_date(calendar.add_working_days(one_am, 10))
    assert d.due_on == expected and expected.weekday() == 4 and expected > date(2026, 12, 17)
    sms = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert f"{expected:%d/%m/%Y}" in sms


def test_reject_has_no_preselected_reason_and_errors_stand_at_their_field(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    reject_select = page.split('name="code"')[1].split("</select>")[0]
    assert "selected" not in reject_select and '<option value="">' in reject_select
    assert "ít nhất 10 ký tự" in page and 'maxlength' not in page.split('name="free_text"')[1].split(">")[0]
    version = stored(d.id).version_id
    unchosen = client.post(f"/declarations/{d.id}/reject", data={"version_id": version, "code": ""})
    body = unchosen.get_data(as_text=True)
    assert unchosen.status_code == 422 and stored(d.id).state == S.in_review
    assert 'id="code-error"' in body and "Hãy chọn lý do từ chối" in body  # next to the select


def test_text_over_the_limit_is_refused_with_a_message_never_cut(client, demo_logins):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    version = stored(d.id).version_id

    @given(extra=st.integers(min_value=1, max_value=300))
    @settings(max_examples=5, deadline=None)
    def refused(extra):
        text = "Ảnh chân dung bị che mặt. " * 40 + "x" * extra  # 1,040 characters and more
        response = client.post(f"/declarations/{d.id}/reject", data={"version_id": version, "code": "OTHER",
                                                                      "free_text": text})
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "Tối đa 1000 ký tự" in body and 'id="free_text-error"' in body
        assert text in body  # kept whole for the officer to shorten, not cut
        assert stored(d.id).state == S.in_review

    refused()


def test_a_reversed_date_range_says_so(client, demo_logins):
    ready()
    login(client, "tiepnhan.00131")
    for headers in ({}, {"HX-Request": "true"}):
        page = client.get("/declarations/?date_from=2026-12-10&date_to=2026-12-01", headers=headers)
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and 'data-testid="range-error"' in body and "10/12/2026" in body
        assert "Không có tờ khai nào phù hợp" not in body


def test_htmx_failures_are_shown_in_the_page_by_the_script(client):
    script = client.get("/static/app.js").get_data(as_text=True)
    assert "htmx:responseError" in script and "htmx:sendError" in script and "toasts" in script


def checked(declaration):
    """Compute and store the checks of a declaration (no OCR: an empty read), ready for review."""
    from backoffice.services.declarations import checks

    declaration.state = S.ready
    declaration.checks = checks.compute(declaration)
    declaration.failing_checks = checks.failing(declaration.checks)
    db.session.commit()
    return declaration


def check(declaration, code):
    return next(c for c in stored(declaration.id).checks if c["code"] == code)


def test_a_new_declaration_of_the_same_phone_refreshes_the_older_ones_checks(app, demo_logins):
    from backoffice.services.declarations import extraction

    first = checked(make_declaration(seed=1))
    assert check(first, "duplicates")["status"] == "pass"
    second = make_declaration(seed=2)  # same phone (0912345678), another mã số BHXH: a takeover signal
    extraction.finish(second.id, {"fields": {}, "warnings": []})
    db.session.commit()
    refreshed = check(first, "duplicates")
    assert refreshed["status"] == "warn" and refreshed["evidence"]["same_phone"] == [second.social_insurance_number]


def test_opening_the_review_page_recomputes_the_record_dependent_checks_without_a_new_version(client, demo_logins):
    from backoffice.models import ETransactionAccount

    d = checked(make_declaration(seed=1))
    version = d.version_id
    assert check(d, "duplicates")["status"] == "pass"
    db.session.add(ETransactionAccount(social_insurance_number=d.social_insurance_number, status="active",
                                       phone=d.phone, email=""))  # an account appeared meanwhile
    db.session.commit()
    login(client, "tiepnhan.00131")
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    now = check(d, "duplicates")
    assert now["status"] == "fail" and stored(d.id).failing_checks == d.failing_checks
    assert stored(d.id).version_id == version  # fresher evidence is no edit of the case
    duplicates_item = page.split('data-testid="check-duplicates"')[1].split("</li>")[0]
    assert "Không đạt" in duplicates_item and "đã có tài khoản giao dịch điện tử đang hoạt động" in duplicates_item


def _extraction(expiry, warnings=()):
    return {"document_type": "cccd_chip", "warnings": list(warnings), "fields": {
        "date_of_expiry": {"value": expiry, "source": "qr", "confidence": 0.99}}}


def test_an_expired_card_fails_the_id_check_not_image_quality(app, demo_logins):
    from backoffice.services.declarations import checks

    d = make_declaration()
    id_check = checks.id_fields(d, _extraction("2020-01-01", [checks.EXPIRED]))
    assert id_check["status"] == "fail" and id_check["evidence"]["expired_on"] == "2020-01-01"
    assert "Giấy tờ tùy thân đã hết hạn." in id_check["evidence"]["reasons"]
    quality = checks.image_quality(d, _extraction("2020-01-01", [checks.EXPIRED]))
    assert checks.EXPIRED not in quality["evidence"]["warnings"]
    valid = checks.id_fields(d, _extraction("2040-01-01"))
    assert "expired_on" not in valid["evidence"]


def test_portraits_phones_send_are_fine_and_small_ones_are_flagged(app, demo_logins):
    from backoffice.models import DeclarationDocument, DocumentKind
    from backoffice.services.declarations import checks

    d = make_declaration()
    read = {"fields": {"full_name": {}}, "warnings": []}
    d.documents.append(DeclarationDocument(kind=DocumentKind.portrait, stored_file=d.documents[0].stored_file,
                                           width=480, height=640))
    assert checks.image_quality(d, read)["status"] == "pass"
    d.documents[-1].width, d.documents[-1].height = 400, 533
    assert checks.image_quality(d, read)["evidence"]["too_small"] == ["portrait"]
    db.session.rollback()


def test_a_childs_guardian_phone_is_no_takeover_signal(app, demo_logins):
    from backoffice.models import ETransactionAccount, Participant
    from backoffice.services.declarations import checks

    guardian = Participant(social_insurance_number="0199887766", full_name="Nguyễn Văn Bố",
                           date_of_birth=__import__("datetime").date(1985, 1, 1), sex="Nam", phone="0987654321",
                           office_id=officer("tiepnhan.00131").office_id)
    db.session.add_all([guardian, ETransactionAccount(social_insurance_number="0199887766", status="active",
                                                      phone="0987654321", email="")])
    db.session.commit()
    child = make_declaration(seed=3, kind="register_child", phone="0987654321", id_type=None, id_number=None,
                             guardian_social_insurance_number="0199887766")
    assert "same_phone" not in checks.duplicates(child)["evidence"]
    stranger = make_declaration(seed=4, phone="0987654321")  # an adult with someone else's phone still is
    assert checks.duplicates(stranger)["evidence"]["same_phone"]


def test_every_failing_check_says_why_in_words(app, demo_logins):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from backoffice.services.declarations import checks, evidence

    base = make_declaration()

    @given(name=st.sampled_from(["Trần Văn Khác", base.full_name]), sin=st.sampled_from(["0000000001", "0999999999"]),
           expiry=st.sampled_from(["2020-01-01", "2040-01-01", None]), read=st.booleans())
    @settings(max_examples=25, deadline=None)
    def explained(name, sin, expiry, read):
        base.full_name, base.social_insurance_number = name, sin
        base.extraction = _extraction(expiry) if read else None
        for c in checks.compute(base):
            if c["status"] == "fail":
                worded = dict(evidence.lines(c["evidence"]))
                assert worded.get("Lý do") or worded.get("Vấn đề"), c

    explained()
    db.session.rollback()


def test_date_filters_are_typed_dd_mm_yyyy_and_the_language_switch_keeps_the_filters(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    day = f"{d.submitted_at.astimezone(__import__('zoneinfo').ZoneInfo('Asia/Ho_Chi_Minh')):%d/%m/%Y}"
    for language in ("vi", "en"):
        client.post("/language", data={"language": language, "next": "/"})
        page = client.get(f"/declarations/?date_from={day}&date_to={day}&kind=register").get_data(as_text=True)
        assert d.reference in page and 'placeholder="dd/mm/yyyy"' in page and 'type="date"' not in page
        assert f'name="next" value="/declarations/?date_from={day}&amp;date_to={day}&amp;kind=register"' in page
    switched = client.post("/language", data={"language": "vi",
                                              "next": f"/declarations/?date_from={day}&kind=register"})
    assert switched.headers["Location"] == f"/declarations/?date_from={day}&kind=register"
    assert client.get("/declarations/?date_from=31/02/2026").status_code == 400


def _guardian_and_child():
    from datetime import date

    from backoffice.models import ETransactionAccount, Participant

    db.session.add_all([Participant(social_insurance_number="0199887766", full_name="Nguyễn Văn Bố",
                                    date_of_birth=date(1985, 1, 1), sex="Nam", phone="0987654321",
                                    office_id=officer("tiepnhan.00131").office_id),
                        ETransactionAccount(social_insurance_number="0199887766", status="active",
                                            phone="0987654321", email="")])
    db.session.commit()
    return ready(seed=3, kind="register_child", full_name="Nguyễn Minh Khôi", phone="0987654321", id_type=None,
                 id_number=None, guardian_social_insurance_number="0199887766")


def test_the_review_page_shows_the_declared_contact_in_full_and_audits_each_view(client, demo_logins):
    from backoffice.models import AuditEntry

    d = ready()
    login(client, "tiepnhan.00131")
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert f'data-testid="declared-sin">{d.social_insurance_number}<' in page
    assert f'data-testid="declared-phone">{d.phone}<' in page and f'data-testid="declared-email">{d.email}<' in page
    client.get(f"/declarations/{d.id}")
    views = db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "declaration_contact_viewed", AuditEntry.object_id == str(d.id)))
    assert views == 2
    queue = client.get("/declarations/").get_data(as_text=True)
    assert d.phone not in queue  # lists stay masked


def test_an_update_shows_old_and_new_values_side_by_side(client, demo_logins):
    d = ready(kind="update")
    d.full_name = "Trần Thị Mới"
    db.session.commit()
    login(client, "tiepnhan.00131")
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert "Giá trị mới (kê khai)" in page and "Giá trị cũ (sổ)" in page
    assert 'data-testid="changed-full_name"' in page and 'data-testid="changed-date_of_birth"' not in page


def test_a_childs_case_shows_the_guardian_and_its_documents_speak_to_the_guardian(client, demo_logins):
    d = _guardian_and_child()
    login(client, "tiepnhan.00131")
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    guardian = page.split('data-testid="guardian"')[1].split("</dl>")[0]
    assert "Nguyễn Văn Bố" in guardian and "0199887766" in guardian and "Đang hoạt động" in guardian
    client.post(f"/declarations/{d.id}/claim")
    claimed = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    wait = claimed.split('name="reason_code"')[1].split("</select>")[0]
    # the child has no ID card to bring: the wait asks for the birth certificate first
    assert re.search(r'<option[^>]*(value="reupload_birth_certificate"[^>]*selected|selected[^>]*'
                     r'value="reupload_birth_certificate")', wait), wait
    form = pdf_text(client.get(f"/declarations/{d.id}/print/form.pdf"))
    assert "Thông tin người giám hộ" in form and "Nguyễn Văn Bố" in form and ", ngày " in form
    d.state, d.decided_at = S.approved, d.submitted_at
    db.session.commit()
    notice = pdf_text(client.get(f"/declarations/{d.id}/print/notice.pdf"))
    assert "Kính gửi: Ông/Bà Nguyễn Văn Bố" in notice and "người giám hộ" in notice
    assert "cho cháu Nguyễn Minh Khôi" in notice


def test_the_review_pages_tabs_work_without_script_and_link_to_the_page_itself(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    page = client.get(f"/declarations/{d.id}?tab=timeline").get_data(as_text=True)
    assert 'class="case-screen"' in page  # the one-screen frame the reissue and complaint pages use
    assert 'id="tab-timeline" aria-labelledby="tab-timeline-tab" tabindex="0">' in page
    assert 'id="tab-checks" aria-labelledby="tab-checks-tab" tabindex="0" hidden>' in page
    assert 'data-testid="check-register"' in page
    # the page again after a refused decision (its address is the POST's): the tabs still lead to the page
    refused = client.post(f"/declarations/{d.id}/reject", data={"version_id": stored(d.id).version_id, "code": ""})
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f'href="/declarations/{d.id}?tab=timeline"' in shown
    assert "/reject?tab=" not in shown
    # no form inside a paragraph (the HTML parser would close the paragraph: the layout breaks)
    assert not re.search(r"<p[ >](?:(?!</p>).)*<form", shown, re.S)
