"""Draw-a-digit in headless chromium: real mouse strokes, live prediction, every grid, clear, isolation."""

import numpy as np
import pytest
import torch

from models.digit_gallery import load_test_sample, misclassified, predict_all
from models.mnist_cnn import load_pretrained
from models.preprocess import prepare_digit
from testkit.browser import shot
from testkit.digits import (
    LAYERS,
    canvas_box,
    click_tool,
    draw,
    render_strokes,
    state,
    trace_strokes,
    wait_settled,
)
from testkit.browser import goto, no_exceptions, wait_idle

pytestmark = pytest.mark.e2e

ONE = [[(0.5, 0.15), (0.5, 0.85)]]
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]
OUTSIDE = [[(0.6, 0.3), (1.6, 0.5), (1.9, 1.8)]]  # leaves the canvas mid-stroke


def open_digits(page, live_server, query: str = ""):
    page.set_viewport_size({"width": 1440, "height": 3300})
    goto(page, live_server, "digits", query)
    canvas_box(page)
    assert state(page)["label"] == ""  # blank canvas: the prompt, not a prediction
    assert page.get_by_text("Draw a digit", exact=False).first.is_visible()


def app_errors(page) -> list[str]:
    """Console errors, minus the dev-server 404s Streamlit logs when a page is opened by its sub-path."""
    return [e for e in page.console_errors if "404" not in e]


@pytest.mark.parametrize("name,strokes,label", [("one", ONE, "1"), ("seven", SEVEN, "7")])
def test_draw_synthetic_digit_then_clear(page, live_server, name, strokes, label):
    open_digits(page, live_server)
    draw(page, strokes)
    settled = wait_settled(page)
    assert settled["label"] == label
    layers = {layer for layer, _ in settled["grids"]}
    assert set(LAYERS) <= layers and {"kernels-10x1", "kernels-20x10"} <= layers
    assert {"digits_strip", "digits_network_svg"} <= layers  # preprocessing strip and network diagram
    no_exceptions(page)
    click_tool(page, "clear")
    page.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]').dataset.label === ''")
    assert page.get_by_text("Draw a digit", exact=False).first.is_visible()
    no_exceptions(page)
    assert app_errors(page) == []


def test_digits_traced_from_mnist_samples(page, live_server):
    sample = load_test_sample()
    model = load_pretrained()
    open_digits(page, live_server)
    checked = 0
    for i in (0, 2, 4, 6, 8, 13, 22):
        strokes = trace_strokes(sample.images[i])
        with torch.no_grad():
            offline = int(model(prepare_digit(render_strokes(strokes)).tensor).argmax())
        assert offline == sample.labels[i], f"trace of sample {i} is misread offline"
        click_tool(page, "clear")
        draw(page, strokes, steps=2)
        settled = wait_settled(page)
        assert settled["label"] == str(sample.labels[i]), f"sample {i}: drew a {sample.labels[i]}"
        checked += 1
    assert checked == 7
    no_exceptions(page)


def test_undo_and_odd_strokes_never_crash(page, live_server):
    open_digits(page, live_server)
    draw(page, [[(0.5, 0.5), (0.505, 0.5)]])  # a tiny dot
    wait_settled(page)
    click_tool(page, "clear")
    scribble = [[(x, y) for y in np.linspace(0.02, 0.98, 12) for x in (0.02, 0.98)]]
    draw(page, scribble, steps=2)  # over the whole canvas
    wait_settled(page)
    click_tool(page, "clear")
    draw(page, OUTSIDE)
    wait_settled(page)
    for _ in range(6):  # very fast strokes, no waiting
        draw(page, SEVEN, steps=1)
    wait_settled(page)
    # Clear in the middle of a stroke while updates are in flight.
    box = canvas_box(page)
    page.mouse.move(box["x"] + 60, box["y"] + 60)
    page.mouse.down()
    for k in range(8):
        page.mouse.move(box["x"] + 60 + 15 * k, box["y"] + 60 + 12 * k, steps=3)
        page.wait_for_timeout(30)
    page.locator('[data-testid="digit-canvas"] button[data-act="clear"]').dispatch_event("click")
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]').dataset.label === ''")
    draw(page, ONE)
    draw(page, SEVEN)
    click_tool(page, "undo")
    assert wait_settled(page)["label"] == "1"
    wait_idle(page)
    no_exceptions(page)
    assert app_errors(page) == []


def test_click_a_map_enlarges_it(page, live_server):
    open_digits(page, live_server)
    draw(page, SEVEN)
    wait_settled(page)
    grid = page.locator('.bd-fig[data-layer="conv2"] img')
    box = grid.bounding_box()
    # conv2 is 10 maps per row: click the 4th map of the 2nd row (index 13).
    grid.click(position={"x": box["width"] * 3.5 / 10, "y": box["height"] * 0.75})
    page.get_by_text("conv2 map 13 (11×11)").wait_for(timeout=15_000)
    assert page.get_by_text("kernels of map 13: 10 × 3×3").is_visible()
    wait_idle(page)
    no_exceptions(page)


def test_two_sessions_never_see_each_others_digits(browser, live_server):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1400}) for _ in range(2)]
    try:
        a, b = (c.new_page() for c in contexts)
        for pg in (a, b):
            goto(pg, live_server, "digits")
            canvas_box(pg)
        draw(a, ONE)
        draw(b, SEVEN)
        assert wait_settled(a)["label"] == "1"
        assert wait_settled(b)["label"] == "7"
        wait_idle(b)
        before = state(b)
        click_tool(a, "clear")
        draw(a, SEVEN)
        assert wait_settled(a)["label"] == "7"
        a.wait_for_timeout(500)
        assert state(b) == before  # b's page never reran or changed
        click_tool(b, "clear")
        b.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]').dataset.label === ''")
        assert state(a)["label"] == "7"
    finally:
        for c in contexts:
            c.close()


@pytest.mark.parametrize("query", ["", "projector=1"], ids=["normal", "projector"])
def test_screenshots(page, live_server, query):
    open_digits(page, live_server, query)
    if query:
        assert canvas_box(page)["width"] >= 400  # larger canvas on a projector
    draw(page, SEVEN)
    wait_settled(page)
    page.get_by_text("Why this answer?").click()
    wait_idle(page)
    page.wait_for_timeout(300)
    no_exceptions(page)
    shot(page, f"digits_{'projector' if query else 'normal'}")


def test_test_set_then_back_to_a_blank_canvas(page, live_server):
    open_digits(page, live_server)
    draw(page, SEVEN)
    assert wait_settled(page)["label"] == "7"
    page.locator("button", has_text="Test set").click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]').dataset.label !== ''")
    assert page.get_by_text("True label:").is_visible()
    page.locator("button", has_text="Misclassified").click()
    wait_idle(page)
    assert page.get_by_text("✗ wrong").is_visible()
    sample = load_test_sample()
    wrong = misclassified(sample.labels, predict_all(load_pretrained(), sample.images))
    if len(wrong) >= 2:  # click the second digit of the gallery: it becomes the shown digit
        gallery = page.locator('.bd-fig[data-layer="gallery"] img')
        box = gallery.bounding_box()
        cols = 8  # the gallery is always 8 digits wide
        gallery.click(position={"x": box["width"] * 1.5 / cols, "y": 10})
        page.get_by_text(f"Test digit #{wrong[1]}").wait_for(timeout=15_000)
        assert page.get_by_text(f"True label: {sample.labels[wrong[1]]}").is_visible()
    page.locator("button", has_text="Draw").first.click()
    wait_idle(page)
    canvas_box(page)
    # the new canvas is blank, so is the prediction (waited for: the switch reruns the fragment)
    page.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]').dataset.label === ''",
                           timeout=15_000)
    assert state(page)["label"] == ""
    draw(page, ONE)
    assert wait_settled(page)["label"] == "1"
    no_exceptions(page)


POINTER_STROKE_JS = """([kind, pts]) => {
  const deep = (root) => root.querySelector('[data-testid=digit-canvas] canvas') ||
    [...root.querySelectorAll('*')].map((e) => e.shadowRoot && deep(e.shadowRoot)).find(Boolean);
  const canvas = deep(document);
  const r = canvas.getBoundingClientRect();
  const fire = (type, [x, y]) => canvas.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, pointerId: 7, pointerType: kind, isPrimary: true, button: 0,
    buttons: type === 'pointerup' ? 0 : 1, pressure: 0.5,
    clientX: r.left + 3 + x * (r.width - 6), clientY: r.top + 3 + y * (r.height - 6) }));
  fire('pointerdown', pts[0]);
  for (let i = 1; i < pts.length; i++) fire('pointermove', pts[i]);
  fire('pointerup', pts[pts.length - 1]);
}"""


@pytest.mark.parametrize("kind,strokes,label", [("pen", ONE, "1"), ("touch", SEVEN, "7")])
def test_pen_and_touch_pointers_draw_too(page, live_server, kind, strokes, label):
    open_digits(page, live_server)
    line = strokes[0]
    pts = [(x0 + (x1 - x0) * t / 10, y0 + (y1 - y0) * t / 10)
           for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False) for t in range(11)]
    page.evaluate(POINTER_STROKE_JS, [kind, pts])
    assert wait_settled(page)["label"] == label
    no_exceptions(page)
