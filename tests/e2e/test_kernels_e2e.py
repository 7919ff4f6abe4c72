"""Kernels page in headless chromium: pick a preset, edit a cell, click a pixel, check the inspector's sum."""

import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from models.images import load_sample, to_gray
from testkit.browser import SCREENSHOTS, choose_part, goto, no_exceptions, shot, wait_idle
from testkit.layout import LAYOUTS

pytestmark = pytest.mark.e2e

OUTPUT_IMG = '[data-testid="pixel-picker"] .pp-click img'
SUM = '[data-testid="stMarkdownContainer"] span[data-sum]'
TALL = {"width": 1440, "height": 4400}


def open_kernels(page, base_url: str, query: str = "") -> None:
    """goto; a fresh server currently answers the very first deep link with Home and a "Page not found" notice
    (app-wide, not this page's), so then go once more."""
    goto(page, base_url, "kernels", query)
    if page.locator('[role="dialog"]').filter(has_text="Page not found").count():
        goto(page, base_url, "kernels", query)


def pick_preset(page, name: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Preset").click()
    page.get_by_role("option", name=name, exact=True).click()
    wait_idle(page)


GRID = '[data-testid="kernel-grid"]'


def cell(page, row: int, col: int):
    return page.locator(f'{GRID} input[data-r="{row}"][data-c="{col}"]')


def edit_cell(page, row: int, col: int, value: str) -> None:
    """Click the cell, type the number over it, press Enter (as a person does); wait for the rerun."""
    target = cell(page, row, col)
    target.scroll_into_view_if_needed()
    target.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    wait_idle(page)


def grid_values(page, k: int) -> np.ndarray:
    page.locator(GRID).wait_for()
    return np.array([[float(cell(page, r, c).input_value()) for c in range(k)] for r in range(k)])


def inspector_numbers(page) -> tuple[float, float]:
    span = page.locator(SUM).first
    return float(span.get_attribute("data-sum")), float(span.get_attribute("data-value"))


def click_output_pixel(page, row: int, col: int, out_h: int, out_w: int) -> None:
    img = page.locator(OUTPUT_IMG)
    img.scroll_into_view_if_needed()
    page.wait_for_function("(s) => { const i = document.querySelector('[data-testid=stMain]').querySelector(s)"
                           " || [...document.querySelectorAll('*')].map(e => e.shadowRoot && e.shadowRoot"
                           ".querySelector(s)).find(Boolean); return i && i.complete && i.naturalWidth > 0; }",
                           arg=OUTPUT_IMG)
    box = img.bounding_box()
    # Mouse events carry whole pixels: aim at the whole screen pixel nearest the output pixel's centre.
    x = round(box["x"] + (col + 0.5) * box["width"] / out_w) - box["x"]
    y = round(box["y"] + (row + 0.5) * box["height"] / out_h) - box["y"]
    img.click(position={"x": x, "y": y})
    picker = page.locator('[data-testid="pixel-picker"]')
    assert (picker.get_attribute("data-row"), picker.get_attribute("data-col")) == (str(row), str(col))
    heading = page.locator("h2, h3").filter(has_text=f"output row {row + 1}, column {col + 1}")  # 1-based
    expect(heading.first).to_be_attached(timeout=20_000)
    wait_idle(page)


def expected_sum(kernel: np.ndarray, row: int, col: int) -> float:
    """Zero padding, stride 1, cross-correlation: computed here with plain NumPy."""
    gray = to_gray(load_sample("cat").rgb).astype(np.float64)
    p = kernel.shape[0] // 2
    padded = np.pad(gray, p)
    return float((padded[row:row + kernel.shape[0], col:col + kernel.shape[0]] * kernel).sum())


def test_preset_edit_cell_click_pixel_inspector_sum(page, live_server):
    open_kernels(page, live_server)
    no_exceptions(page)
    pick_preset(page, "laplacian 4")
    np.testing.assert_array_equal(grid_values(page, 3), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    edit_cell(page, 0, 2, "2.5")
    kernel = grid_values(page, 3)
    np.testing.assert_array_equal(kernel, [[0, 1, 2.5], [1, -4, 1], [0, 1, 0]])
    row, col = 140, 300  # the cat image is 300 x 451, output the same with zero padding
    click_output_pixel(page, row, col, 300, 451)
    total, value = inspector_numbers(page)
    assert total == pytest.approx(expected_sum(kernel, row, col), abs=1e-4)
    assert value == pytest.approx(total)  # bias 0
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert f"= {expected_sum(kernel, row, col):.4f}" in text.replace("−", "-")
    expect(page).to_have_url(re.compile(r"\?(?=.*\brow=141\b)(?=.*\bcol=301\b)"))
    params = parse_qs(urlparse(page.url).query)
    assert params["k"] == ["0,1,2.5;1,-4,1;0,1,0"] and params["preset"][0] in ("laplacian 4", "custom")
    assert params["row"] == [str(row + 1)] and params["col"] == [str(col + 1)]  # the link is 1-based too
    no_exceptions(page)
    page.set_viewport_size(TALL)
    page.wait_for_timeout(800)
    shot(page, "kernels_normal")
    assert all("404" in e or "does not seem to exist" in e for e in page.console_errors), page.console_errors


def test_shared_link_restores_and_projector_mode(page, live_server):
    query = "projector=1&preset=gaussian&size=7&sigma=2&pad=reflect&stride=2&view=stretch&colour=rgb&row=10&col=20"
    open_kernels(page, live_server, query)
    no_exceptions(page)
    page.locator(GRID).scroll_into_view_if_needed()
    assert page.locator(f"{GRID} input").count() == 49  # the 7x7 Gaussian
    assert "Sigma σ" in page.locator('[data-testid="stMain"]').inner_text()
    expect(page.get_by_text("Pixel inspector: output row 10, column 20").first).to_be_visible()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "floor((300 + 2·3 − 1·(7−1) − 1) / 2) + 1 = floor(299/2) + 1 = 150" in body
    font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                         "'[data-testid=\"stMain\"] .stMarkdown p')).fontSize)")
    assert font >= 22
    page.set_viewport_size(TALL)
    page.wait_for_timeout(800)
    shot(page, "kernels_projector")


def test_malformed_link_shows_notice_and_defaults(page, live_server):
    open_kernels(page, live_server, "stride=99&k=nan,1;2")
    expect(page.get_by_text("ignored").first).to_be_visible()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "stride='99'" in body and "k='nan,1;2'" in body
    no_exceptions(page)


def test_explore_parts_render(page, live_server):
    open_kernels(page, live_server)
    choose_part(page, "2D Gaussian")
    wait_idle(page)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    choose_part(page, "Linear vs non-linear filters")
    wait_idle(page)
    expect(page.get_by_text("edges: median").first).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(0)  # only the chosen part is on the page
    choose_part(page, "Sliding window")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_text("Step 2 of").first).to_be_visible()  # stepped in the browser: no rerun
    no_exceptions(page)
    choose_part(page, "Linear vs non-linear filters")
    page.set_viewport_size(TALL)
    page.wait_for_timeout(800)
    shot(page, "kernels_noise_tab")


def test_a_typo_in_a_cell_gets_a_message_not_a_traceback(page, live_server):
    open_kernels(page, live_server)
    edit_cell(page, 1, 1, "abc")
    alert = page.locator('[data-testid="stAlert"]', has_text="row 2, column 2")
    expect(alert.first).to_be_visible()
    assert "kg-bad" in cell(page, 1, 1).get_attribute("class")
    edit_cell(page, 1, 1, "3")
    expect(alert).to_have_count(0)
    np.testing.assert_array_equal(grid_values(page, 3), [[-1, 0, 1], [-2, 3, 2], [-1, 0, 1]])
    page.get_by_text("Export: PyTorch code, NumPy and JSON").click()
    wait_idle(page)
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for()
    assert "[-2.0, 3.0, 2.0]" in code.inner_text().replace(" ", "").replace(",", ", ")
    assert page.get_by_role("button", name="Download kernel.py").is_visible()
    no_exceptions(page)


# --- Settings survive every path; first screen; browser-side animation ---

SETTINGS_QUERY = ("preset=gaussian&size=7&sigma=2.2&bias=0.25&pad=replicate&stride=2&dil=2&flip=1&view=stretch"
                  "&colour=rgb&image=coffee&norm=1")


def _settings(page) -> dict:
    """Every setting as the student sees it on the page (labels and values of the settings column)."""
    main = page.locator('[data-testid="stMain"]')

    def chosen(label: str) -> str:
        group = main.locator('[data-testid="stButtonGroup"]').filter(has_text=label).first
        return group.locator('button[aria-checked="true"], button[kind*="Active"]').first.inner_text()

    def select(label: str) -> str:  # the chosen option is the combobox input's value
        return main.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.locator("input").input_value()

    return {
        "preset": select("Preset"), "sample": select("Sample image") if main.get_by_text("Sample image").count()
        else None, "size": chosen("Kernel size"), "colour": chosen("Convolve"), "stride": chosen("Stride"),
        "dilation": chosen("Dilation"), "padding": select("Padding"),
        "bias": main.get_by_label("Bias", exact=False).input_value(),
        "normalise": main.locator("label").filter(has_text="Normalise to sum 1").locator("input").is_checked(),
        "flip": main.locator("label").filter(has_text="True convolution").locator("input").is_checked(),
        "view": main.locator('[data-testid="stRadio"] input:checked').first.evaluate("(e) => e.value"),
    }


def _source(page, name: str) -> None:
    page.locator('[data-testid="stMain"]').get_by_role("radio", name=name, exact=True).first.click()
    wait_idle(page)


def test_settings_survive_sample_upload_webcam_sample(page, live_server, tmp_path):
    """Regression: switching to Upload or Webcam and back, or uploading, reset every control."""
    open_kernels(page, live_server, SETTINGS_QUERY)
    no_exceptions(page)
    before = _settings(page)
    assert before["preset"].startswith("gaussian") and before["size"] == "7×7" and before["stride"] == "2"
    assert float(before["bias"]) == pytest.approx(0.25) and before["flip"] and before["normalise"]
    _source(page, "Upload")
    assert {k: v for k, v in _settings(page).items() if k != "sample"} == \
        {k: v for k, v in before.items() if k != "sample"}
    png = tmp_path / "square.png"
    Image.fromarray((np.arange(40 * 40).reshape(40, 40) % 255).astype(np.uint8)).save(png)
    page.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(str(png))
    expect(page.get_by_text("Input (40×40)").first).to_be_visible()
    wait_idle(page)
    assert {k: v for k, v in _settings(page).items() if k != "sample"} == \
        {k: v for k, v in before.items() if k != "sample"}
    _source(page, "Webcam")
    assert {k: v for k, v in _settings(page).items() if k != "sample"} == \
        {k: v for k, v in before.items() if k != "sample"}
    _source(page, "Sample")
    expect(page.get_by_text("Pixel inspector").first).to_be_visible()
    assert _settings(page) == before  # the sample (coffee) too
    assert page.locator(f"{GRID} input").count() == 49
    no_exceptions(page)


@pytest.mark.parametrize("layout", ["1366-normal", "1024-projector", "1920-projector"])
def test_input_and_output_on_the_first_screen(page, live_server, layout):
    size = LAYOUTS[layout]
    page.set_viewport_size({"width": size.width, "height": size.height})
    open_kernels(page, live_server, "projector=1" if size.projector else "")
    page.locator(OUTPUT_IMG).wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('*')].some(e => e.shadowRoot && "
                           "[...e.shadowRoot.querySelectorAll('.pp-frame img')].every(i => i.complete && i.naturalWidth))"
                           " || document.querySelectorAll('.pp-frame img').length")
    for role in ("Input image", "Output image: click a pixel to inspect it"):
        box = page.get_by_role("img", name=role).bounding_box()
        assert box and box["width"] >= 200, (role, box)
        assert box["y"] + box["height"] * 0.5 <= size.height, f"{role} starts at {box['y']:.0f} px at {layout}"
    shot_path = SCREENSHOTS / f"kernels_first_screen_{layout}.png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot_path))  # the first screen exactly as a student sees it
    page.wait_for_timeout(300)
    shot(page, f"kernels_{layout}")
    no_exceptions(page)


def test_sliding_window_plays_in_the_browser_fast_with_readable_numbers(page, live_server):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_kernels(page, live_server, "projector=1")
    widget = page.locator('[data-testid="sliding-window"]')
    widget.scroll_into_view_if_needed()
    cell_px = widget.locator("table.sw-in td").first.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
    assert cell_px >= 18
    widget.get_by_role("button", name="Play").click()
    page.wait_for_timeout(300)
    start = int(widget.get_attribute("data-step"))
    page.wait_for_timeout(2000)
    end = int(widget.get_attribute("data-step"))
    steps = (end - start) % 64 if end != start else 0  # an 8x8 crop: 64 steps, wraps around
    assert steps >= 16, f"{steps} steps in 2 s"  # >= 10 steps/s with slack for a loaded machine
    widget.get_by_role("button", name="Pause").click()
    assert page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count() == 1  # no reruns
    shot(page, "kernels_sliding_window_projector")
    no_exceptions(page)
