"""Home navigation: a card link click until the target page starts rendering."""

import time
from urllib.parse import urlparse

from benchmarks.harness import Scenario
from testkit.browser import goto


def _navigate(page, i: int) -> float:
    """Back to Home by URL (the sidebar is closed in projector mode), then time a card link click."""
    url = urlparse(page.url)
    goto(page, f"{url.scheme}://{url.netloc}", "", url.query)
    page.wait_for_selector('[data-testid="stPageLink"]')
    t0 = time.perf_counter()
    page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a').nth(i % 5).click()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stMain\"] [data-testid=\"stPageLink\"]')"
        " && document.querySelector('[data-testid=\"stMain\"] h1')")
    return (time.perf_counter() - t0) * 1000


SCENARIOS = [
    Scenario("home: nav click to target page render", "", _navigate, budget_ms=300, issue=2),
]
