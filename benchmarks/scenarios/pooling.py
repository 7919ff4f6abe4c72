"""Pooling page budgets, measured in chromium.

- a parameter change (a preset click) until the updated grid figures are on screen: <= 150 ms median
- the play animation: >= 5 frames per second (frames actually shown, counted in the browser)
- the real-image view, 4 levels of a 512x512 photo, after a noise change: <= 250 ms median
"""

import time

from benchmarks.harness import Scenario, since_input
from testkit.browser import wait_idle

# (preset button, output cells, missed input cells) on the default 8x8 grid
_PRESETS = (("Kernel 2, stride 3 (gaps)", 9, 28), ("Kernel 3, stride 1 (heavy overlap)", 36, 0))

_FIGURES_READY = """([cells, missed]) => {
    const q = s => document.querySelectorAll(s);
    const grads = [...q('svg[data-testid="pool-gradient"] rect[data-grad]')].reduce((a, r) => a + parseFloat(r.dataset.grad), 0);
    return q('svg[data-testid="pool-output"] rect[data-row]').length === cells
        && q('svg[data-testid="pool-coverage"] rect[data-coverage="0"]').length === missed
        && Math.abs(grads - cells) < 1e-6;
}"""


def _preset_click(page, i: int) -> float:
    label, cells, missed = _PRESETS[i % 2]
    t0 = time.perf_counter()
    page.get_by_role("button", name=label).click()
    page.wait_for_function(_FIGURES_READY, arg=[cells, missed], polling="raf")
    elapsed = since_input(page, t0)
    wait_idle(page)
    return elapsed


def _start_play(page) -> None:
    page.get_by_role("button", name="Kernel 3, stride 1 (heavy overlap)").click()
    wait_idle(page)
    page.get_by_role("button", name="Play").click()
    page.wait_for_selector('[data-testid="pool-arith"][data-playing="1"]')


_COUNT_FRAMES = """async (ms) => {
    const shown = () => [...document.querySelectorAll('[data-testid="pool-arith"] [data-frame]')]
        .filter(e => getComputedStyle(e).visibility === 'visible').map(e => e.dataset.frame).join();
    let last = shown(), changes = 0; const t0 = performance.now();
    while (performance.now() - t0 < ms) {
        await new Promise(r => requestAnimationFrame(r));
        const now = shown();
        if (now !== last && now !== '') { changes += 1; last = now; }
    }
    return changes / (ms / 1000);
}"""


def _play_rate(page, i: int) -> float:
    return page.evaluate(_COUNT_FRAMES, 2000)


_CAPTION = '[data-testid="pool-level-caption"]'  # each pooled picture's caption (components.pooling_images)


def _images_setup(page) -> None:
    page.locator('[data-testid="stButtonGroup"] button', has_text="On real images").click()
    page.wait_for_selector(f'{_CAPTION}:has-text("Mean, level 3")')
    levels = page.get_by_role("slider", name="Pooling levels")
    levels.focus()
    levels.press("End")
    page.wait_for_selector(f'{_CAPTION}:has-text("Mean, level 4: 32x32")')
    page.get_by_text("Gaussian noise").click()
    wait_idle(page)
    page.locator('[data-testid="stSlider"]').filter(has_text="Noise σ").wait_for()


_CAPTIONS = "() => [...document.querySelectorAll('[data-testid=\"pool-level-caption\"]')].map(c => c.textContent).join('|')"
_IMAGES_READY = """(before) => {
    const caps = [...document.querySelectorAll('[data-testid="pool-level-caption"]')].map(c => c.textContent);
    const imgs = [...document.querySelectorAll('[data-testid="pool-levels"] img')];
    return caps.join('|') !== before && caps.length === 9 && caps.some(c => c.includes('level 4: 32x32'))
        && imgs.length >= 9 && imgs.every(im => im.complete && im.naturalWidth > 0);
}"""


def _noise_step(page, i: int) -> float:
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Noise σ").get_by_role("slider")
    before = page.evaluate(_CAPTIONS)
    slider.focus()
    t0 = time.perf_counter()
    slider.press("ArrowRight")
    page.wait_for_function(_IMAGES_READY, arg=before, polling="raf", timeout=30_000)
    elapsed = since_input(page, t0)
    wait_idle(page)
    return elapsed


SCENARIOS = [
    Scenario("pooling: preset click to grid figures", "pooling", _preset_click, budget_ms=150, issue=5,
             notes="input/output/coverage/gradient figures all updated (8x8 grid, presets alternate)"),
    Scenario("pooling: play frames per second", "pooling", _play_rate, budget_ms=5, issue=5, metric="rate",
             setup=_start_play, repeats=5, notes="frames actually shown in 2 s, counted per animation frame"),
    Scenario("pooling: 4 image levels at 512x512", "pooling", _noise_step, budget_ms=250, issue=5,
             setup=_images_setup, notes="Gaussian sigma +0.01 (uncached): noise, 4 max + 4 mean levels, 9 PNGs"),
]
