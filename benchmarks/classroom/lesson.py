"""The scripted lesson in a real headless chromium: open Home, draw three digits, edit a kernel, press a
pooling preset, resample transforms. Each step is timed from the click/pen-up until its result is on screen.
"""

import time

from testkit.browser import choose_part, wait_idle
from testkit.digits import canvas_box, click_tool, draw, wait_settled

SIDEBAR = '[data-testid="stSidebarNav"]'
DIGITS = ([[(0.5, 0.15), (0.5, 0.85)]],  # 1
          [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]],  # 7
          [[(0.5, 0.12), (0.25, 0.3), (0.22, 0.6), (0.5, 0.88), (0.78, 0.6), (0.75, 0.3), (0.5, 0.12)]])  # 0
OUTPUT_IMG = '[data-testid="pixel-picker"] .pp-click img'
GRID_CELL = '[data-testid="kernel-grid"] input[data-r="{r}"][data-c="{c}"]'
GAPS = "Kernel 2, stride 3 (gaps)"
RESAMPLE = ".st-key-tf_resample button"
TF_DONE = '[data-testid="tf-done"]'

# (page, kind) of every step, in order; the browser lesson and the recorded replay share it.
STEPS = [("home", "load"), ("digits", "load"), ("digits", "interaction"), ("digits", "interaction"),
         ("digits", "interaction"), ("kernels", "load"), ("kernels", "interaction"), ("pooling", "load"),
         ("pooling", "interaction"), ("transforms", "load"), ("transforms", "interaction"),
         ("transforms", "interaction")]


def _open(page, title: str, ready: str) -> None:
    page.locator(SIDEBAR).get_by_role("link", name=title).click()
    page.locator(ready).first.wait_for(timeout=60_000)
    wait_idle(page, timeout=60_000)


def _home(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stPageLink"]', timeout=60_000)
    wait_idle(page, timeout=60_000)


def _draw(page, k: int) -> float:
    click_tool(page, "clear")
    page.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]')?.dataset.label === ''",
                           timeout=30_000)
    wait_idle(page)
    draw(page, DIGITS[k])
    t0 = time.perf_counter()  # from pen-up
    wait_settled(page, timeout=60_000)
    return t0


def _edit_kernel(page) -> float:
    cell = page.locator(GRID_CELL.format(r=1, c=1))
    cell.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("2.5")
    page.locator(OUTPUT_IMG).element_handle().evaluate("(i) => { window.__outImg = i; window.__old = i.src; }")
    t0 = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_function("() => { const i = window.__outImg; return i.src !== window.__old && i.complete"
                           " && i.naturalWidth > 0; }", timeout=60_000, polling="raf")
    wait_idle(page, timeout=60_000)
    return t0


def _runs(page) -> int:
    return int(page.locator(TF_DONE).get_attribute("data-run") or 0)


def _tf_click(page, click) -> float:
    before = _runs(page)
    t0 = time.perf_counter()
    click()
    page.wait_for_function(f"() => Number(document.querySelector('{TF_DONE}')?.dataset.run) > {before}",
                           timeout=60_000)
    wait_idle(page, timeout=60_000)
    return t0


def run_lesson(page, url: str, on_step=lambda i: None) -> list[tuple[str, str, float]]:
    """Do the lesson; returns (page, kind, ms) per step. on_step(i) is called as step i starts."""
    out = []

    def timed(i: int, action) -> None:
        on_step(i)
        t0 = time.perf_counter()
        started = action()
        t0 = started if isinstance(started, float) else t0
        out.append((*STEPS[i], (time.perf_counter() - t0) * 1000))

    page.set_viewport_size({"width": 1440, "height": 1400})
    timed(0, lambda: _home(page, url))
    timed(1, lambda: (_open(page, "Draw a digit", '[data-testid="digit-canvas"] canvas'), canvas_box(page)))
    for k in range(3):
        timed(2 + k, lambda k=k: _draw(page, k))
    timed(5, lambda: _open(page, "Kernels", OUTPUT_IMG))
    timed(6, lambda: _edit_kernel(page))
    timed(7, lambda: _open(page, "Pooling", f'button:has-text("{GAPS}")'))
    timed(8, lambda: (page.get_by_role("button", name=GAPS).click(), page.wait_for_function(
        "() => document.querySelector('[data-testid=\"pool-missed\"]')?.textContent.includes('Missed pixels: 28 of 64')",
        timeout=60_000), wait_idle(page, timeout=60_000)))
    timed(9, lambda: _open(page, "Transforms", RESAMPLE))
    timed(10, lambda: _tf_click(page, lambda: choose_part(page, "Random outcomes")))
    timed(11, lambda: _tf_click(page, lambda: page.locator(RESAMPLE).click()))
    on_step(len(STEPS))
    return out


def record(browser, url: str):
    """Do the lesson once and return ([Step...], timings): the rerun BackMsgs chromium sent, per step."""
    from benchmarks.classroom.protocol import Step, reruns_only

    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    page = context.new_page()
    current, frames = [0], [[] for _ in STEPS]

    def on_ws(ws):
        ws.on("framesent", lambda payload: frames[current[0]].append((time.perf_counter(), payload))
              if isinstance(payload, bytes) and current[0] < len(STEPS) else None)

    page.on("websocket", on_ws)
    try:
        timings = run_lesson(page, url, lambda i: current.__setitem__(0, i))
    finally:
        context.close()
    steps = [Step(p, k, *reruns_only(f)) for (p, k), f in zip(STEPS, frames, strict=True)]
    return steps, timings
