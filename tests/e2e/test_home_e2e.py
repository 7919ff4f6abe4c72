"""Home in headless chromium: links navigate, projector mode enlarges the type, nothing leaves localhost."""

import re

import pytest
from playwright.sync_api import expect

from app.registry import PAGES
from testkit.browser import goto, no_exceptions, shot, wait_idle
from testkit.server import streamlit_server

pytestmark = pytest.mark.e2e

FONT_JS = "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=\"stMain\"] .stMarkdown p')).fontSize)"


def test_home_links_navigate_to_every_page(page, live_server):
    goto(page, live_server)
    links = page.locator('[data-testid="stMain"] [data-testid="stPageLink"]')
    expect(links.first).to_be_visible(timeout=60_000)
    assert links.count() == len(PAGES)
    for info in PAGES:
        goto(page, live_server)
        page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a', has_text=info.title).click()
        page.wait_for_url(f"**/{info.url_path}*")
        wait_idle(page)
        expect(page.locator('[data-testid="stMain"] h1').first).to_be_visible()
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


def test_first_click_of_a_fresh_server_counts(page):
    """The very first script run of a server process is special (Streamlit's old `pages/` folder handling,
    app/main.py restarts it): the first visitor's first click must still reach the server."""
    with streamlit_server() as (url, _proc):
        goto(page, url)
        page.get_by_text("Projector mode").click()
        page.wait_for_url("**/?projector=1", timeout=15_000)
        wait_idle(page)
        expect(page.get_by_role("switch", name="Projector mode")).to_be_checked()


def test_a_deep_link_to_a_fresh_server_opens_that_page(page):
    """The restarted first run (see app/main.py) keeps the page and the query the link asked for."""
    with streamlit_server() as (url, _proc):
        goto(page, url, "pooling", "projector=1")
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(re.compile(r"^Pooling"))
        assert "projector=1" in page.url
        expect(page.get_by_role("switch", name="Projector mode")).to_be_checked()


def test_projector_mode_collapses_the_sidebar(page, live_server):
    """At 1024 px the sidebar would take 300 px from the page: projector mode starts with it closed."""
    page.set_viewport_size({"width": 1024, "height": 768})
    goto(page, live_server, query="projector=1")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.bounding_box() is None or sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
    goto(page, live_server)
    page.set_viewport_size({"width": 1366, "height": 768})
    goto(page, live_server, query="")
    expect(sidebar, "normal mode keeps the sidebar open on a laptop").to_be_in_viewport(ratio=1)
