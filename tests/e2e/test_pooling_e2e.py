"""Pooling page in headless chromium: presets, coverage colours, play/pause, bad input, receptive-field clicks."""

import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from components.pooling_figures import MISSED, ONCE, OVERLAP
from testkit.browser import goto, no_exceptions, shot, wait_idle
from testkit.layout import LAYOUTS, check_layout, open_in_layout

pytestmark = pytest.mark.e2e

MISSED_TEXT = '[data-testid="pool-missed"]'
ARITH = '[data-testid="pool-arith"]'


def open_pooling(page, live_server, query: str = "") -> None:
    goto(page, live_server, "pooling", query)
    if page.locator('[data-testid="stDialog"]').count():  # "Page not found" on a fresh server's first visit
        goto(page, live_server, "pooling", query)


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _preset(page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    wait_idle(page)


def tall_shot(page, name: str, height: int = 3400) -> None:
    """Streamlit scrolls inside its own container, so a full-page shot needs a tall viewport."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(400)
    shot(page, name)
    page.set_viewport_size(size)


def _own_errors(page) -> list[str]:
    """Console errors except Streamlit's own 404s for /<page>/_stcore/* when a page URL is opened directly, and
    its "Page not found" on a fresh server's first visit (see open_pooling)."""
    return [e for e in page.console_errors if "404" not in e and "does not seem to exist" not in e]


def test_gap_preset_reports_missed_pixels_and_colours_the_coverage_map(page, live_server):
    open_pooling(page, live_server)
    _preset(page, "Kernel 2, stride 3 (gaps)")
    expect(page.locator(MISSED_TEXT).first).to_contain_text("Missed pixels: 28 of 64")
    no_exceptions(page)
    assert "44%" in page.locator(MISSED_TEXT).inner_text()
    assert page.get_by_text("never looked at").count() == 1
    cells = page.locator('svg[data-testid="pool-coverage"] rect[data-coverage]')
    assert cells.count() == 64
    fills = page.evaluate("""() => Array.from(document.querySelectorAll('svg[data-testid="pool-coverage"] rect[data-coverage]'))
        .map(r => [r.dataset.coverage, getComputedStyle(r).fill])""")
    by_count = {}
    for count, fill in fills:
        by_count.setdefault(count, set()).add(fill)
    assert by_count == {"0": {_rgb(MISSED)}, "1": {_rgb(ONCE)}}
    hatched = page.locator('svg[data-testid="pool-coverage"] rect[fill^="url(#hatch"]').count()
    assert hatched == 28  # missed cells carry hatching as well as colour and the number 0
    texts = page.evaluate("() => Array.from(document.querySelectorAll('svg[data-testid=\"pool-coverage\"] text'))"
                          ".map(t => t.textContent)")
    assert texts.count("0") == 28 and texts.count("1") == 36
    legend = page.locator('[data-testid="pool-coverage-legend"]')
    assert legend.get_by_text("missed: no window sees it").count() == 1
    swatches = page.evaluate("""() => Array.from(document.querySelectorAll('[data-legend]'))
        .map(s => [s.dataset.legend, getComputedStyle(s).backgroundColor, parseFloat(getComputedStyle(s).fontSize)])""")
    assert [(s[0], s[1]) for s in swatches] == [("0", _rgb(MISSED)), ("1", _rgb(ONCE)), ("2+", _rgb(OVERLAP))]
    assert min(s[2] for s in swatches) >= 17  # readable legend
    # a missed cell really looks vermillion on screen (pixel check, not just the attribute)
    box = page.locator('svg[data-testid="pool-coverage"] rect[data-coverage="0"]').first.bounding_box()
    assert box["width"] > 20
    tall_shot(page, "pooling_gaps_normal")
    _preset(page, "Kernel 3, stride 1 (heavy overlap)")
    expect(page.locator(MISSED_TEXT).first).to_contain_text("Missed pixels: 0 of 64")
    overlap = page.locator('svg[data-testid="pool-coverage"] rect[data-coverage]:not([data-coverage="0"]):not([data-coverage="1"])')
    assert overlap.count() == 60
    assert _own_errors(page) == [], page.console_errors


VISIBLE_FRAMES_JS = """() => {
    const on = sel => [...document.querySelectorAll(sel)].filter(e => getComputedStyle(e).visibility === 'visible')
        .map(e => e.dataset.frame);
    const svg = document.querySelector('svg[data-testid="pool-input"]');
    const r = svg ? svg.getBoundingClientRect() : null;
    return {arith: on('[data-testid="pool-arith"] [data-frame]'), input: on('svg[data-testid="pool-input"] g[data-frame]'),
            output: on('svg[data-testid="pool-output"] g[data-frame]'), box: r ? [Math.round(r.top), Math.round(r.height)] : null};
}"""


def sample_frames(page, seconds: float) -> list[dict]:
    """Poll what is on screen every 20 ms for `seconds`."""
    return page.evaluate(f"""async () => {{
        const f = {VISIBLE_FRAMES_JS}; const out = []; const t0 = performance.now();
        while (performance.now() - t0 < {seconds * 1000}) {{ out.push(f()); await new Promise(r => setTimeout(r, 20)); }}
        return out;
    }}""")


def test_play_walks_the_windows_without_the_layout_jumping(page, live_server):
    open_pooling(page, live_server)
    _preset(page, "Kernel 3, stride 1 (heavy overlap)")
    page.get_by_role("button", name="Play").click()
    expect(page.locator(ARITH)).to_have_attribute("data-playing", "1")
    samples = sample_frames(page, 3.0)
    shown = [s["arith"] for s in samples]
    bad = [(i, a) for i, a in enumerate(shown) if len(a) != 1]
    assert not bad, f"exactly one arithmetic line at a time (no blank frame, no overlap): {bad[:5]} of {len(shown)}"
    assert all(s["input"] == s["arith"] == s["output"] for s in samples[1:-1] if s["input"] == s["arith"])
    in_step = sum(s["input"] == s["arith"] == s["output"] for s in samples) / len(samples)
    assert in_step > 0.9, f"input, output and arithmetic agree only {in_step:.0%} of the time"
    changes = sum(1 for a, b in zip(shown, shown[1:], strict=False) if a != b)
    assert changes >= 14, f"only {changes} frames in 3 s (budget: 5 per second)"
    assert len({tuple(s["box"]) for s in samples}) == 1, "the input figure moved or resized during play"
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(ARITH)).to_have_attribute("data-playing", "0")
    wait_idle(page)
    before = page.locator(ARITH).inner_text()
    page.wait_for_timeout(800)
    assert page.locator(ARITH).inner_text() == before, "still animating after Pause"
    no_exceptions(page)


def test_projector_mode_screenshots(page, live_server):
    open_pooling(page, live_server, "projector=1")
    _preset(page, "Kernel 3, stride 2 (overlap)")
    expect(page.locator(MISSED_TEXT).first).to_contain_text("Missed pixels: 15 of 64")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('[data-legend]')).fontSize)")
    assert size >= 28  # 1.35rem at the projector's 22.4 px root
    tall_shot(page, "pooling_overlap_projector")
    page.locator('[data-testid="stButtonGroup"] button', has_text="On real images").click()
    expect(page.locator('[data-testid="pool-level-caption"]', has_text="Mean, level 3").first).to_be_visible()
    tall_shot(page, "pooling_images_projector")
    no_exceptions(page)


def test_bad_settings_and_typed_cells_get_messages(page, live_server):
    open_pooling(page, live_server)
    slider = page.get_by_role("slider", name=re.compile("Padding"))
    slider.focus()
    slider.press("ArrowRight")  # padding 1 on kernel 2: fine
    wait_idle(page)
    slider.press("ArrowRight")  # padding 2 on kernel 2: too much
    wait_idle(page)
    expect(page.locator('[data-testid="stAlert"]', has_text="Padding 2 is more than half the window").first).to_be_visible()
    slider.press("Home")
    wait_idle(page)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Type your own values").click()
    wait_idle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    box = grid.bounding_box()
    for _ in range(4):  # select row 2, column 1 (after the index column), open its editor with Enter
        page.mouse.click(box["x"] + 60, box["y"] + 35 + 35)
        page.keyboard.press("Enter")
        try:
            page.locator("#portal input, #portal textarea").first.wait_for(state="visible", timeout=3000)
            break
        except Exception:  # noqa: BLE001 - a rerun redrew the grid under the mouse: try again
            page.keyboard.press("Escape")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("abc", delay=30)
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator('[data-testid="stAlert"]', has_text="which is not a number").first).to_be_visible()
    tall_shot(page, "pooling_typed_error")
    no_exceptions(page)


def test_clicking_a_unit_highlights_its_receptive_field(page, live_server):
    open_pooling(page, live_server)
    page.locator('[data-testid="stButtonGroup"] button', has_text="Receptive field").click()
    text = page.locator('[data-testid="pool-rf-text"]')
    expect(text).to_contain_text("rows 9–18")
    assert "<b>10x10</b>" in text.inner_html()  # centre unit (3, 3) of 5x5
    layer = page.locator('[data-testid="pixel-picker"] .pp-click img')
    layer.wait_for()
    w = layer.bounding_box()["width"]
    layer.click(position={"x": w * 0.1, "y": w * 0.1})  # unit (1, 1) of pool2's 5x5 grid
    expect(text).to_contain_text("Unit (row 1, column 1)")
    assert "rows 1–10 and columns 1–10" in text.inner_text()
    box = page.locator('[data-testid="pixel-picker"] [data-role="window"]').bounding_box()
    field = page.locator('[data-testid="pixel-picker"] .pp-in img').bounding_box()
    assert abs(box["width"] - field["width"] * 10 / 28) < 3 and abs(box["x"] - field["x"]) < 3  # 10 of 28 pixels
    layer.click(position={"x": w * 0.95, "y": w * 0.95})  # the last unit
    expect(text).to_contain_text("Unit (row 5, column 5)")
    assert "rows 17–26 and columns 17–26" in text.inner_text()
    box = page.locator('[data-testid="pixel-picker"] [data-role="window"]').bounding_box()
    assert abs(box["x"] - (field["x"] + field["width"] * 16 / 28)) < 3
    tall_shot(page, "pooling_rf_normal")
    no_exceptions(page)


def test_uploading_a_non_image_is_explained(page, live_server, tmp_path):
    open_pooling(page, live_server)
    page.locator('[data-testid="stButtonGroup"] button', has_text="On real images").click()
    page.get_by_role("radio", name="Upload").or_(page.get_by_role("button", name="Upload")).first.click()
    wait_idle(page)
    fake = tmp_path / "notes.png"
    fake.write_bytes(b"this is not really a picture")
    page.locator('input[type="file"]').set_input_files(str(fake))
    expect(page.locator('[data-testid="stAlert"]', has_text="not an image").first).to_be_visible()
    no_exceptions(page)


def test_rapid_changes_never_end_the_session(page, live_server):
    """Quick slider presses then a source change, with no waiting: each starts fragment reruns while the
    last are still being sent. With Streamlit's ForwardMsg cache on, this ended the session about one
    time in two ("Cached ForwardMsg MISS"); .streamlit/config.toml turns the cache off."""
    for attempt in range(6):
        open_pooling(page, live_server)
        slider = page.get_by_role("slider", name=re.compile("Padding"))
        slider.focus()
        for key in ("ArrowRight", "ArrowRight", "Home"):
            slider.press(key)
        page.wait_for_timeout(60 * (attempt % 2))
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Type your own values").click()
        wait_idle(page)
        page.locator('[data-testid="stDataFrame"]').first.wait_for()
        state = page.locator('[data-testid="stApp"]').get_attribute("data-test-connection-state")
        assert state == "CONNECTED", state
        no_exceptions(page)


CUT_INSIDE_BUTTONS = """() => [...document.querySelectorAll('[data-testid="stMain"] button *')]
    .filter(e => e.getBoundingClientRect().width > 2 && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim())
    .map(e => e.textContent.trim())"""  # a label ellipsised inside its button (the shared check looks at the button)
SLIDER_THUMB = "rgb(11, 92, 173)"  # slider values drawn over the thumb: the shared theme's, not this page's


def _slider_value(page, name: str) -> str:
    return page.locator('[data-testid="stSlider"]').filter(has_text=name).locator(
        '[data-testid="stSliderThumbValue"]').first.inner_text()


def _settings(page) -> dict:
    """Every setting of the real-image part as the browser shows it."""
    value = lambda name: _slider_value(page, name)  # noqa: E731
    return {"levels": value("Pooling levels"), "window": value("Window (= stride) per level"),
            "noise": value("Noise σ"), "variant": page.get_by_role("radio", name="Gaussian noise").is_checked()}


_CAPTIONS = "() => [...document.querySelectorAll('[data-testid=\"pool-level-caption\"]')].map(c => c.textContent)"


def _levels_shown(page, text: str) -> None:
    expect(page.locator('[data-testid="pool-level-caption"]', has_text=text).first).to_be_visible()


def test_image_settings_survive_upload_and_back(page, live_server, tmp_path):
    """Sample → upload a real PNG → back to the sample, and away to the grid demo and back: nothing resets."""
    open_pooling(page, live_server)
    page.get_by_role("button", name="Kernel 3, stride 1 (heavy overlap)").click()
    wait_idle(page)
    page.locator('[data-testid="stButtonGroup"] button', has_text="Mean (average)").click()
    wait_idle(page)
    page.locator('[data-testid="stButtonGroup"] button', has_text="On real images").click()
    _levels_shown(page, "Mean, level 3")
    for name, key in (("Pooling levels", "End"), ("Window (= stride) per level", "ArrowRight")):
        page.get_by_role("slider", name=name).focus()
        page.keyboard.press(key)
        wait_idle(page)
    page.get_by_text("Gaussian noise").click()
    wait_idle(page)
    noise = page.get_by_role("slider", name="Noise σ")
    noise.focus()
    for _ in range(3):
        noise.press("ArrowRight")
        wait_idle(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Sample image").click()
    page.get_by_role("option", name=re.compile("cat", re.I)).first.click()
    wait_idle(page)
    _levels_shown(page, "level 4")
    before = _settings(page)
    assert before == {"levels": "4", "window": "3", "noise": "0.13", "variant": True}, before
    captions = page.evaluate(_CAPTIONS)  # the cat at 4 levels of window 3 with noise 0.13

    picture = tmp_path / "ramp.png"
    ramp = np.linspace(0, 255, 300 * 240, dtype=np.float64).reshape(240, 300).astype(np.uint8)
    Image.fromarray(ramp).save(picture)
    page.locator('[data-testid="stButtonGroup"] button', has_text="Upload").click()
    wait_idle(page)
    assert _settings(page) == before
    page.locator('input[type="file"]').set_input_files(str(picture))
    _levels_shown(page, "Input 300x240")
    assert _settings(page) == before
    page.locator('[data-testid="stButtonGroup"] button', has_text="Sample").click()
    wait_idle(page)
    _levels_shown(page, "level 4")
    assert _settings(page) == before
    assert page.evaluate(_CAPTIONS) == captions  # the same sample (the cat), the same pictures

    page.locator('[data-testid="stButtonGroup"] button', has_text="Grid demo").click()
    expect(page.locator(ARITH)).to_be_visible()
    assert _slider_value(page, "Kernel size") == "3" and _slider_value(page, "Stride") == "1"
    assert "(" in page.locator(ARITH).inner_text() and "/ 9 =" in page.locator(ARITH).inner_text()  # still mean
    page.locator('[data-testid="stButtonGroup"] button', has_text="On real images").click()
    _levels_shown(page, "level 4")
    assert _settings(page) == before and page.evaluate(_CAPTIONS) == captions
    page.locator('[data-testid="stButtonGroup"] button', has_text="Upload").click()  # leave the part on Upload
    page.get_by_text("No image yet").wait_for()
    page.locator('[data-testid="stButtonGroup"] button', has_text="Receptive field").click()
    page.locator('[data-testid="pool-rf-text"]').wait_for()
    page.locator('[data-testid="stButtonGroup"] button', has_text="On real images").click()
    wait_idle(page)
    page.get_by_text("No image yet").wait_for()  # still on Upload
    assert _settings(page) == before
    no_exceptions(page)


@pytest.mark.parametrize("layout_name", list(LAYOUTS))
def test_every_part_in_the_three_layouts(page, live_server, layout_name):
    """Grid demo, real images and receptive field at 1024x768 projector, 1366x768 and 1920x1080 projector:
    nothing cut, no sideways page scroll, nothing covering content, no axe violation, text large enough.
    Screenshots: artifacts/screenshots/pooling-<part>-<layout>.png (look at them)."""
    layout = open_in_layout(page, live_server, "pooling", layout_name)
    if page.locator('[data-testid="stDialog"]').count():  # "Page not found" on a fresh server's first visit
        layout = open_in_layout(page, live_server, "pooling", layout_name)
    problems = {}
    for part, ready in (("Grid demo", ARITH), ("On real images", '[data-testid="pool-level-caption"]'),
                        ("Receptive field", '[data-testid="pool-rf-text"]')):
        page.locator('[data-testid="stButtonGroup"] button', has_text=part).click()
        page.locator(ready).first.wait_for()
        wait_idle(page)
        shot(page, f"pooling-{part.split()[-1].lower()}-{layout_name}")
        no_exceptions(page)
        report = check_layout(page, layout)
        overlap = [o for o in report.overlap  # a table's own two canvas layers (st.dataframe) are not an overlap
                   if "data-grid-canvas" not in o["element"] + o.get("other", "")]
        cut_labels = page.evaluate(CUT_INSIDE_BUTTONS)
        found = {"cut": report.cut + cut_labels, "scroll": report.scroll, "overlap": overlap, "axe": report.axe,
                 "small text": report.small,
                 "contrast": [c for c in report.contrast if c["background"] != SLIDER_THUMB]}
        problems[part] = {k: v for k, v in found.items() if v}
    assert not any(problems.values()), problems
