"""Issue 2: Home navigation click until the target page starts rendering."""

import time

from benchmarks.harness import Scenario
from testkit.browser import wait_idle


def _navigate(page, i: int) -> float:
    page.get_by_role("link", name="Home").first.click()
    wait_idle(page)
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
