"""Kernels page round trips on the 512x512 RGB astronaut with a 7x7 kernel.

Each interaction returns only the time from the committing input (Enter on a grid cell, an arrow key on a
slider, a click on the output) until its result is visible in chromium.
"""

import time

from benchmarks.harness import Scenario, since_input
from testkit.browser import goto, wait_idle

PICKER = '[data-testid="pixel-picker"]'
OUTPUT_IMG = f"{PICKER} .pp-click img"
QUERY = "image=astronaut&colour=rgb&preset=gaussian&size=7&sigma=1.5&view=stretch"
GRID = '[data-testid="kernel-grid"]'


def _mark_output(page):
    """Remember the output <img> (inside the picker's shadow root) and its current picture."""
    img = page.locator(OUTPUT_IMG).element_handle()
    img.evaluate("(i) => { window.__outImg = i; window.__old = i.src; }")
    return page


def _wait_new_output(page) -> None:
    """Until the output <img> shows a new picture, fully decoded (complete) and laid out."""
    page.wait_for_function("() => { const i = window.__outImg;"
                           " return i.src !== window.__old && i.complete && i.naturalWidth > 0; }",
                           timeout=30_000, polling="raf")


def _setup(page) -> None:
    if page.locator('[role="dialog"]').filter(has_text="Page not found").count():
        # A fresh server answers the very first deep link with Home (app-wide); open the page again.
        origin = "/".join(page.url.split("/")[:3])
        goto(page, origin, "kernels", QUERY)
    page.locator(GRID).scroll_into_view_if_needed()
    page.locator(OUTPUT_IMG).wait_for()
    wait_idle(page)


def _edit_cell(page, i: int) -> float:
    """Type into cell (i % 7, 3) of the 7x7 grid; time from Enter until the new output image has loaded."""
    target = page.locator(f'{GRID} input[data-r="{i % 7}"][data-c="3"]')
    target.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(f"{0.2 + 0.15 * i:.2f}")  # large positive steps: a tiny change may render identically
    _mark_output(page)
    t0 = time.perf_counter()
    page.keyboard.press("Enter")
    _wait_new_output(page)
    elapsed = since_input(page, t0)
    wait_idle(page)
    return elapsed


def _move_slider(page, i: int) -> float:
    """Press an arrow key on the sigma slider; time until the new output image has loaded."""
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="spread of the bell").locator('input[type="range"]')
    thumb.focus()
    _mark_output(page)
    t0 = time.perf_counter()
    page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
    _wait_new_output(page)
    elapsed = since_input(page, t0)
    wait_idle(page)
    return elapsed


def _click_pixel(page, i: int) -> float:
    """Click an output pixel; time until the inspector shows the new pixel's sum."""
    img = page.locator(OUTPUT_IMG)
    img.scroll_into_view_if_needed()
    box = img.bounding_box()
    row, col = 40 + 29 * i, 60 + 23 * i
    page.evaluate("() => { window.__oldSum = document.querySelector('span[data-sum]').dataset.sum; }")
    t0 = time.perf_counter()
    img.click(position={"x": (col + 0.5) * box["width"] / 512, "y": (row + 0.5) * box["height"] / 512})
    page.wait_for_function(  # the inspector's sum belongs to the new pixel (neighbouring pixels differ)
        "() => document.querySelector('span[data-sum]').dataset.sum !== window.__oldSum", timeout=30_000,
        polling="raf")
    elapsed = since_input(page, t0)
    wait_idle(page)
    return elapsed


SCENARIOS = [
    Scenario("kernels: cell edit to new output (512² RGB, 7x7)", "kernels", _edit_cell, budget_ms=150,
             setup=_setup, query=QUERY, issue=4, repeats=15,
             notes="Enter on a typed kernel cell until the new output PNG has loaded"),
    Scenario("kernels: slider to new output (512² RGB, 7x7)", "kernels", _move_slider, budget_ms=150,
             setup=_setup, query=QUERY, issue=4, repeats=15,
             notes="ArrowRight/Left on the sigma slider until the new output PNG has loaded"),
    Scenario("kernels: inspector click to update", "kernels", _click_pixel, budget_ms=150, setup=_setup,
             query=QUERY, issue=4, repeats=15,
             notes="click on the output image until the inspector shows that pixel"),
]
