"""Helpers for driving a Streamlit page in Playwright the way a person would."""

from pathlib import Path

from testkit.server import ROOT

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the script run triggered by the last interaction has finished."""
    page.wait_for_timeout(50)
    page.wait_for_selector(APP_IDLE, timeout=timeout)


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


def shot(page, name: str) -> Path:
    """Save a full-page screenshot for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
