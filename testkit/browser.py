"""Helpers for driving a Streamlit page in Playwright the way a person would."""

from pathlib import Path

from testkit.server import CHROMIUM, CHROMIUM_ARGS, ROOT

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def chromium_launch_args() -> dict:
    """Keyword arguments of BrowserType.launch for Debian's headless chromium (tests and benchmarks)."""
    return dict(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the script run triggered by the last interaction has finished."""
    page.wait_for_timeout(50)
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def enter_value(page, selector: str, value: str) -> None:
    """Type `value` into the input `selector`, press Enter, and wait for the script run it starts."""
    field = page.locator(selector)
    field.fill(value)
    field.press("Enter")
    wait_idle(page)


def choose_part(page, label: str) -> None:
    """Click `label` in a page's segmented switch between its parts (used instead of st.tabs)."""
    page.locator('[data-testid="stButtonGroup"] button', has_text=label).first.click()


def goto(page, base_url: str, url_path: str = "", query: str = "") -> None:
    """Open a page and wait for its first script run to finish."""
    page.goto(f"{base_url}/{url_path}{'?' + query if query else ''}")
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"], [data-testid="stMain"] h1',
                           timeout=60_000)  # the first script run has drawn something
    wait_idle(page, timeout=60_000)


def no_exceptions(page) -> None:
    count = page.locator('[data-testid="stException"]').count()
    assert count == 0, page.locator('[data-testid="stException"]').first.inner_text()


ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


# Streamlit scrolls inside its main area, not the document: a "full page" screenshot would stop at the
# window's bottom edge. Height of everything that scrolls there:
_CONTENT_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight,
  ...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]
     .map((e) => e.scrollHeight + e.getBoundingClientRect().top))"""


def shot(page, name: str, max_height: int = 8000) -> Path:
    """Save a screenshot of the whole page (the window made as tall as the content, then put back)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = min(max_height, int(page.evaluate(_CONTENT_HEIGHT_JS)))
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(300)
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path
