"""Home in headless chromium: links navigate, projector mode enlarges the type, nothing leaves localhost."""

import pytest

from app.registry import PAGES
from testkit.browser import shot
from testkit.browser import goto, no_exceptions, wait_idle

pytestmark = pytest.mark.e2e

FONT_JS = "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=\"stMain\"] .stMarkdown p')).fontSize)"


def test_home_links_navigate_to_every_page(page, live_server):
    goto(page, live_server)
    links = page.locator('[data-testid="stMain"] [data-testid="stPageLink"]')
    links.first.wait_for(timeout=60_000)
    assert links.count() == len(PAGES)
    for info in PAGES:
        goto(page, live_server)
        page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a', has_text=info.title).click()
        page.wait_for_url(f"**/{info.url_path}*")
        wait_idle(page)
        page.wait_for_selector('[data-testid="stMain"] h1')
        no_exceptions(page)
    assert page.console_errors == [], page.console_errors


def test_projector_toggle_enlarges_type_and_sticks_in_url(page, live_server):
    goto(page, live_server)
    normal = page.evaluate(FONT_JS)
    shot(page, "home_normal")
    page.get_by_text("Projector mode").click()
    page.wait_for_url("**/?projector=1")
    wait_idle(page)
    page.wait_for_function(f"() => ({FONT_JS})() >= {normal * 1.4 - 0.01}")
    big = page.evaluate(FONT_JS)
    assert big >= normal * 1.4
    shot(page, "home_projector")
    page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a').first.click()
    page.wait_for_url("**projector=1*")
    goto(page, live_server, query="projector=1")
    assert page.evaluate(FONT_JS) >= normal * 1.4
    assert page.console_errors == [], page.console_errors
