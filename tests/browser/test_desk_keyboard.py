"""The review page at 1366×768 in Chromium: one screen per case, its own viewer per photo, and the keyboard's way
from "take next" to a decision in at most three key presses (issue 18, item 4)."""
import re

import pytest
from playwright.sync_api import expect

from backoffice.extensions import db
from backoffice.models import Declaration, DeclarationState
from tests.browser.test_shell import sign_in
from tests.declarations.conftest import make_declaration

pytestmark = pytest.mark.browser


def _ready(**overrides):
    declaration = make_declaration(**overrides)
    from backoffice.services.declarations import checks

    declaration.state = DeclarationState.ready
    # no photo read here: the ID check is set passing, the others are computed (they pass for this one)
    declaration.checks = [c if c["code"] != "id_fields" else {**c, "status": "pass", "evidence": {}}
                          for c in checks.compute(declaration)]
    declaration.failing_checks = checks.failing(declaration.checks)
    db.session.commit()
    return declaration.id


def _settled(page):
    """No htmx request in flight and no swap still settling."""
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def _visible_without_scrolling(page, locator):
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, box
    return box


@pytest.mark.parametrize("language, approved", [("vi", "Đã duyệt"), ("en", "Approved")])
def test_take_next_to_a_decision_in_two_key_presses_on_one_screen(app, page, live_server, demo_logins,
                                                                   csp_violations, language, approved):
    first, second = _ready(seed=1), _ready(seed=2)
    sign_in(page, live_server, "tiepnhan.00131")
    page.goto(f"{live_server}/declarations/")
    if language == "en":  # English labels are longer: the one-screen layout must hold in both languages
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_load_state()  # the keys are app.js's (deferred): a key pressed before it runs is lost
    presses = 0
    page.keyboard.press("n")  # take next
    presses += 1
    expect(page.get_by_test_id("decision")).to_be_visible()
    # one screen: the comparison, the photos and the decision panel without scrolling the page
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 2")  # nothing below the window
    _visible_without_scrolling(page, page.locator("table.compare").first)
    _visible_without_scrolling(page, page.get_by_test_id("check-register"))  # the first tab, open
    _visible_without_scrolling(page, page.get_by_test_id("viewer-id_front"))
    # every photo, each whole: the photos column fits the screen below the case's head
    _visible_without_scrolling(page, page.locator(".case-photos"))
    for viewer in page.locator("[data-viewer]").all():
        _visible_without_scrolling(page, viewer)
    expect(page.get_by_test_id("deadline").get_by_test_id("due-badge")).to_be_visible()
    decision = _visible_without_scrolling(page, page.get_by_test_id("decision"))
    assert decision["y"] + decision["height"] <= 768
    expect(page.get_by_test_id("shortcuts")).to_contain_text("A")
    # each photo zooms on its own
    front, back = page.get_by_test_id("viewer-id_front"), page.get_by_test_id("viewer-id_back")
    front.focus()
    page.keyboard.press("+")
    assert "zoom-1" in (front.get_attribute("class") or "") and "zoom-1" not in (back.get_attribute("class") or "")
    page.keyboard.press("]")  # the next photo
    expect(back).to_be_focused()
    page.locator("body").click(position={"x": 5, "y": 5})
    opened = page.get_by_test_id("reference").inner_text()
    page.keyboard.press("x")  # approve and take the next one
    presses += 1
    assert presses <= 3
    expect(page.get_by_test_id("reference")).not_to_have_text(opened)
    expect(page.get_by_test_id("decision")).to_be_visible()
    db.session.expire_all()
    decided = {d.id: d.state for d in db.session.query(Declaration).filter(Declaration.id.in_((first, second)))}
    assert sorted(decided.values()) == sorted([DeclarationState.approved, DeclarationState.in_review])
    _settled(page)  # the next case swapped in and processed by htmx: its buttons post, as a person sees them
    page.keyboard.press("a")  # and the second in one more press
    expect(page.get_by_test_id("state")).to_have_text(approved, timeout=15_000)  # a loaded CI machine
    db.session.expire_all()
    assert {d.state for d in db.session.query(Declaration)} == {DeclarationState.approved}
    assert csp_violations == []


@pytest.mark.parametrize("language, other", [("vi", "English"), ("en", "Tiếng Việt")])
def test_filters_applied_by_htmx_survive_the_language_switch_and_a_bad_date_says_so_once(
        page, live_server, demo_logins, csp_violations, language, other):
    _ready(seed=1)
    sign_in(page, live_server, "tiepnhan.00131")
    page.goto(f"{live_server}/declarations/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("select[name=kind]").select_option("register")  # htmx: the address changes, not the page
    expect(page).to_have_url(re.compile(r"kind=register"))
    field = page.locator("input[name=date_from]")
    field.fill("31/02/2026")
    field.press("Enter")
    toast = page.locator("#toasts .toast")
    expect(toast).to_contain_text("dd/mm/yyyy")
    page.wait_for_timeout(300)
    assert toast.count() == 1  # one request, one message
    field.fill("01/01/2026")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"date_from=01%2F01%2F2026"))
    page.get_by_role("button", name=other).click()
    expect(page).to_have_url(re.compile(r"kind=register.*date_from=01%2F01%2F2026"))
    expect(page.locator("select[name=kind]")).to_have_value("register")
    expect(page.locator("input[name=date_from]")).to_have_value("01/01/2026")
    assert csp_violations == []
