"""Classroom mode in headless chromium: 2 Streamlit replicas behind nginx, the class-code gate, sticky sessions.

Every replica names itself in the sidebar ("Served by replica N", from CONVLAB_REPLICA) and nginx adds an
X-ConvLab-Upstream header naming the process that answered each HTTP request.
"""

import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.join_address import join_url
from deploy.classroom import NGINX, cluster
from testkit.browser import ARTIFACTS, no_exceptions, shot, wait_idle
from testkit.server import is_local

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(NGINX).exists() and not shutil.which("nginx"),
                       reason="nginx is not installed (`make test` installs Debian's nginx)"),
]

CODE = "pixels-42"
REPLICA_RE = re.compile(r"Served by replica (\d+)")
GAPS = "Kernel 2, stride 3 (gaps)"


@pytest.fixture(scope="module")
def classroom():
    ARTIFACTS.mkdir(exist_ok=True)
    with cluster(replicas=2, bind="127.0.0.1", code=CODE, run_dir=ARTIFACTS / "classroom-e2e") as c:
        yield c


def _student(browser):
    """A new browser (own cookies) that records the upstream of every proxied response and every URL."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.upstreams, page.urls = [], []
    page.on("request", lambda r: page.urls.append(r.url))
    page.on("response", lambda r: page.upstreams.append(r.headers.get("x-convlab-upstream")))
    return context, page


def _join(page, url: str) -> int:
    """Open the app, give the class code, and return the replica that serves this browser."""
    page.goto(url)
    page.get_by_label("Class code", exact=True).fill(CODE)
    page.get_by_role("button", name="Join").click()
    expect(page.locator('[data-testid="stMain"] h1', has_text="ConvLab").first).to_be_visible(timeout=60_000)
    wait_idle(page)
    return _replica(page)


def _replica(page) -> int:
    text = page.locator('[data-testid="stSidebar"]').get_by_text(REPLICA_RE).inner_text()
    return int(REPLICA_RE.search(text).group(1))


def _gaps_preset(page) -> None:
    """Open Pooling through the sidebar and press a preset; its result must appear."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Pooling").click()
    page.get_by_role("button", name=GAPS).click()
    expect(page.locator('[data-testid="pool-missed"]').first).to_contain_text("Missed pixels: 28 of 64", timeout=60_000)
    wait_idle(page)
    no_exceptions(page)


def test_wrong_code_is_refused_and_nothing_else_runs(browser, classroom):
    context, page = _student(browser)
    try:
        page.goto(classroom.url)
        page.get_by_label("Class code", exact=True).fill("guess")
        page.get_by_role("button", name="Join").click()
        page.get_by_text("That is not the class code.").wait_for(timeout=30_000)
        assert page.locator('[data-testid="stMain"] h1').all_inner_texts() == ["Join the class"]
        page.goto(f"{classroom.url}/pooling")  # a page's own address is gated too
        page.get_by_label("Class code", exact=True).wait_for(timeout=60_000)
        wait_idle(page)
        assert page.get_by_role("button", name=GAPS).count() == 0
        shot(page, "classroom_gate_wrong_code")
    finally:
        context.close()


def test_a_session_stays_on_its_replica_across_interactions(browser, classroom):
    context, page = _student(browser)
    try:
        replica = _join(page, classroom.url)
        _gaps_preset(page)
        page.get_by_role("button", name="Kernel 2, stride 2 (tiles)").click()
        wait_idle(page)
        no_exceptions(page)
        assert _replica(page) == replica
        upstreams = {u for u in page.upstreams if u}
        assert upstreams == {classroom.replica_urls[replica - 1].removeprefix("http://")}, upstreams
        assert all(is_local(u) for u in page.urls)
        shot(page, "classroom_sticky_session")
    finally:
        context.close()


def test_two_sessions_on_different_replicas_both_work(browser, classroom):
    """New browsers take the replicas in turn: two new browsers in a row land on different replicas."""
    students, by_replica = [], {}
    try:
        for _ in range(2):
            context, page = _student(browser)
            students.append(context)
            by_replica.setdefault(_join(page, classroom.url), page)
        assert sorted(by_replica) == [1, 2], "two new browsers in a row landed on the same replica"
        for replica, page in by_replica.items():
            _gaps_preset(page)
            assert _replica(page) == replica
            shot(page, f"classroom_replica_{replica}")
    finally:
        for context in students:
            context.close()


def test_projector_home_shows_the_join_address_and_qr_code(browser, classroom):
    context, page = _student(browser)
    try:
        _join(page, classroom.url)
        page.locator('[data-testid="stSidebar"]').get_by_text("Projector mode").click()
        wait_idle(page)
        panel = page.locator('[data-testid="classroom-join"]')
        panel.wait_for(timeout=30_000)
        expected = join_url("127.0.0.1", int(classroom.url.rsplit(":", 1)[1]))
        assert panel.locator("[data-url]").get_attribute("data-url") == expected
        assert panel.locator("svg").count() == 1
        shot(page, "classroom_home_projector")
    finally:
        context.close()


def _class_cookie(context, page, timeout_s: float = 15.0) -> dict:
    """The class cookie, once the page's tiny JS element has written it (its module loads after the run)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == "convlab_class"]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no convlab_class cookie {timeout_s:.0f} s after joining")


def test_the_code_is_asked_once_per_browser_session(browser, classroom):
    context, page = _student(browser)
    try:
        _join(page, classroom.url)
        cookie = _class_cookie(context, page)
        assert CODE not in cookie["value"] and cookie["expires"] == -1  # a session cookie holding no code
        for url in (classroom.url, classroom.url.rstrip("/") + "/pooling"):  # a reload and a deep link
            page.goto(url)
            page.locator('[data-testid="stSidebar"]').get_by_text(REPLICA_RE).wait_for(timeout=60_000)
            wait_idle(page)
            assert page.get_by_label("Class code", exact=True).count() == 0
            no_exceptions(page)
        shot(page, "classroom_reload_without_code")
    finally:
        context.close()
    fresh, page = _student(browser)  # another browser must still give the code
    try:
        page.goto(classroom.url)
        page.get_by_label("Class code", exact=True).wait_for(timeout=60_000)
    finally:
        fresh.close()
