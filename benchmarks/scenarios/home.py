"""Home navigation: a card link click until the target page starts rendering."""

import time
from urllib.parse import urlparse

from benchmarks.harness import Scenario, arm_input_clock, since_input
from testkit.browser import goto


def _navigate(page, i: int) -> float:
    """Back to Home by URL (the sidebar is closed in projector mode), then time a card link click."""
    url = urlparse(page.url)
    goto(page, f"{url.scheme}://{url.netloc}", "", url.query)
    page.wait_for_selector('[data-testid="stPageLink"]')
    arm_input_clock(page)  # a new document: goto() left the harness's clock behind
    t0 = time.perf_counter()
    page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a').nth(i % 5).click()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stMain\"] [data-testid=\"stPageLink\"]')"
        " && document.querySelector('[data-testid=\"stMain\"] h1')")
    return since_input(page, t0)


SCENARIOS = [
    Scenario("home: nav click to target page render", "", _navigate, budget_ms=300, issue=2),
]
