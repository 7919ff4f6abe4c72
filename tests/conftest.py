"""Shared fixtures: AppTest runner, a live streamlit server, and headless chromium pages.

The browser fixtures are pytest-playwright's (`browser`, `context`, `page`, and `expect` from
playwright.sync_api), launched with Debian's chromium through `browser_type_launch_args`; `page` is
extended here to record requests and console errors and to save a screenshot.

Everything under tests/e2e/ and tests/fuzz/ is marked `slow` (and `e2e` for the browser tests) at
collection, so `make test-fast` (`pytest -m "not slow"`) skips them; slow unit tests carry the mark themselves.
"""

import re
import sys
from pathlib import Path

import pytest

from testkit.browser import ARTIFACTS, SCREENSHOTS, chromium_launch_args
from testkit.server import ROOT, is_local, streamlit_server

VIEWPORT = {"width": 1440, "height": 1000}
EXPECT_TIMEOUT_MS = 30_000  # like wait_for_selector's default: the machine is shared, 5 s is too short

SLOW_FOLDERS = {"e2e": ("slow", "e2e"), "fuzz": ("slow",)}


def pytest_configure(config):
    from playwright.sync_api import expect  # loaded already by the pytest-playwright plugin

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    tests_dir = Path(__file__).resolve().parent
    for item in items:
        try:
            folder = Path(str(item.fspath)).resolve().relative_to(tests_dir).parts[0]
        except ValueError:
            continue
        for name in SLOW_FOLDERS.get(folder, ()):
            item.add_marker(getattr(pytest.mark, name))


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread():
    """Torch single-threaded in the test process, as in the app's script threads (models.torch_threads):
    on the shared 2-core machine two torch threads made the small tensors of the unit tests ~30x costlier
    in CPU time. Only when a collected test module has imported torch already."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def app_at(page_script: str | None = None, query: dict | None = None, timeout: float = 120):
    """An AppTest started from app/main.py, optionally switched to app/<page_script>, run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page_script:
        at.switch_page(page_script)
        at.run()
    return at


def widget(at, kind: str, key: str):
    """Widget `key` of an AppTest. After a fragment-only rerun AppTest holds just the rerun fragments'
    elements (the browser keeps the others on screen), so a widget elsewhere needs one plain rerun first."""
    try:
        return getattr(at, kind)(key=key)
    except KeyError:
        at.run()
        return getattr(at, kind)(key=key)


@pytest.fixture(scope="session")
def live_server():
    """Base URL of a running `streamlit run app/main.py`, stopped after the session."""
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server() as (url, _proc):
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, **chromium_launch_args()}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture
def page(context, request):
    """pytest-playwright's page, recording every request URL and every console error.

    After the test, a screenshot goes to artifacts/screenshots/<test name>.png and the test
    fails if any request left localhost.
    """
    pg = context.new_page()
    pg.requests = []
    pg.console_errors = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"\[chromium\]|(?<=\[)chromium-|-chromium(?=\])", "", request.node.name).replace("/", "_")
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a failed screenshot must not hide the test's own result
        pass
    outside = [u for u in pg.requests if not is_local(u)]
    assert not outside, f"requests left localhost: {outside[:5]}"

