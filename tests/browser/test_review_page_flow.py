"""The desk's review page on one 1366×768 screen in Chromium, in Vietnamese and in English, for each kind of case
and each state an officer meets: the comparison table, every photo and the decision panel inside the window with
no page scroll; the check results, related records, messages and timeline behind tabs (issue 18, item 4)."""
import os
import random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AccountStatus, DeclarationState, DocumentKind, ETransactionAccount, Participant
from backoffice.services import declarations
from backoffice.services.declarations import checks
from backoffice.services.declarations.demo import _birth_certificate, _portrait
from backoffice.services.platform import calendar
from tests.browser.test_shell import sign_in
from tests.declarations.conftest import _document, make_declaration, officer

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1366, 768
CLERK, SUPERVISOR = "tiepnhan.00131", "giamsat.00131"
GUARDIAN_SIN = "0199887766"


def _with_portrait(declaration, seed):
    declaration.documents.insert(0, _document(DocumentKind.portrait, _portrait(random.Random(seed)),
                                              declaration.office_id))
    return declaration


def _ready(declaration, failing=False):
    """Ready for review, its checks computed (the photos are not read here: the ID check is set passing);
    `failing`: its mã số BHXH is not in the register, so that check fails."""
    if failing:
        declaration.social_insurance_number = "0999999991"
    declaration.state = DeclarationState.ready
    computed = [c if c["code"] != "id_fields" else {**c, "status": "pass", "evidence": {}}
                for c in checks.compute(declaration)]
    declaration.checks, declaration.failing_checks = computed, checks.failing(computed)
    db.session.commit()
    return declaration


def _claimed(declaration, username=CLERK):
    declarations.claim(officer(username), declaration.id)
    db.session.commit()
    return declaration


def register_case():
    """An adult's registration, claimed by the clerk, with a failing check (the decision panel at its tallest) and
    another declaration from the same phone (a related record)."""
    _ready(make_declaration(seed=6))
    return _claimed(_ready(_with_portrait(make_declaration(seed=1), 1), failing=True)), CLERK, "decision"


def update_case():
    """An update: the new name declared beside the old one in the register."""
    declaration = _with_portrait(make_declaration(seed=2, kind="update"), 2)
    declaration.full_name = "Trần Thị Mới"
    return _claimed(_ready(declaration)), CLERK, "decision"


def child_case():
    """A child's registration by a guardian who has an account: the guardian and the birth certificate shown."""
    from datetime import date

    db.session.add_all([Participant(social_insurance_number=GUARDIAN_SIN, full_name="Nguyễn Văn Bố",
                                    date_of_birth=date(1985, 1, 1), sex="Nam", phone="0987654321",
                                    office_id=officer(CLERK).office_id),
                        ETransactionAccount(social_insurance_number=GUARDIAN_SIN, status=AccountStatus.active,
                                            phone="0987654321", email="")])
    born = date(calendar.today().year - 7, 3, 2)
    declaration = make_declaration(seed=3, kind="register_child", full_name="Nguyễn Minh Khôi", date_of_birth=born,
                                   sex="Nam", phone="0987654321", id_type=None, id_number=None,
                                   guardian_social_insurance_number=GUARDIAN_SIN)
    child = db.session.scalar(select(Participant).where(
        Participant.social_insurance_number == declaration.social_insurance_number))
    child.full_name, child.date_of_birth, child.sex, child.id_number = "Nguyễn Minh Khôi", born, "Nam", None
    declaration.documents = [_document(DocumentKind.portrait, _portrait(random.Random(3)), declaration.office_id),
                             _document(DocumentKind.birth_certificate,
                                       _birth_certificate(declaration.full_name, born), declaration.office_id)]
    return _claimed(_ready(declaration)), CLERK, "decision"


def waiting_case():
    """A case waiting for the citizen: resume, reject and extend offered."""
    declaration = _claimed(_ready(_with_portrait(make_declaration(seed=4), 4)))
    db.session.refresh(declaration)
    declarations.await_citizen(officer(CLERK), declaration.id, declaration.version_id, "reupload_id_front")
    db.session.commit()
    return declaration, CLERK, "waiting"


def second_approval_case():
    """A proposal over a failing check, opened by the supervisor: confirm or return offered."""
    declaration = _claimed(_ready(_with_portrait(make_declaration(seed=5), 5), failing=True))
    db.session.refresh(declaration)
    declarations.approve(officer(CLERK), declaration.id, declaration.version_id,
                         "Đã đối chiếu căn cước gốc tại quầy, thông tin đúng.")
    db.session.commit()
    return declaration, SUPERVISOR, "second-approval"


CASES = {"register": register_case, "update": update_case, "register_child": child_case,
         "waiting": waiting_case, "second_approval": second_approval_case}


def _inside_the_window(locator):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0 and box["y"] >= 0, (locator, box)
    assert box["x"] + box["width"] <= WIDTH + 1 and box["y"] + box["height"] <= HEIGHT + 1, (locator, box)


def _no_page_scroll(page):
    page.wait_for_load_state()  # measured with the style sheet applied, not before it arrives
    height, inner_height, width, inner_width, scrolled = page.evaluate(
        "[document.scrollingElement.scrollHeight, innerHeight, document.scrollingElement.scrollWidth, innerWidth,"
        " scrollY]")
    assert height <= inner_height + 2 and width <= inner_width + 2 and scrolled == 0, (height, width, scrolled)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_review_page_is_one_screen(page, live_server, demo_logins, csp_violations, case, language):
    declaration, username, panel = CASES[case]()
    sign_in(page, live_server, username)
    page.goto(f"{live_server}/declarations/{declaration.id}")
    if language == "en":  # English labels are longer: the one-screen layout must hold in both languages
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.wait_for_load_state("load")  # its stylesheet applied: a layout measured before is the unstyled page's
    expect(page.get_by_test_id(panel)).to_be_visible()
    for image in page.locator("[data-viewer] img").all():  # loaded (lazily: those in view), so each has its size
        expect(image).to_have_js_property("complete", True)
    if os.environ.get("CASE_SHOTS"):  # to look at them: CASE_SHOTS=/some/folder
        page.screenshot(path=os.path.join(os.environ["CASE_SHOTS"], f"review-{case}-{language}.png"))
    _no_page_scroll(page)
    _inside_the_window(page.locator("table.compare").first)
    viewers = page.locator("[data-viewer]").all()
    assert len(viewers) == len(declaration.documents) >= 2
    for viewer in viewers:  # every photo, each whole, each with its own tools
        _inside_the_window(viewer)
        expect(viewer.locator("img")).to_be_visible()
    _inside_the_window(page.get_by_test_id(panel))
    if case == "update":  # old and new side by side
        expect(page.get_by_test_id("changed-full_name")).to_be_visible()
    if case == "register":  # the other declaration from the same phone, behind its own tab
        page.get_by_test_id("tab-related").click()
        expect(page.locator("#tab-related li")).to_have_count(1)
        page.get_by_test_id("tab-checks").click()
        # each photo zooms, rotates and pans on its own, inside its own frame
        front, back = page.get_by_test_id("viewer-id_front"), page.get_by_test_id("viewer-id_back")
        front.locator("[data-zoom=in]").click()
        front.locator("[data-zoom=in]").click()
        back.locator("[data-rotate]").click()
        expect(front).to_have_class("viewer zoom-2")
        expect(back).to_have_class("viewer rot-1")
        frame = front.locator("[data-pan]")
        box = frame.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 - 80, box["y"] + box["height"] / 2 - 40, steps=4)
        page.mouse.up()
        assert frame.evaluate("f => [f.scrollLeft, f.scrollTop]") == [80, 40]
        _inside_the_window(front)
        _no_page_scroll(page)
    if case == "register_child":
        _inside_the_window(page.get_by_test_id("guardian"))
        expect(page.get_by_test_id("guardian")).to_contain_text("Nguyễn Văn Bố")
        expect(page.get_by_test_id("viewer-birth_certificate")).to_be_visible()

    # the rest behind tabs: the check results first, the timeline and the messages a click or a key away
    checks_tab = page.get_by_test_id("tab-checks")
    expect(checks_tab).to_have_attribute("aria-selected", "true")
    found = page.get_by_test_id("check-register")
    found.scroll_into_view_if_needed()  # inside its own column: the page stays put
    expect(found).to_be_visible()
    _inside_the_window(found)
    _no_page_scroll(page)
    page.get_by_test_id("tab-timeline").click()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    expect(found).to_be_hidden()
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("m")  # the messages, by their key
    expect(page.locator("#tab-messages")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_be_hidden()
    _no_page_scroll(page)
    checks_tab.click()
    expect(found).to_be_visible()
    assert csp_violations == []



def test_a_refusal_and_a_conflict_stay_on_one_screen_with_the_typed_text(page, live_server, demo_logins,
                                                                         csp_violations):
    declaration, username, _ = register_case()
    sign_in(page, live_server, username)
    page.goto(f"{live_server}/declarations/{declaration.id}")
    page.locator("#justification").fill("ngắn")  # under the stated minimum: refused at its field
    page.get_by_test_id("approve").click()
    expect(page.locator("#justification-error")).to_be_visible()
    expect(page.locator("#justification")).to_be_focused()
    _inside_the_window(page.locator("#justification-error"))
    _no_page_scroll(page)
    clerk = officer(CLERK)  # another tab of the same officer gives it back and takes it again: a real change
    declarations.release(clerk, declaration.id, declaration.version_id)
    declarations.claim(clerk, declaration.id)
    db.session.commit()
    typed = "Ảnh chân dung bị che mặt, đề nghị chụp lại."
    page.locator("[data-testid='decision'] #code").select_option("OTHER")
    page.locator("[data-testid='decision'] #free_text").fill(typed)
    page.get_by_test_id("reject").click()
    expect(page.get_by_test_id("conflict")).to_be_visible()
    _no_page_scroll(page)
    _inside_the_window(page.get_by_test_id("conflict"))
    _inside_the_window(page.get_by_test_id("reload"))
    expect(page.locator("[data-testid='decision'] #free_text")).to_have_value(typed)
    page.get_by_test_id("reject").scroll_into_view_if_needed()  # in its own column
    _inside_the_window(page.get_by_test_id("reject"))
    _no_page_scroll(page)
    if os.environ.get("CASE_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["CASE_SHOTS"], "review-conflict-vi.png"))
    page.get_by_test_id("reject").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã từ chối")
    assert csp_violations == []


@pytest.mark.parametrize("width, height", [(1024, 768), (1366, 560)])
def test_a_small_window_falls_back_to_a_page_that_scrolls(page, live_server, demo_logins, width, height):
    declaration, username, panel = register_case()
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server, username)
    page.goto(f"{live_server}/declarations/{declaration.id}")
    expect(page.get_by_test_id(panel)).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollHeight > innerHeight + 100")
    for frame in page.locator(".viewer-frame").all():  # each photo keeps a frame of its own height
        assert frame.bounding_box()["height"] >= 120
    page.get_by_test_id(panel).scroll_into_view_if_needed()
    expect(page.get_by_test_id("approve")).to_be_in_viewport()
    if os.environ.get("CASE_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["CASE_SHOTS"], f"review-small-{width}x{height}.png"),
                        full_page=True)
