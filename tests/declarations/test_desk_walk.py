"""What walking the desk in Chromium at 1366×768 in Vietnamese and English showed (issue 18), each fixed here."""
from backoffice.extensions import db
from backoffice.services import declarations
from tests.conftest import login
from tests.declarations.conftest import officer
from tests.declarations.test_desk_day import JUSTIFICATION, ready, stored, waiting


def test_a_date_filter_that_is_no_date_is_refused_in_the_form_the_field_asks_for(client, demo_logins):
    login(client, "tiepnhan.00131")
    for language, words in (("vi", "theo dạng dd/mm/yyyy"), ("en", "written dd/mm/yyyy")):
        client.post("/language", data={"language": language, "next": "/"})
        refused = client.get("/declarations/?date_from=31/02/2026", headers={"HX-Request": "true"})
        text = refused.get_data(as_text=True)
        assert refused.status_code == 400 and words in text and "YYYY-MM-DD" not in text


def test_the_queue_filters_send_one_request_at_a_time(client, demo_logins):
    # Enter in a date field fires both "change" and "submit": without hx-sync, two requests and two error toasts
    login(client, "tiepnhan.00131")
    page = client.get("/declarations/").get_data(as_text=True)
    assert 'hx-trigger="change, submit" hx-sync="this:replace"' in page


def test_the_language_switch_after_a_post_returns_to_the_page_the_form_came_from(client, demo_logins):
    d = ready()
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    review = f"/declarations/{d.id}"
    refused = client.post(f"{review}/reject", data={"version_id": stored(d.id).version_id, "code": ""},
                          headers={"Referer": f"http://localhost{review}"})
    assert refused.status_code == 422
    assert f'name="next" value="{review}"' in refused.get_data(as_text=True)  # not the POST's address (405)
    found = client.post("/declarations/search", data={"term": d.reference},
                        headers={"Referer": "http://localhost/declarations/?kind=register"})
    assert 'name="next" value="/declarations/?kind=register"' in found.get_data(as_text=True)
    elsewhere = client.post("/declarations/search", data={"term": d.reference},
                            headers={"Referer": "https://elsewhere.example/declarations/"})
    assert 'name="next" value="/"' in elsewhere.get_data(as_text=True)
    assert client.get("/declarations/?kind=register").status_code == 200


def test_a_childs_missing_id_number_is_a_dash_not_a_mask(client, demo_logins):
    ready(id_number=None, id_type=None, kind="register_child")
    login(client, "tiepnhan.00131")
    queue = client.get("/declarations/").get_data(as_text=True)
    assert "<td>—</td>" in queue and "<td>****</td>" not in queue


def test_a_case_sent_back_by_the_second_approver_is_marked_returned_not_supplemented(client, app, demo_logins):
    d = ready(failing=1)
    login(client, "tiepnhan.00131")
    client.post(f"/declarations/{d.id}/claim")
    client.post(f"/declarations/{d.id}/approve", data={"version_id": stored(d.id).version_id,
                                                       "justification": JUSTIFICATION})
    supervisor = app.test_client()
    login(supervisor, "giamsat.00131")
    supervisor.post(f"/declarations/{d.id}/return", data={"version_id": stored(d.id).version_id,
                                                          "note": "Ảnh chân dung không khớp, kiểm tra lại."})
    queue = client.get("/declarations/").get_data(as_text=True)
    assert '<span class="badge returned" data-testid="returned">Trả lại</span>' in queue
    assert "Đã bổ sung" not in queue


def test_the_systems_own_notes_and_titles_are_in_english(client, demo_logins):
    d = waiting(client)
    client.post(f"/declarations/{d.id}/resume", data={"version_id": d.version_id})
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert "Returned: The citizen came to the counter." in page and "Công dân đã đến quầy" not in page
    assert "<title>Declaration " in page and ">Declaration <span" in page and "Declarations <span" not in page
    other = ready(seed=3)
    declarations.claim(officer("tiepnhan.00131"), other.id)
    db.session.commit()
    button = client.get(f"/declarations/{other.id}").get_data(as_text=True)
    assert ">Wait for the citizen</button>" in button  # the action, not the state's "Waiting for the citizen"
