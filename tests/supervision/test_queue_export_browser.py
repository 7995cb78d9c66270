"""In Chromium: a supervisor narrows a department queue with htmx (no reload) and downloads it; the file holds the
rows shown, not the ones the page was first rendered with."""
import pytest
from playwright.sync_api import expect

from backoffice.extensions import db
from backoffice.services.reissue import demo
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures
    browser_context_args,
    browser_type_launch_args,
    csp_violations,
    live_server,
)
from tests.browser.test_shell import sign_in
from tests.reissue.conftest import world  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def app_settings(app_settings):
    app_settings["WTF_CSRF_ENABLED"] = True
    return app_settings


def test_the_queue_downloads_as_filtered_now(page, live_server, world, csp_violations):  # noqa: F811
    books = [demo.create_from_payload(world["book"]) for _ in range(2)]
    cards = [demo.create_from_payload(world["card_pickup"]) for _ in range(3)]
    db.session.commit()
    sign_in(page, live_server, "giamsat.00131")
    page.goto(f"{live_server}/reissue/")
    expect(page.get_by_test_id("reissue-row")).to_have_count(5)
    page.locator("#kind").select_option("si_book")  # htmx swaps the rows; the page is not reloaded
    expect(page.get_by_test_id("reissue-row")).to_have_count(2)
    with page.expect_download() as downloading:
        page.get_by_test_id("export-reissue_queue").get_by_role("button", name="Xuất tệp").click()
    lines = open(downloading.value.path(), encoding="utf-8-sig").read().splitlines()
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(r.reference for r in books)
    assert not any(card.reference in "\n".join(lines) for card in cards)
    assert csp_violations == []
